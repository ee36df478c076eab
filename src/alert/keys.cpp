#include "alert/keys.h"

#include <sodium.h>
#include <sys/stat.h>

#include <cctype>
#include <filesystem>
#include <fstream>

namespace vigil::alert {

namespace {

namespace fs = std::filesystem;

constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "vigilkey";

void Init() {
  static const int kRc = sodium_init();
  (void)kRc;
}

std::string Hex(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  out.pop_back();
  return out;
}

core::Result<std::string> Unhex(const std::string& hex, size_t bytes, const std::string& what) {
  std::string out(bytes, '\0');
  size_t len = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), bytes, hex.data(), hex.size(), nullptr, &len,
                     nullptr) != 0 ||
      len != bytes)
    return core::ParseError(what + " is damaged (expected " + std::to_string(bytes * 2) + " hex digits)");
  return out;
}

core::Result<std::string> ReadKeyFile(const std::string& dir, const char* name, size_t bytes, bool secret) {
  const std::string path = (fs::path(dir) / name).string();
  struct stat sb {};
  if (::stat(path.c_str(), &sb) != 0)
    return core::NotFound("no key file " + path + " (create the keys with 'vigil keys init --dir " + dir + "')");
  if (secret && (sb.st_mode & 077) != 0)
    return core::PermissionDenied(path + " is readable by other users; run 'chmod 600 " + path + "'");
  std::ifstream in(path);
  std::string hex;
  std::getline(in, hex);
  return Unhex(hex, bytes, path);
}

core::Status WriteKeyFile(const std::string& path, std::string_view bytes, bool secret) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) return core::IoError("cannot write " + path);
  out << Hex(bytes) << "\n";
  out.close();
  if (!out) return core::IoError("cannot write " + path);
  if (::chmod(path.c_str(), secret ? 0600 : 0644) != 0) return core::IoError("cannot set the mode of " + path);
  return core::Status::Ok();
}

std::string Subkey(std::string_view master, uint64_t id) {
  std::string k(32, '\0');
  crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(k.data()), k.size(), id, kKdfContext,
                             reinterpret_cast<const unsigned char*>(master.data()));
  return k;
}

}  // namespace

core::Status InitKeys(const std::string& dir) {
  Init();
  std::error_code ec;
  const bool existed = fs::exists(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) return core::IoError("cannot create " + dir + ": " + ec.message());
  if (!existed) ::chmod(dir.c_str(), 0700);
  for (const char* f : {"contact.pub", "contact.key", "server.key"})
    if (fs::exists(fs::path(dir) / f))
      return core::Status(core::Code::kConflict, (fs::path(dir) / f).string() +
                                                     " exists already; keys are never overwritten (a new key would "
                                                     "make every stored contact unreadable)");
  unsigned char pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES], master[crypto_kdf_KEYBYTES];
  crypto_box_keypair(pk, sk);
  crypto_kdf_keygen(master);
  const auto s = [](const unsigned char* p, size_t n) { return std::string_view(reinterpret_cast<const char*>(p), n); };
  VIGIL_RETURN_IF_ERROR(WriteKeyFile((fs::path(dir) / "contact.key").string(), s(sk, sizeof sk), true));
  VIGIL_RETURN_IF_ERROR(WriteKeyFile((fs::path(dir) / "server.key").string(), s(master, sizeof master), true));
  VIGIL_RETURN_IF_ERROR(WriteKeyFile((fs::path(dir) / "contact.pub").string(), s(pk, sizeof pk), false));
  sodium_memzero(sk, sizeof sk);
  sodium_memzero(master, sizeof master);
  return core::Status::Ok();
}

core::Result<ServerKeys> LoadServerKeys(const std::string& dir) {
  Init();
  ServerKeys k;
  VIGIL_ASSIGN_OR_RETURN(k.contact_public, ReadKeyFile(dir, "contact.pub", crypto_box_PUBLICKEYBYTES, false));
  VIGIL_ASSIGN_OR_RETURN(std::string master, ReadKeyFile(dir, "server.key", crypto_kdf_KEYBYTES, true));
  k.hash_key = Subkey(master, 1);
  k.box_key = Subkey(master, 2);
  sodium_memzero(master.data(), master.size());
  return k;
}

core::Result<std::string> LoadContactPrivateKey(const std::string& dir) {
  Init();
  return ReadKeyFile(dir, "contact.key", crypto_box_SECRETKEYBYTES, true);
}

std::string NormalizeContact(std::string_view c) {
  std::string out;
  const bool email = c.find('@') != std::string_view::npos;
  for (char ch : c) {
    const auto u = static_cast<unsigned char>(ch);
    if (email) {
      if (!std::isspace(u)) out += static_cast<char>(std::tolower(u));
    } else if (std::isdigit(u) || (ch == '+' && out.empty())) {
      out += ch;
    }
  }
  if (!email && out.rfind("00", 0) == 0) out = "+" + out.substr(2);
  return out;
}

std::string ContactHash(const ServerKeys& k, std::string_view contact) {
  const std::string n = NormalizeContact(contact);
  unsigned char h[32];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(n.data()), n.size(),
                     reinterpret_cast<const unsigned char*>(k.hash_key.data()), k.hash_key.size());
  return Hex(std::string_view(reinterpret_cast<const char*>(h), sizeof h));
}

std::string SealContact(const ServerKeys& k, std::string_view contact) {
  Init();
  const std::string n = NormalizeContact(contact);
  std::string out(n.size() + crypto_box_SEALBYTES, '\0');
  crypto_box_seal(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(n.data()),
                  n.size(), reinterpret_cast<const unsigned char*>(k.contact_public.data()));
  return out;
}

core::Result<std::string> OpenContact(const std::string& pub, const std::string& priv, std::string_view box) {
  if (box.size() < crypto_box_SEALBYTES) return core::ParseError("the stored contact is damaged");
  std::string out(box.size() - crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal_open(
          reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(box.data()), box.size(),
          reinterpret_cast<const unsigned char*>(pub.data()), reinterpret_cast<const unsigned char*>(priv.data())) != 0)
    return core::PermissionDenied("this key does not open the contact (is it this deployment's contact.key?)");
  return out;
}

std::string SealForDelivery(const ServerKeys& k, std::string_view plain) {
  Init();
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(p, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(p + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plain.data()),
                        plain.size(), p, reinterpret_cast<const unsigned char*>(k.box_key.data()));
  return out;
}

core::Result<std::string> OpenForDelivery(const ServerKeys& k, std::string_view box) {
  if (box.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    return core::ParseError("a sealed recipient is damaged");
  std::string out(box.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  const auto* p = reinterpret_cast<const unsigned char*>(box.data());
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()), p + crypto_secretbox_NONCEBYTES,
                                 box.size() - crypto_secretbox_NONCEBYTES, p,
                                 reinterpret_cast<const unsigned char*>(k.box_key.data())) != 0)
    return core::PermissionDenied("server.key does not open this recipient (was the key replaced?)");
  return out;
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  Init();
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  crypto_auth_hmacsha256_final(&st, mac);
  return Hex(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

bool SecureEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace vigil::alert

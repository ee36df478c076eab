#include "auth/accounts.h"

#include <sodium.h>

#include <atomic>
#include <cctype>

#include "auth/account_store.h"

namespace vigil::auth {

using core::Result;
using core::Status;

namespace {

std::atomic<int64_t> g_password_checks{0};

Status ValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) return core::InvalidArgument("a user name must have 1 to 64 characters");
  for (unsigned char c : name)
    if (!(std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '@'))
      return core::InvalidArgument("user name '" + name + "': use letters, digits and . _ - @ only");
  return Status::Ok();
}

Status ValidPassword(const std::string& pw) {
  if (pw.size() < 8) return core::InvalidArgument("a password needs at least 8 characters");
  if (pw.size() > 1024) return core::InvalidArgument("a password may have at most 1024 characters");
  return Status::Ok();
}

Result<std::string> HashPassword(const std::string& pw) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, pw.data(), pw.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return core::Internal("argon2id hashing ran out of memory");
  return std::string(out);
}

}  // namespace

const char* RoleName(Role r) {
  switch (r) {
    case Role::kReporter:
      return "reporter";
    case Role::kViewer:
      return "viewer";
    case Role::kResponder:
      return "responder";
    case Role::kAnalyst:
      return "analyst";
    case Role::kAdmin:
      return "admin";
  }
  return "viewer";
}

Result<Role> ParseRole(const std::string& s) {
  for (Role r : {Role::kReporter, Role::kViewer, Role::kResponder, Role::kAnalyst, Role::kAdmin})
    if (s == RoleName(r)) return r;
  return core::InvalidArgument("unknown role '" + s + "' (expected reporter, viewer, responder, analyst or admin)");
}

Status InitCrypto() {
  static const int rc = sodium_init();
  if (rc < 0) return core::Internal("libsodium failed to initialise");
  return Status::Ok();
}

std::string RandomToken() {
  unsigned char buf[32];
  randombytes_buf(buf, sizeof buf);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, buf, sizeof buf, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

std::string Sha256Hex(const std::string& s) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(s.data()), s.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

int64_t PasswordVerifications() { return g_password_checks.load(std::memory_order_relaxed); }

bool SecureEquals(const std::string& a, const std::string& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

struct Accounts::Impl {
  std::unique_ptr<AccountStore> store;
};

Accounts::Accounts(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Accounts::~Accounts() = default;

Result<std::unique_ptr<Accounts>> Accounts::Open(const std::string& db_url) {
  VIGIL_RETURN_IF_ERROR(InitCrypto());
  auto impl = std::make_unique<Impl>();
  VIGIL_ASSIGN_OR_RETURN(impl->store, AccountStore::Open(db_url));
  return std::unique_ptr<Accounts>(new Accounts(std::move(impl)));
}

Result<int64_t> Accounts::AddUser(const std::string& name, Role role, const std::string& password) {
  VIGIL_RETURN_IF_ERROR(ValidName(name));
  std::string hash;
  if (!password.empty()) {
    VIGIL_RETURN_IF_ERROR(ValidPassword(password));
    VIGIL_ASSIGN_OR_RETURN(hash, HashPassword(password));
  }
  return impl_->store->InsertUser(name, role, hash);
}

// A new password ends every session signed in with the old one.
Status Accounts::SetPassword(const std::string& name, const std::string& password) {
  VIGIL_RETURN_IF_ERROR(ValidPassword(password));
  VIGIL_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  return impl_->store->SetPasswordHash(name, hash);
}

Status Accounts::SetRole(const std::string& name, Role role) { return impl_->store->SetRole(name, role); }

Result<std::vector<UserInfo>> Accounts::ListUsers() { return impl_->store->ListUsers(); }

Result<NewToken> Accounts::CreateToken(const std::string& user, const std::string& label) {
  VIGIL_ASSIGN_OR_RETURN(auto u, impl_->store->FindUser(user));
  if (!u) return core::NotFound("no user named '" + user + "' (add one with 'vigil user add')");
  NewToken t;
  t.token = "vgl_" + RandomToken();
  VIGIL_ASSIGN_OR_RETURN(t.id, impl_->store->InsertToken(u->id, Sha256Hex(t.token), t.token.substr(0, 10), label));
  return t;
}

Status Accounts::RevokeToken(int64_t id) { return impl_->store->RevokeToken(id); }

Result<std::vector<TokenInfo>> Accounts::ListTokens() { return impl_->store->ListTokens(); }

Result<Principal> Accounts::CheckToken(const std::string& token) {
  if (token.size() < 8 || token.size() > 200) return core::Unauthenticated("invalid token");
  VIGIL_ASSIGN_OR_RETURN(auto p, impl_->store->FindToken(Sha256Hex(token)));
  if (!p) return core::Unauthenticated("invalid or revoked token");
  return *p;
}

Result<Principal> Accounts::CheckPassword(const std::string& name, const std::string& password) {
  VIGIL_ASSIGN_OR_RETURN(auto u, impl_->store->FindUser(name));
  const bool known = u && !u->disabled;
  const std::string hash = known ? u->password_hash : std::string();
  // Unknown users, users without a password and over-long passwords cost
  // one argon2id verification too, against a hash no password matches, so
  // the answer's timing does not tell whether a user exists.
  static const std::string kDummy = HashPassword(RandomToken()).ok() ? *HashPassword(RandomToken()) : std::string();
  const bool usable = known && !hash.empty() && password.size() <= 1024;
  const std::string& against = usable ? hash : kDummy;
  const std::string pw = password.size() <= 1024 ? password : password.substr(0, 1024);
  const bool match = crypto_pwhash_str_verify(against.c_str(), pw.data(), pw.size()) == 0;
  g_password_checks.fetch_add(1, std::memory_order_relaxed);
  if (!usable || !match) return core::Unauthenticated("wrong user name or password");
  Principal p;
  p.user_id = u->id;
  p.name = u->name;
  p.role = u->role;
  p.via = "session";
  return p;
}

// Expired sessions are cleared as new ones start.
Result<NewSession> Accounts::CreateSession(int64_t user_id, int64_t max_age_s) {
  NewSession s;
  s.id = RandomToken();
  s.csrf = RandomToken();
  s.max_age_s = max_age_s;
  VIGIL_RETURN_IF_ERROR(impl_->store->InsertSession(Sha256Hex(s.id), user_id, s.csrf, max_age_s));
  return s;
}

Result<Principal> Accounts::CheckSession(const std::string& session_id) {
  if (session_id.size() < 16 || session_id.size() > 100) return core::Unauthenticated("invalid session");
  VIGIL_ASSIGN_OR_RETURN(auto p, impl_->store->FindSession(Sha256Hex(session_id)));
  if (!p) return core::Unauthenticated("the session has expired; sign in again");
  return *p;
}

Status Accounts::EndSession(const std::string& session_id) {
  return impl_->store->DeleteSession(Sha256Hex(session_id));
}

Status Accounts::Audit(const std::optional<Principal>& who, const std::string& action, const std::string& target,
                       const std::string& detail, const std::string& client, int status) {
  store::AuditRecord r;
  if (who) {
    r.user = who->name;
    r.role = RoleName(who->role);
  }
  r.action = action;
  r.target = target;
  r.detail = detail;
  r.client = client;
  r.status = status;
  return impl_->store->AppendAudit(r);
}

void Accounts::SetBusyTimeout(int milliseconds) { impl_->store->SetBusyTimeout(milliseconds); }

Result<store::AuditCheck> Accounts::VerifyAudit() { return impl_->store->VerifyAudit(); }

Result<std::vector<AuditEntry>> Accounts::ListAudit(int64_t limit) { return impl_->store->ListAudit(limit); }

}  // namespace vigil::auth

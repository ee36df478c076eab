#include "auth/accounts.h"

#include <sodium.h>

#include <atomic>
#include <cctype>

#include "store/audit.h"
#include "store/sqlite.h"
#include "store/store.h"

namespace vigil::auth {

using core::Result;
using core::Status;
using store::Db;
using store::Stmt;

namespace {

std::atomic<int64_t> g_password_checks{0};

constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

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

Principal ReadPrincipal(const Stmt& st, const char* via) {
  Principal p;
  p.user_id = st.Int(0);
  p.name = st.Text(1);
  p.role = ParseRole(std::string(st.Text(2))).ok() ? *ParseRole(std::string(st.Text(2))) : Role::kViewer;
  p.via = via;
  return p;
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
  Db db;
};

Accounts::Accounts(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Accounts::~Accounts() = default;

Result<std::unique_ptr<Accounts>> Accounts::Open(const std::string& db_url) {
  VIGIL_RETURN_IF_ERROR(InitCrypto());
  VIGIL_ASSIGN_OR_RETURN(std::string path, store::SqlitePathFromUrl(db_url));
  VIGIL_ASSIGN_OR_RETURN(Db db, Db::Open(path, false));
  auto has = db.QueryInt("SELECT count(*) FROM sqlite_master WHERE name='users'");
  if (!has.ok() || *has == 0)
    return Status(core::Code::kConflict, "the database at " + path + " has no accounts tables; run 'vigil init'");
  auto impl = std::make_unique<Impl>();
  impl->db = std::move(db);
  return std::unique_ptr<Accounts>(new Accounts(std::move(impl)));
}

Result<int64_t> Accounts::AddUser(const std::string& name, Role role, const std::string& password) {
  VIGIL_RETURN_IF_ERROR(ValidName(name));
  std::string hash;
  if (!password.empty()) {
    VIGIL_RETURN_IF_ERROR(ValidPassword(password));
    VIGIL_ASSIGN_OR_RETURN(hash, HashPassword(password));
  }
  Db& db = impl_->db;
  VIGIL_ASSIGN_OR_RETURN(Stmt q, db.Prepare("SELECT count(*) FROM users WHERE name = ?"));
  q.Bind(1, name);
  VIGIL_ASSIGN_OR_RETURN(bool row, q.Step());
  if (row && q.Int(0) > 0) return Status(core::Code::kConflict, "user '" + name + "' already exists");
  VIGIL_ASSIGN_OR_RETURN(
      Stmt st, db.Prepare(std::string("INSERT INTO users(name, role, password_hash, created_at) VALUES (?, ?, ?, ") +
                          kNow + ")"));
  st.Bind(1, name).Bind(2, RoleName(role)).BindText(3, hash);
  VIGIL_RETURN_IF_ERROR(st.Run());
  return db.LastInsertRowid();
}

Status Accounts::SetPassword(const std::string& name, const std::string& password) {
  VIGIL_RETURN_IF_ERROR(ValidPassword(password));
  VIGIL_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  Db& db = impl_->db;
  store::Transaction tx(&db);
  VIGIL_RETURN_IF_ERROR(tx.begin_status());
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare("UPDATE users SET password_hash = ? WHERE name = ?"));
  st.Bind(1, hash).Bind(2, name);
  VIGIL_RETURN_IF_ERROR(st.Run());
  if (db.Changes() == 0) return core::NotFound("no user named '" + name + "'");
  // A new password ends every session signed in with the old one.
  VIGIL_ASSIGN_OR_RETURN(Stmt end,
                         db.Prepare("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)"));
  end.Bind(1, name);
  VIGIL_RETURN_IF_ERROR(end.Run());
  return tx.Commit();
}

Status Accounts::SetRole(const std::string& name, Role role) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, impl_->db.Prepare("UPDATE users SET role = ? WHERE name = ?"));
  st.Bind(1, RoleName(role)).Bind(2, name);
  VIGIL_RETURN_IF_ERROR(st.Run());
  if (impl_->db.Changes() == 0) return core::NotFound("no user named '" + name + "'");
  return Status::Ok();
}

Result<std::vector<UserInfo>> Accounts::ListUsers() {
  VIGIL_ASSIGN_OR_RETURN(
      Stmt st,
      impl_->db.Prepare("SELECT id, name, role, created_at, password_hash IS NOT NULL FROM users ORDER BY id"));
  std::vector<UserInfo> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    UserInfo u;
    u.id = st.Int(0);
    u.name = st.Text(1);
    auto r = ParseRole(std::string(st.Text(2)));
    u.role = r.ok() ? *r : Role::kViewer;
    u.created_at = st.Text(3);
    u.has_password = st.Int(4) != 0;
    out.push_back(std::move(u));
  }
  return out;
}

Result<NewToken> Accounts::CreateToken(const std::string& user, const std::string& label) {
  Db& db = impl_->db;
  VIGIL_ASSIGN_OR_RETURN(Stmt q, db.Prepare("SELECT id FROM users WHERE name = ?"));
  q.Bind(1, user);
  VIGIL_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return core::NotFound("no user named '" + user + "' (add one with 'vigil user add')");
  const int64_t uid = q.Int(0);
  NewToken t;
  t.token = "vgl_" + RandomToken();
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(std::string("INSERT INTO api_tokens(user_id, token_hash, prefix, label, "
                                                         "created_at) VALUES (?, ?, ?, ?, ") +
                                             kNow + ")"));
  st.Bind(1, uid).Bind(2, Sha256Hex(t.token)).Bind(3, t.token.substr(0, 10)).BindText(4, label);
  VIGIL_RETURN_IF_ERROR(st.Run());
  t.id = db.LastInsertRowid();
  return t;
}

Status Accounts::RevokeToken(int64_t id) {
  VIGIL_ASSIGN_OR_RETURN(
      Stmt st, impl_->db.Prepare(std::string("UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ") + kNow +
                                 ") WHERE id = ?"));
  st.Bind(1, id);
  VIGIL_RETURN_IF_ERROR(st.Run());
  if (impl_->db.Changes() == 0) return core::NotFound("no token with id " + std::to_string(id));
  return Status::Ok();
}

Result<std::vector<TokenInfo>> Accounts::ListTokens() {
  VIGIL_ASSIGN_OR_RETURN(Stmt st,
                         impl_->db.Prepare("SELECT t.id, u.name, t.prefix, coalesce(t.label, ''), t.created_at, "
                                           "coalesce(t.revoked_at, ''), coalesce(t.last_used_at, '') FROM api_tokens t "
                                           "JOIN users u ON u.id = t.user_id ORDER BY t.id"));
  std::vector<TokenInfo> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Int(0), std::string(st.Text(1)), std::string(st.Text(2)), std::string(st.Text(3)),
                   std::string(st.Text(4)), std::string(st.Text(5)), std::string(st.Text(6))});
  }
  return out;
}

Result<Principal> Accounts::CheckToken(const std::string& token) {
  if (token.size() < 8 || token.size() > 200) return core::Unauthenticated("invalid token");
  VIGIL_ASSIGN_OR_RETURN(Stmt st, impl_->db.Prepare("SELECT u.id, u.name, u.role FROM api_tokens t JOIN users u ON "
                                                    "u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at IS "
                                                    "NULL AND u.disabled = 0"));
  st.Bind(1, Sha256Hex(token));
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return core::Unauthenticated("invalid or revoked token");
  return ReadPrincipal(st, "token");
}

Result<Principal> Accounts::CheckPassword(const std::string& name, const std::string& password) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, impl_->db.Prepare("SELECT id, name, role, coalesce(password_hash, '') FROM users "
                                                    "WHERE name = ? AND disabled = 0"));
  st.Bind(1, name);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  const std::string hash = row ? std::string(st.Text(3)) : std::string();
  // Unknown users, users without a password and over-long passwords cost
  // one argon2id verification too, against a hash no password matches, so
  // the answer's timing does not tell whether a user exists.
  static const std::string kDummy = HashPassword(RandomToken()).ok() ? *HashPassword(RandomToken()) : std::string();
  const bool usable = row && !hash.empty() && password.size() <= 1024;
  const std::string& against = usable ? hash : kDummy;
  const std::string pw = password.size() <= 1024 ? password : password.substr(0, 1024);
  const bool match = crypto_pwhash_str_verify(against.c_str(), pw.data(), pw.size()) == 0;
  g_password_checks.fetch_add(1, std::memory_order_relaxed);
  if (!usable || !match) return core::Unauthenticated("wrong user name or password");
  return ReadPrincipal(st, "session");
}

Result<NewSession> Accounts::CreateSession(int64_t user_id, int64_t max_age_s) {
  NewSession s;
  s.id = RandomToken();
  s.csrf = RandomToken();
  s.max_age_s = max_age_s;
  Db& db = impl_->db;
  // Expired sessions are cleared as new ones start.
  VIGIL_RETURN_IF_ERROR(db.Exec(std::string("DELETE FROM sessions WHERE expires_at <= ") + kNow));
  VIGIL_ASSIGN_OR_RETURN(
      Stmt st, db.Prepare(std::string("INSERT INTO sessions(id_hash, user_id, csrf, created_at, expires_at) VALUES "
                                      "(?, ?, ?, ") +
                          kNow + ", strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?))"));
  st.Bind(1, Sha256Hex(s.id)).Bind(2, user_id).Bind(3, s.csrf).Bind(4, "+" + std::to_string(max_age_s) + " seconds");
  VIGIL_RETURN_IF_ERROR(st.Run());
  return s;
}

Result<Principal> Accounts::CheckSession(const std::string& session_id) {
  if (session_id.size() < 16 || session_id.size() > 100) return core::Unauthenticated("invalid session");
  VIGIL_ASSIGN_OR_RETURN(Stmt st, impl_->db.Prepare(std::string("SELECT u.id, u.name, u.role, s.csrf FROM sessions s "
                                                                "JOIN users u ON u.id = s.user_id WHERE s.id_hash = "
                                                                "? AND u.disabled = 0 AND s.expires_at > ") +
                                                    kNow));
  st.Bind(1, Sha256Hex(session_id));
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return core::Unauthenticated("the session has expired; sign in again");
  Principal p = ReadPrincipal(st, "session");
  p.csrf = st.Text(3);
  return p;
}

Status Accounts::EndSession(const std::string& session_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, impl_->db.Prepare("DELETE FROM sessions WHERE id_hash = ?"));
  st.Bind(1, Sha256Hex(session_id));
  return st.Run();
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
  store::Transaction tx(&impl_->db);
  VIGIL_RETURN_IF_ERROR(tx.begin_status());
  VIGIL_RETURN_IF_ERROR(store::AppendAudit(&impl_->db, r));
  return tx.Commit();
}

void Accounts::SetBusyTimeout(int milliseconds) { sqlite3_busy_timeout(impl_->db.raw(), milliseconds); }

Result<store::AuditCheck> Accounts::VerifyAudit() { return store::VerifyAudit(&impl_->db); }

Result<std::vector<AuditEntry>> Accounts::ListAudit(int64_t limit) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, impl_->db.Prepare("SELECT id, at, coalesce(user_name, ''), coalesce(role, ''), "
                                                    "action, coalesce(target, ''), coalesce(detail, ''), "
                                                    "coalesce(client, ''), status FROM audit_log ORDER BY id DESC "
                                                    "LIMIT ?"));
  st.Bind(1, limit);
  std::vector<AuditEntry> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Int(0), std::string(st.Text(1)), std::string(st.Text(2)), std::string(st.Text(3)),
                   std::string(st.Text(4)), std::string(st.Text(5)), std::string(st.Text(6)), std::string(st.Text(7)),
                   static_cast<int>(st.Int(8))});
  }
  return out;
}

}  // namespace vigil::auth

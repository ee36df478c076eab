// vigil::auth — users, roles, API tokens, dashboard sessions and the audit
// log (docs/http.md, "Authentication").
//
// Roles, lowest first: reporter (sends community reports, reads nothing),
// viewer (reads events and forecasts), responder (also reads reports and
// alerts, acknowledges alerts, triages reports), analyst (also writes
// events), admin (also reads the audit log). A role includes the rights of
// those below it.
//
// Secrets are never stored: passwords as libsodium argon2id strings; tokens
// ("vgl_" + 43 base64url characters, 256 random bits) and session ids as
// SHA-256 digests, so a stolen database does not give access.
//
// Thread-safety: an Accounts object owns one SQLite connection; use one per
// thread (the server keeps one per worker).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/audit_log.h"

namespace vigil::auth {

enum class Role { kReporter = 0, kViewer = 1, kResponder = 2, kAnalyst = 3, kAdmin = 4 };
const char* RoleName(Role r);
core::Result<Role> ParseRole(const std::string& s);

struct Principal {
  int64_t user_id = 0;
  std::string name;
  Role role = Role::kViewer;
  std::string via;   // "token", "session"
  std::string csrf;  // the session's CSRF token (sessions only)
};

struct UserInfo {
  int64_t id = 0;
  std::string name;
  Role role = Role::kViewer;
  std::string created_at;
  bool has_password = false;
};

struct TokenInfo {
  int64_t id = 0;
  std::string user, prefix, label, created_at, revoked_at, last_used_at;
};

struct NewToken {
  int64_t id = 0;
  std::string token;  // shown once
};

struct NewSession {
  std::string id;  // the cookie value, shown once
  std::string csrf;
  int64_t max_age_s = 0;
};

struct AuditEntry {
  int64_t id = 0;
  std::string at, user, role, action, target, detail, client;
  int status = 0;
};

// Initialises libsodium; safe to call many times. Fails if it cannot.
core::Status InitCrypto();
// 32 random bytes as base64url (no padding).
std::string RandomToken();
std::string Sha256Hex(const std::string& s);
// argon2id verifications done by this process (CheckPassword does exactly
// one per call, known user or not).
int64_t PasswordVerifications();
// Constant-time comparison.
bool SecureEquals(const std::string& a, const std::string& b);

class Accounts {
 public:
  // Opens the accounts tables of the vigil database at `db_url` (a path or
  // sqlite:///path). The schema must be current (vigil init).
  static core::Result<std::unique_ptr<Accounts>> Open(const std::string& db_url);
  ~Accounts();

  core::Result<int64_t> AddUser(const std::string& name, Role role, const std::string& password);
  // Sets the password and ends all of the user's sessions (one transaction).
  core::Status SetPassword(const std::string& name, const std::string& password);
  core::Status SetRole(const std::string& name, Role role);
  core::Result<std::vector<UserInfo>> ListUsers();

  core::Result<NewToken> CreateToken(const std::string& user, const std::string& label);
  // Revokes by id; kNotFound when there is no such token.
  core::Status RevokeToken(int64_t id);
  core::Result<std::vector<TokenInfo>> ListTokens();

  // kUnauthenticated when the token is unknown, revoked or its user disabled.
  core::Result<Principal> CheckToken(const std::string& token);
  // kUnauthenticated for an unknown user or a wrong password (same message,
  // and the same argon2id work, so timing does not reveal which).
  core::Result<Principal> CheckPassword(const std::string& name, const std::string& password);

  core::Result<NewSession> CreateSession(int64_t user_id, int64_t max_age_s);
  core::Result<Principal> CheckSession(const std::string& session_id);
  core::Status EndSession(const std::string& session_id);

  core::Status Audit(const std::optional<Principal>& who, const std::string& action, const std::string& target,
                     const std::string& detail, const std::string& client, int status);
  core::Result<std::vector<AuditEntry>> ListAudit(int64_t limit);
  // How long a write waits for another writer before kUnavailable (10 s).
  void SetBusyTimeout(int milliseconds);
  // Checks the audit log's hash chain (store/audit.h).
  core::Result<store::AuditCheck> VerifyAudit();

 private:
  struct Impl;
  explicit Accounts(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::auth

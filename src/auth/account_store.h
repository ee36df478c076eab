// vigil::auth — where accounts live: users, API tokens, sessions and the
// audit log, behind an interface that names no database (backends:
// sqlite_account_store.cpp, pg_account_store.cpp). Accounts (accounts.h)
// keeps the policy: names and passwords validated, argon2id, the secrets of
// tokens and sessions (only their SHA-256 reaches the store), the same work
// for a wrong user as for a wrong password.
//
// Thread-safety: one AccountStore per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/accounts.h"
#include "core/status.h"
#include "store/audit_log.h"

namespace vigil::auth {

struct StoredUser {
  int64_t id = 0;
  std::string name;
  Role role = Role::kViewer;
  std::string password_hash;  // "" when the user has none
  bool disabled = false;
};

// Every row of the accounts tables but the sessions (users sign in again),
// ids, hashes and times kept: what `vigil migrate` moves.
struct AccountsDump {
  struct User {
    int64_t id = 0;
    std::string name, role, password_hash, created_at;  // password_hash "" for none
    bool disabled = false;
  };
  struct Token {
    int64_t id = 0, user_id = 0;
    std::string token_hash, prefix, label, created_at, revoked_at, last_used_at;  // "" for NULL
  };
  struct AuditRow {
    int64_t id = 0;
    store::AuditRecord record;
    std::string prev_hash, hash;  // hash "" for a row written before the chain
  };
  std::vector<User> users;
  std::vector<Token> tokens;
  std::vector<AuditRow> audit;
  bool empty() const { return users.empty() && tokens.empty() && audit.empty(); }
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;
  // Fails with kConflict when the database has no accounts tables ("run
  // vigil init").
  static core::Result<std::unique_ptr<AccountStore>> Open(const std::string& db_url);

  // kConflict when the name is taken. `password_hash` "" for none.
  virtual core::Result<int64_t> InsertUser(const std::string& name, Role role, const std::string& password_hash) = 0;
  virtual core::Result<std::optional<StoredUser>> FindUser(const std::string& name) = 0;
  // Sets the hash and ends every session of the user, in one transaction;
  // kNotFound for an unknown name.
  virtual core::Status SetPasswordHash(const std::string& name, const std::string& password_hash) = 0;
  virtual core::Status SetRole(const std::string& name, Role role) = 0;  // kNotFound
  virtual core::Result<std::vector<UserInfo>> ListUsers() = 0;

  virtual core::Result<int64_t> InsertToken(int64_t user_id, const std::string& token_hash, const std::string& prefix,
                                            const std::string& label) = 0;
  virtual core::Status RevokeToken(int64_t id) = 0;  // kNotFound; revoking twice keeps the first time
  virtual core::Result<std::vector<TokenInfo>> ListTokens() = 0;
  // The user of an unrevoked token with that hash, when enabled.
  virtual core::Result<std::optional<Principal>> FindToken(const std::string& token_hash) = 0;

  // Stores a session that expires in max_age_s; expired ones are cleared.
  virtual core::Status InsertSession(const std::string& id_hash, int64_t user_id, const std::string& csrf,
                                     int64_t max_age_s) = 0;
  // The user (with the session's csrf) of an unexpired session, when enabled.
  virtual core::Result<std::optional<Principal>> FindSession(const std::string& id_hash) = 0;
  virtual core::Status DeleteSession(const std::string& id_hash) = 0;

  // Appends one row to the chained audit log, in its own transaction
  // (store/audit.h).
  virtual core::Status AppendAudit(const store::AuditRecord& r) = 0;
  virtual core::Result<std::vector<AuditEntry>> ListAudit(int64_t limit) = 0;
  virtual core::Result<store::AuditCheck> VerifyAudit() = 0;
  // How long a write waits for another writer before kUnavailable.
  virtual void SetBusyTimeout(int milliseconds) = 0;

  virtual core::Result<AccountsDump> Dump() = 0;
  // Writes `d` into accounts tables that hold no user, token or audit row,
  // in one transaction, with the log's recorded head; kConflict otherwise.
  virtual core::Status Restore(const AccountsDump& d) = 0;
};

struct AccountsMove {
  int64_t users = 0, tokens = 0, audit_rows = 0;
  bool already_there = false;  // the target held the same rows: nothing written
};

// Moves every account, token and audit row of `from` into `to` (empty, or
// already holding exactly the same rows, as after an interrupted
// `vigil migrate`), then checks the target's audit chain.
core::Result<AccountsMove> MoveAccounts(AccountStore* from, AccountStore* to);

}  // namespace vigil::auth

#include "auth/account_store.h"
#include "auth/pg_account_store.h"
#include "store/postgres/pg.h"
#include "store/sqlite.h"
#include "store/store.h"

namespace vigil::auth {

using core::Result;
using core::Status;
using store::Db;
using store::Stmt;

namespace {

constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

Role RoleOf(std::string_view s) {
  auto r = ParseRole(std::string(s));
  return r.ok() ? *r : Role::kViewer;
}

// Columns 0..2 are the user's id, name and role.
Principal ReadPrincipal(const Stmt& st, const char* via) {
  Principal p;
  p.user_id = st.Int(0);
  p.name = st.Text(1);
  p.role = RoleOf(st.Text(2));
  p.via = via;
  return p;
}

class SqliteAccountStore final : public AccountStore {
 public:
  explicit SqliteAccountStore(Db db) : db_(std::move(db)) {}

  Result<int64_t> InsertUser(const std::string& name, Role role, const std::string& password_hash) override {
    VIGIL_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT count(*) FROM users WHERE name = ?"));
    q.Bind(1, name);
    VIGIL_ASSIGN_OR_RETURN(bool row, q.Step());
    if (row && q.Int(0) > 0) return Status(core::Code::kConflict, "user '" + name + "' already exists");
    VIGIL_ASSIGN_OR_RETURN(
        Stmt st, db_.Prepare(std::string("INSERT INTO users(name, role, password_hash, created_at) VALUES (?, ?, ?, ") +
                             kNow + ")"));
    st.Bind(1, name).Bind(2, RoleName(role)).BindText(3, password_hash);
    VIGIL_RETURN_IF_ERROR(st.Run());
    return db_.LastInsertRowid();
  }

  Result<std::optional<StoredUser>> FindUser(const std::string& name) override {
    VIGIL_ASSIGN_OR_RETURN(
        Stmt st, db_.Prepare("SELECT id, name, role, coalesce(password_hash, ''), disabled FROM users WHERE name = ?"));
    st.Bind(1, name);
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<StoredUser>();
    return std::optional<StoredUser>(
        StoredUser{st.Int(0), std::string(st.Text(1)), RoleOf(st.Text(2)), std::string(st.Text(3)), st.Int(4) != 0});
  }

  Status SetPasswordHash(const std::string& name, const std::string& password_hash) override {
    store::Transaction tx(&db_);
    VIGIL_RETURN_IF_ERROR(tx.begin_status());
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("UPDATE users SET password_hash = ? WHERE name = ?"));
    st.Bind(1, password_hash).Bind(2, name);
    VIGIL_RETURN_IF_ERROR(st.Run());
    if (db_.Changes() == 0) return core::NotFound("no user named '" + name + "'");
    VIGIL_ASSIGN_OR_RETURN(Stmt end,
                           db_.Prepare("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)"));
    end.Bind(1, name);
    VIGIL_RETURN_IF_ERROR(end.Run());
    return tx.Commit();
  }

  Status SetRole(const std::string& name, Role role) override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("UPDATE users SET role = ? WHERE name = ?"));
    st.Bind(1, RoleName(role)).Bind(2, name);
    VIGIL_RETURN_IF_ERROR(st.Run());
    if (db_.Changes() == 0) return core::NotFound("no user named '" + name + "'");
    return Status::Ok();
  }

  Result<std::vector<UserInfo>> ListUsers() override {
    VIGIL_ASSIGN_OR_RETURN(
        Stmt st, db_.Prepare("SELECT id, name, role, created_at, password_hash IS NOT NULL FROM users ORDER BY id"));
    std::vector<UserInfo> out;
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back({st.Int(0), std::string(st.Text(1)), RoleOf(st.Text(2)), std::string(st.Text(3)), st.Int(4) != 0});
    }
    return out;
  }

  Result<int64_t> InsertToken(int64_t user_id, const std::string& token_hash, const std::string& prefix,
                              const std::string& label) override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(std::string("INSERT INTO api_tokens(user_id, token_hash, prefix, "
                                                            "label, created_at) VALUES (?, ?, ?, ?, ") +
                                                kNow + ")"));
    st.Bind(1, user_id).Bind(2, token_hash).Bind(3, prefix).BindText(4, label);
    VIGIL_RETURN_IF_ERROR(st.Run());
    return db_.LastInsertRowid();
  }

  Status RevokeToken(int64_t id) override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(std::string("UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ") +
                                                kNow + ") WHERE id = ?"));
    st.Bind(1, id);
    VIGIL_RETURN_IF_ERROR(st.Run());
    if (db_.Changes() == 0) return core::NotFound("no token with id " + std::to_string(id));
    return Status::Ok();
  }

  Result<std::vector<TokenInfo>> ListTokens() override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st,
                           db_.Prepare("SELECT t.id, u.name, t.prefix, coalesce(t.label, ''), t.created_at, "
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

  Result<std::optional<Principal>> FindToken(const std::string& token_hash) override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT u.id, u.name, u.role FROM api_tokens t JOIN users u ON "
                                                "u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at IS "
                                                "NULL AND u.disabled = 0"));
    st.Bind(1, token_hash);
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<Principal>();
    return std::optional<Principal>(ReadPrincipal(st, "token"));
  }

  Status InsertSession(const std::string& id_hash, int64_t user_id, const std::string& csrf,
                       int64_t max_age_s) override {
    VIGIL_RETURN_IF_ERROR(db_.Exec(std::string("DELETE FROM sessions WHERE expires_at <= ") + kNow));
    VIGIL_ASSIGN_OR_RETURN(
        Stmt st, db_.Prepare(std::string("INSERT INTO sessions(id_hash, user_id, csrf, created_at, expires_at) VALUES "
                                         "(?, ?, ?, ") +
                             kNow + ", strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?))"));
    st.Bind(1, id_hash).Bind(2, user_id).Bind(3, csrf).Bind(4, "+" + std::to_string(max_age_s) + " seconds");
    return st.Run();
  }

  Result<std::optional<Principal>> FindSession(const std::string& id_hash) override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(std::string("SELECT u.id, u.name, u.role, s.csrf FROM sessions s "
                                                            "JOIN users u ON u.id = s.user_id WHERE s.id_hash = "
                                                            "? AND u.disabled = 0 AND s.expires_at > ") +
                                                kNow));
    st.Bind(1, id_hash);
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<Principal>();
    Principal p = ReadPrincipal(st, "session");
    p.csrf = st.Text(3);
    return std::optional<Principal>(std::move(p));
  }

  Status DeleteSession(const std::string& id_hash) override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("DELETE FROM sessions WHERE id_hash = ?"));
    st.Bind(1, id_hash);
    return st.Run();
  }

  Status AppendAudit(const store::AuditRecord& r) override {
    store::Transaction tx(&db_);
    VIGIL_RETURN_IF_ERROR(tx.begin_status());
    VIGIL_RETURN_IF_ERROR(store::AppendAudit(&db_, r));
    return tx.Commit();
  }

  Result<std::vector<AuditEntry>> ListAudit(int64_t limit) override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT id, at, coalesce(user_name, ''), coalesce(role, ''), "
                                                "action, coalesce(target, ''), coalesce(detail, ''), "
                                                "coalesce(client, ''), status FROM audit_log ORDER BY id DESC "
                                                "LIMIT ?"));
    st.Bind(1, limit);
    std::vector<AuditEntry> out;
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back({st.Int(0), std::string(st.Text(1)), std::string(st.Text(2)), std::string(st.Text(3)),
                     std::string(st.Text(4)), std::string(st.Text(5)), std::string(st.Text(6)),
                     std::string(st.Text(7)), static_cast<int>(st.Int(8))});
    }
    return out;
  }

  Result<store::AuditCheck> VerifyAudit() override { return store::VerifyAudit(&db_); }

  void SetBusyTimeout(int milliseconds) override { sqlite3_busy_timeout(db_.raw(), milliseconds); }

  Result<AccountsDump> Dump() override {
    AccountsDump d;
    VIGIL_ASSIGN_OR_RETURN(Stmt u, db_.Prepare("SELECT id, name, role, coalesce(password_hash, ''), created_at, "
                                               "disabled FROM users ORDER BY id"));
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool row, u.Step());
      if (!row) break;
      d.users.push_back({u.Int(0), std::string(u.Text(1)), std::string(u.Text(2)), std::string(u.Text(3)),
                         std::string(u.Text(4)), u.Int(5) != 0});
    }
    VIGIL_ASSIGN_OR_RETURN(Stmt t, db_.Prepare("SELECT id, user_id, token_hash, prefix, coalesce(label, ''), "
                                               "created_at, coalesce(revoked_at, ''), coalesce(last_used_at, '') "
                                               "FROM api_tokens ORDER BY id"));
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool row, t.Step());
      if (!row) break;
      d.tokens.push_back({t.Int(0), t.Int(1), std::string(t.Text(2)), std::string(t.Text(3)), std::string(t.Text(4)),
                          std::string(t.Text(5)), std::string(t.Text(6)), std::string(t.Text(7))});
    }
    VIGIL_ASSIGN_OR_RETURN(Stmt a, db_.Prepare("SELECT id, at, coalesce(user_name, ''), coalesce(role, ''), action, "
                                               "coalesce(target, ''), coalesce(detail, ''), coalesce(client, ''), "
                                               "status, coalesce(prev_hash, ''), coalesce(hash, '') FROM audit_log "
                                               "ORDER BY id"));
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool row, a.Step());
      if (!row) break;
      store::AuditRecord r{std::string(a.Text(2)), std::string(a.Text(3)), std::string(a.Text(4)),
                           std::string(a.Text(5)), std::string(a.Text(6)), std::string(a.Text(7)),
                           static_cast<int>(a.Int(8)), std::string(a.Text(1))};
      d.audit.push_back({a.Int(0), std::move(r), std::string(a.Text(9)), std::string(a.Text(10))});
    }
    return d;
  }

  Status Restore(const AccountsDump& d) override {
    store::Transaction tx(&db_);
    VIGIL_RETURN_IF_ERROR(tx.begin_status());
    VIGIL_ASSIGN_OR_RETURN(int64_t held, db_.QueryInt("SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM "
                                                      "api_tokens) + (SELECT count(*) FROM audit_log)"));
    if (held > 0) return Status(core::Code::kConflict, "the target already holds accounts or audit rows");
    VIGIL_ASSIGN_OR_RETURN(Stmt u, db_.Prepare("INSERT INTO users(id, name, role, password_hash, created_at, "
                                               "disabled) VALUES (?, ?, ?, ?, ?, ?)"));
    for (const auto& x : d.users) {
      u.Bind(1, x.id).Bind(2, x.name).Bind(3, x.role).BindText(4, x.password_hash).Bind(5, x.created_at);
      u.Bind(6, int64_t{x.disabled ? 1 : 0});
      VIGIL_RETURN_IF_ERROR(u.Run());
    }
    VIGIL_ASSIGN_OR_RETURN(Stmt t, db_.Prepare("INSERT INTO api_tokens(id, user_id, token_hash, prefix, label, "
                                               "created_at, revoked_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const auto& x : d.tokens) {
      t.Bind(1, x.id).Bind(2, x.user_id).Bind(3, x.token_hash).Bind(4, x.prefix).BindText(5, x.label);
      t.Bind(6, x.created_at).BindText(7, x.revoked_at).BindText(8, x.last_used_at);
      VIGIL_RETURN_IF_ERROR(t.Run());
    }
    VIGIL_ASSIGN_OR_RETURN(Stmt a, db_.Prepare("INSERT INTO audit_log(id, at, user_name, role, action, target, "
                                               "detail, client, status, prev_hash, hash) VALUES "
                                               "(?,?,?,?,?,?,?,?,?,?,?)"));
    for (const auto& x : d.audit) {
      const store::AuditRecord& r = x.record;
      a.Bind(1, x.id).Bind(2, r.at).BindText(3, r.user).BindText(4, r.role).Bind(5, r.action).BindText(6, r.target);
      a.BindText(7, r.detail).BindText(8, r.client).Bind(9, int64_t{r.status});
      if (x.hash.empty())  // written before the chain
        a.BindNull(10).BindNull(11);
      else
        a.Bind(10, x.prev_hash).Bind(11, x.hash);
      VIGIL_RETURN_IF_ERROR(a.Run());
    }
    if (!d.audit.empty() && !d.audit.back().hash.empty()) {
      VIGIL_ASSIGN_OR_RETURN(Stmt h, db_.Prepare("INSERT INTO meta(key, value) VALUES ('audit_head', ?) ON "
                                                 "CONFLICT(key) DO UPDATE SET value = excluded.value"));
      h.Bind(1, store::AuditHeadValue(d.audit.back().id, d.audit.back().hash));
      VIGIL_RETURN_IF_ERROR(h.Run());
    }
    return tx.Commit();
  }

 private:
  Db db_;
};

}  // namespace

Result<std::unique_ptr<AccountStore>> AccountStore::Open(const std::string& db_url) {
  if (store::pg::IsPostgresUrl(db_url)) return OpenPgAccountStore(db_url);
  VIGIL_ASSIGN_OR_RETURN(std::string path, store::SqlitePathFromUrl(db_url));
  VIGIL_ASSIGN_OR_RETURN(Db db, Db::Open(path, false));
  auto has = db.QueryInt("SELECT count(*) FROM sqlite_master WHERE name='users'");
  if (!has.ok() || *has == 0)
    return Status(core::Code::kConflict, "the database at " + path + " has no accounts tables; run 'vigil init'");
  return std::unique_ptr<AccountStore>(new SqliteAccountStore(std::move(db)));
}

}  // namespace vigil::auth

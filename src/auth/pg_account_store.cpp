// PostgreSQL backend of AccountStore (account_store.h): the same tables and
// rules as the SQLite one, in the events database, so that every server of
// a team shares its users, tokens, sessions and audit log.
#include "auth/pg_account_store.h"

#include "store/postgres/pg.h"
#include "store/postgres/pg_audit.h"

namespace vigil::auth {

using core::Result;
using core::Status;
using store::pg::Conn;
using store::pg::Params;
using store::pg::Rows;

namespace {

Role RoleOf(std::string_view s) {
  auto r = ParseRole(std::string(s));
  return r.ok() ? *r : Role::kViewer;
}

// Columns 0..2 of row 0 are the user's id, name and role.
Principal ReadPrincipal(const Rows& r, const char* via) {
  Principal p;
  p.user_id = r.Int(0, 0);
  p.name = r.Text(0, 1);
  p.role = RoleOf(r.Text(0, 2));
  p.via = via;
  return p;
}

Status NotFoundUnlessChanged(Result<Rows> r, const std::string& what) {
  VIGIL_RETURN_IF_ERROR(r.status());
  if (r->size() == 0) return core::NotFound(what);
  return Status::Ok();
}

class PgAccountStore final : public AccountStore {
 public:
  explicit PgAccountStore(std::unique_ptr<Conn> c) : c_(std::move(c)) {}

  Result<int64_t> InsertUser(const std::string& name, Role role, const std::string& password_hash) override {
    Params p;
    p.Add(name).Add(RoleName(role)).AddText(password_hash);
    auto id = c_->QueryInt(
        "INSERT INTO users (name, role, password_hash, created_at) VALUES ($1, $2, $3, vigil_now_iso()) RETURNING id",
        p);
    if (!id.ok() && id.status().code() == core::Code::kConflict)
      return Status(core::Code::kConflict, "user '" + name + "' already exists");
    return id;
  }

  Result<std::optional<StoredUser>> FindUser(const std::string& name) override {
    VIGIL_ASSIGN_OR_RETURN(Rows r, c_->Query("SELECT id, name, role, coalesce(password_hash, ''), disabled FROM users "
                                             "WHERE name = $1",
                                             Params().Add(name)));
    if (r.size() == 0) return std::optional<StoredUser>();
    return std::optional<StoredUser>(StoredUser{r.Int(0, 0), std::string(r.Text(0, 1)), RoleOf(r.Text(0, 2)),
                                                std::string(r.Text(0, 3)), r.Text(0, 4) == "t"});
  }

  Status SetPasswordHash(const std::string& name, const std::string& password_hash) override {
    return store::pg::Transact(*c_, [&] {
      VIGIL_RETURN_IF_ERROR(NotFoundUnlessChanged(
          c_->Query("UPDATE users SET password_hash = $1 WHERE name = $2 RETURNING id",
                    Params().Add(password_hash).Add(name)),
          "no user named '" + name + "'"));
      return c_->Query("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = $1)",
                       Params().Add(name))
          .status();
    });
  }

  Status SetRole(const std::string& name, Role role) override {
    return NotFoundUnlessChanged(
        c_->Query("UPDATE users SET role = $1 WHERE name = $2 RETURNING id", Params().Add(RoleName(role)).Add(name)),
        "no user named '" + name + "'");
  }

  Result<std::vector<UserInfo>> ListUsers() override {
    VIGIL_ASSIGN_OR_RETURN(
        Rows r, c_->Query("SELECT id, name, role, created_at, password_hash IS NOT NULL FROM users ORDER BY id"));
    std::vector<UserInfo> out;
    out.reserve(static_cast<size_t>(r.size()));
    for (int i = 0; i < r.size(); ++i)
      out.push_back({r.Int(i, 0), std::string(r.Text(i, 1)), RoleOf(r.Text(i, 2)), std::string(r.Text(i, 3)),
                     r.Text(i, 4) == "t"});
    return out;
  }

  Result<int64_t> InsertToken(int64_t user_id, const std::string& token_hash, const std::string& prefix,
                              const std::string& label) override {
    Params p;
    p.Add(user_id).Add(token_hash).Add(prefix).AddText(label);
    return c_->QueryInt(
        "INSERT INTO api_tokens (user_id, token_hash, prefix, label, created_at) VALUES ($1, $2, $3, $4, "
        "vigil_now_iso()) RETURNING id",
        p);
  }

  Status RevokeToken(int64_t id) override {
    return NotFoundUnlessChanged(c_->Query("UPDATE api_tokens SET revoked_at = coalesce(revoked_at, vigil_now_iso()) "
                                           "WHERE id = $1 RETURNING id",
                                           Params().Add(id)),
                                 "no token with id " + std::to_string(id));
  }

  Result<std::vector<TokenInfo>> ListTokens() override {
    VIGIL_ASSIGN_OR_RETURN(Rows r, c_->Query("SELECT t.id, u.name, t.prefix, coalesce(t.label, ''), t.created_at, "
                                             "coalesce(t.revoked_at, ''), coalesce(t.last_used_at, '') FROM "
                                             "api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id"));
    std::vector<TokenInfo> out;
    out.reserve(static_cast<size_t>(r.size()));
    for (int i = 0; i < r.size(); ++i)
      out.push_back({r.Int(i, 0), std::string(r.Text(i, 1)), std::string(r.Text(i, 2)), std::string(r.Text(i, 3)),
                     std::string(r.Text(i, 4)), std::string(r.Text(i, 5)), std::string(r.Text(i, 6))});
    return out;
  }

  Result<std::optional<Principal>> FindToken(const std::string& token_hash) override {
    VIGIL_ASSIGN_OR_RETURN(Rows r, c_->Query("SELECT u.id, u.name, u.role FROM api_tokens t JOIN users u ON u.id = "
                                             "t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND NOT "
                                             "u.disabled",
                                             Params().Add(token_hash)));
    if (r.size() == 0) return std::optional<Principal>();
    return std::optional<Principal>(ReadPrincipal(r, "token"));
  }

  Status InsertSession(const std::string& id_hash, int64_t user_id, const std::string& csrf,
                       int64_t max_age_s) override {
    VIGIL_RETURN_IF_ERROR(c_->Exec("DELETE FROM sessions WHERE expires_at <= vigil_now_iso()"));
    Params p;
    p.Add(id_hash).Add(user_id).Add(csrf).Add(max_age_s);
    return c_->Query("INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, "
                     "vigil_now_iso(), vigil_iso_in($4))",
                     p)
        .status();
  }

  Result<std::optional<Principal>> FindSession(const std::string& id_hash) override {
    VIGIL_ASSIGN_OR_RETURN(Rows r, c_->Query("SELECT u.id, u.name, u.role, s.csrf FROM sessions s JOIN users u ON "
                                             "u.id = s.user_id WHERE s.id_hash = $1 AND NOT u.disabled AND "
                                             "s.expires_at > vigil_now_iso()",
                                             Params().Add(id_hash)));
    if (r.size() == 0) return std::optional<Principal>();
    Principal p = ReadPrincipal(r, "session");
    p.csrf = r.Text(0, 3);
    return std::optional<Principal>(std::move(p));
  }

  Status DeleteSession(const std::string& id_hash) override {
    return c_->Query("DELETE FROM sessions WHERE id_hash = $1", Params().Add(id_hash)).status();
  }

  Status AppendAudit(const store::AuditRecord& r) override {
    return store::pg::Transact(*c_, [&] { return store::pg::AppendAudit(*c_, r); });
  }

  Result<std::vector<AuditEntry>> ListAudit(int64_t limit) override {
    VIGIL_ASSIGN_OR_RETURN(Rows r, c_->Query("SELECT id, at, coalesce(user_name, ''), coalesce(role, ''), action, "
                                             "coalesce(target, ''), coalesce(detail, ''), coalesce(client, ''), "
                                             "status FROM audit_log ORDER BY id DESC LIMIT $1",
                                             Params().Add(limit)));
    std::vector<AuditEntry> out;
    out.reserve(static_cast<size_t>(r.size()));
    for (int i = 0; i < r.size(); ++i)
      out.push_back({r.Int(i, 0), std::string(r.Text(i, 1)), std::string(r.Text(i, 2)), std::string(r.Text(i, 3)),
                     std::string(r.Text(i, 4)), std::string(r.Text(i, 5)), std::string(r.Text(i, 6)),
                     std::string(r.Text(i, 7)), static_cast<int>(r.Int(i, 8))});
    return out;
  }

  Result<store::AuditCheck> VerifyAudit() override { return store::pg::VerifyAudit(*c_); }

  // A write waits for a row lock at most this long, then fails as
  // unavailable (lock_timeout's SQLSTATE 55P03).
  void SetBusyTimeout(int milliseconds) override {
    (void)c_->Exec("SET lock_timeout = " + std::to_string(std::max(milliseconds, 1)));
  }

  Result<AccountsDump> Dump() override {
    AccountsDump d;
    VIGIL_ASSIGN_OR_RETURN(Rows u, c_->Query("SELECT id, name, role, coalesce(password_hash, ''), created_at, "
                                             "disabled FROM users ORDER BY id"));
    for (int i = 0; i < u.size(); ++i)
      d.users.push_back({u.Int(i, 0), std::string(u.Text(i, 1)), std::string(u.Text(i, 2)),
                         std::string(u.Text(i, 3)), std::string(u.Text(i, 4)), u.Text(i, 5) == "t"});
    VIGIL_ASSIGN_OR_RETURN(Rows t, c_->Query("SELECT id, user_id, token_hash, prefix, coalesce(label, ''), "
                                             "created_at, coalesce(revoked_at, ''), coalesce(last_used_at, '') "
                                             "FROM api_tokens ORDER BY id"));
    for (int i = 0; i < t.size(); ++i)
      d.tokens.push_back({t.Int(i, 0), t.Int(i, 1), std::string(t.Text(i, 2)), std::string(t.Text(i, 3)),
                          std::string(t.Text(i, 4)), std::string(t.Text(i, 5)), std::string(t.Text(i, 6)),
                          std::string(t.Text(i, 7))});
    VIGIL_RETURN_IF_ERROR(c_->Stream(
        "SELECT id, at, coalesce(user_name, ''), coalesce(role, ''), action, coalesce(target, ''), "
        "coalesce(detail, ''), coalesce(client, ''), status, coalesce(prev_hash, ''), coalesce(hash, '') "
        "FROM audit_log ORDER BY id",
        Params(), [&d](const Rows& a) {
          store::AuditRecord r{std::string(a.Text(0, 2)), std::string(a.Text(0, 3)), std::string(a.Text(0, 4)),
                               std::string(a.Text(0, 5)), std::string(a.Text(0, 6)), std::string(a.Text(0, 7)),
                               static_cast<int>(a.Int(0, 8)), std::string(a.Text(0, 1))};
          d.audit.push_back({a.Int(0, 0), std::move(r), std::string(a.Text(0, 9)), std::string(a.Text(0, 10))});
          return true;
        }));
    return d;
  }

  Status Restore(const AccountsDump& d) override {
    return store::pg::Transact(*c_, [&] {
      VIGIL_RETURN_IF_ERROR(c_->Exec("LOCK TABLE users, api_tokens, audit_log IN EXCLUSIVE MODE"));
      VIGIL_ASSIGN_OR_RETURN(int64_t held, c_->QueryInt("SELECT (SELECT count(*) FROM users) + (SELECT count(*) "
                                                        "FROM api_tokens) + (SELECT count(*) FROM audit_log)"));
      if (held > 0) return Status(core::Code::kConflict, "the target already holds accounts or audit rows");
      for (const auto& x : d.users) {
        Params p;
        p.Add(x.id).Add(x.name).Add(x.role).AddText(x.password_hash).Add(x.created_at).Add(x.disabled ? "t" : "f");
        VIGIL_RETURN_IF_ERROR(c_->Query("INSERT INTO users (id, name, role, password_hash, created_at, disabled) "
                                        "VALUES ($1, $2, $3, $4, $5, $6)",
                                        p)
                                  .status());
      }
      for (const auto& x : d.tokens) {
        Params p;
        p.Add(x.id).Add(x.user_id).Add(x.token_hash).Add(x.prefix).AddText(x.label).Add(x.created_at);
        p.AddText(x.revoked_at).AddText(x.last_used_at);
        VIGIL_RETURN_IF_ERROR(c_->Query("INSERT INTO api_tokens (id, user_id, token_hash, prefix, label, "
                                        "created_at, revoked_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6, "
                                        "$7, $8)",
                                        p)
                                  .status());
      }
      for (const auto& x : d.audit) VIGIL_RETURN_IF_ERROR(InsertAuditRow(x));
      if (!d.audit.empty() && !d.audit.back().hash.empty())
        VIGIL_RETURN_IF_ERROR(c_->Query("INSERT INTO meta VALUES ('audit_head', $1) ON CONFLICT (key) DO UPDATE "
                                        "SET value = excluded.value",
                                        Params().Add(store::AuditHeadValue(d.audit.back().id, d.audit.back().hash)))
                                  .status());
      return c_->Exec(
          "SELECT setval('users_id_seq', greatest((SELECT max(id) FROM users), 1)); "
          "SELECT setval('api_tokens_id_seq', greatest((SELECT max(id) FROM api_tokens), 1))");
    });
  }

 private:
  Status InsertAuditRow(const AccountsDump::AuditRow& x) {
    const store::AuditRecord& r = x.record;
    Params p;
    p.Add(x.id).Add(r.at).AddText(r.user).AddText(r.role).Add(r.action).AddText(r.target).AddText(r.detail);
    p.AddText(r.client).Add(r.status);
    if (x.hash.empty())  // written before the chain
      p.AddNull().AddNull();
    else
      p.Add(x.prev_hash).Add(x.hash);
    return c_->Query("INSERT INTO audit_log (id, at, user_name, role, action, target, detail, client, status, "
                     "prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
                     p)
        .status();
  }

  std::unique_ptr<Conn> c_;
};

}  // namespace

Result<std::unique_ptr<AccountStore>> OpenPgAccountStore(const std::string& url) {
  VIGIL_ASSIGN_OR_RETURN(auto c, Conn::Open(url));
  VIGIL_ASSIGN_OR_RETURN(int64_t has, c->QueryInt("SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = "
                                                  "'users' AND schemaname = current_schema()"));
  if (has == 0)
    return Status(core::Code::kConflict,
                  "the database at " + store::pg::RedactUrl(url) + " has no accounts tables; run 'vigil init'");
  return std::unique_ptr<AccountStore>(new PgAccountStore(std::move(c)));
}

}  // namespace vigil::auth

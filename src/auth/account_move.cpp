// MoveAccounts (account_store.h): the accounts half of `vigil migrate`.
#include "auth/account_store.h"

namespace vigil::auth {

namespace {

// Every field of every row, to compare two dumps.
std::string Serialise(const AccountsDump& d) {
  std::string s;
  auto put = [&s](const std::string& v) {
    s += v;
    s += '\x1f';
  };
  for (const auto& u : d.users) {
    put(std::to_string(u.id));
    for (const std::string* f : {&u.name, &u.role, &u.password_hash, &u.created_at}) put(*f);
    put(u.disabled ? "1" : "0");
  }
  for (const auto& t : d.tokens) {
    put(std::to_string(t.id) + ":" + std::to_string(t.user_id));
    for (const std::string* f : {&t.token_hash, &t.prefix, &t.label, &t.created_at, &t.revoked_at, &t.last_used_at})
      put(*f);
  }
  for (const auto& a : d.audit) put(std::to_string(a.id) + ":" + a.prev_hash + ":" + a.hash);
  return s;
}

}  // namespace

core::Result<AccountsMove> MoveAccounts(AccountStore* from, AccountStore* to) {
  VIGIL_ASSIGN_OR_RETURN(AccountsDump d, from->Dump());
  VIGIL_ASSIGN_OR_RETURN(AccountsDump held, to->Dump());
  AccountsMove m;
  m.users = static_cast<int64_t>(d.users.size());
  m.tokens = static_cast<int64_t>(d.tokens.size());
  m.audit_rows = static_cast<int64_t>(d.audit.size());
  if (!held.empty()) {
    if (Serialise(held) != Serialise(d))
      return core::Status(core::Code::kConflict,
                          "the target already holds other accounts or audit rows; nothing was written");
    m.already_there = true;
    return m;
  }
  VIGIL_RETURN_IF_ERROR(to->Restore(d));
  VIGIL_ASSIGN_OR_RETURN(store::AuditCheck check, to->VerifyAudit());
  if (!check.ok) return core::Status(core::Code::kDatabase, "the moved audit log does not verify: " + check.problem);
  return m;
}

}  // namespace vigil::auth

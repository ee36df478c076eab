#include "store/audit.h"

namespace vigil::store {

namespace {

constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

AuditRecord ReadRecord(const Stmt& st) {
  AuditRecord r;
  r.at = st.Text(1);
  r.user = st.Text(2);
  r.role = st.Text(3);
  r.action = st.Text(4);
  r.target = st.Text(5);
  r.detail = st.Text(6);
  r.client = st.Text(7);
  r.status = static_cast<int>(st.Int(8));
  return r;
}

}  // namespace

core::Status AppendAudit(Db* db, const AuditRecord& in) {
  AuditRecord r = in;
  if (r.at.empty()) {
    VIGIL_ASSIGN_OR_RETURN(CachedStmt lease, db->Cached(std::string("SELECT ") + kNow));
    Stmt& now = lease.get();
    VIGIL_ASSIGN_OR_RETURN(bool row, now.Step());
    if (row) r.at = now.Text(0);
  }
  std::string prev;
  int64_t id = 1;
  {
    VIGIL_ASSIGN_OR_RETURN(CachedStmt last_lease,
                           db->Cached("SELECT id, coalesce(hash, '') FROM audit_log ORDER BY id DESC LIMIT 1"));
    Stmt& last = last_lease.get();
    VIGIL_ASSIGN_OR_RETURN(bool row, last.Step());
    if (row) {
      id = last.Int(0) + 1;
      prev = last.Text(1);
    }
  }
  const std::string hash = AuditRowHash(prev, id, r);
  VIGIL_ASSIGN_OR_RETURN(CachedStmt insert_lease,
                         db->Cached("INSERT INTO audit_log(id, at, user_name, role, action, target, detail, client, "
                                    "status, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
  Stmt& st = insert_lease.get();
  st.Bind(1, id).Bind(2, r.at).BindText(3, r.user).BindText(4, r.role).Bind(5, r.action).BindText(6, r.target);
  st.BindText(7, r.detail).BindText(8, r.client).Bind(9, r.status).Bind(10, prev).Bind(11, hash);
  VIGIL_RETURN_IF_ERROR(st.Run());
  VIGIL_ASSIGN_OR_RETURN(CachedStmt head_lease,
                         db->Cached("INSERT INTO meta(key, value) VALUES ('audit_head', ?) ON CONFLICT(key) "
                                    "DO UPDATE SET value = excluded.value"));
  Stmt& head = head_lease.get();
  head.Bind(1, AuditHeadValue(id, hash));
  return head.Run();
}

core::Result<AuditCheck> VerifyAudit(Db* db) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT id, at, coalesce(user_name, ''), coalesce(role, ''), action, "
                                              "coalesce(target, ''), coalesce(detail, ''), coalesce(client, ''), "
                                              "status, coalesce(prev_hash, ''), hash FROM audit_log ORDER BY id"));
  AuditChainChecker check;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    std::optional<std::string> hash;
    if (!st.IsNull(10)) hash = std::string(st.Text(10));
    check.Row(st.Int(0), ReadRecord(st), st.Text(9), hash);
  }
  auto q = db->Prepare("SELECT value FROM meta WHERE key = 'audit_head'");
  if (!q.ok()) return check.Finish();  // no meta table: no head to compare
  std::optional<std::string> head;
  VIGIL_ASSIGN_OR_RETURN(bool row, q->Step());
  if (row) head = std::string(q->Text(0));
  return check.Finish(head);
}

}  // namespace vigil::store

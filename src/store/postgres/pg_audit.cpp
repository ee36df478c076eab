#include "store/postgres/pg_audit.h"

#include "store/store_common.h"

namespace vigil::store::pg {

using core::Status;

namespace {
// The key of the advisory lock that orders audit writers.
constexpr const char* kAuditLock = "SELECT pg_advisory_xact_lock(7417001)";
}  // namespace

Status AppendAudit(Conn& c, const AuditRecord& in) {
  AuditRecord r = in;
  if (r.at.empty()) r.at = NowIsoUtc();
  VIGIL_RETURN_IF_ERROR(c.Exec(kAuditLock));
  VIGIL_ASSIGN_OR_RETURN(Rows last,
                         c.Query("SELECT id, coalesce(hash, '') FROM audit_log ORDER BY id DESC LIMIT 1"));
  const int64_t id = last.size() ? last.Int(0, 0) + 1 : 1;
  const std::string prev = last.size() ? std::string(last.Text(0, 1)) : std::string();
  const std::string hash = AuditRowHash(prev, id, r);
  Params p;
  p.Add(id).Add(r.at).AddText(r.user).AddText(r.role).Add(r.action).AddText(r.target).AddText(r.detail);
  p.AddText(r.client).Add(r.status).Add(prev).Add(hash);
  VIGIL_RETURN_IF_ERROR(c.Query("INSERT INTO audit_log (id, at, user_name, role, action, target, detail, client, "
                                "status, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
                                p)
                            .status());
  return c.Query("INSERT INTO meta VALUES ('audit_head', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 Params().Add(AuditHeadValue(id, hash)))
      .status();
}

core::Result<AuditCheck> VerifyAudit(Conn& c) {
  AuditChainChecker check;
  VIGIL_RETURN_IF_ERROR(c.Stream("SELECT id, at, coalesce(user_name, ''), coalesce(role, ''), action, "
                                 "coalesce(target, ''), coalesce(detail, ''), coalesce(client, ''), status, "
                                 "prev_hash, hash FROM audit_log ORDER BY id",
                                 Params(), [&check](const Rows& row) {
                                   AuditRecord r;
                                   r.at = row.Text(0, 1);
                                   r.user = row.Text(0, 2);
                                   r.role = row.Text(0, 3);
                                   r.action = row.Text(0, 4);
                                   r.target = row.Text(0, 5);
                                   r.detail = row.Text(0, 6);
                                   r.client = row.Text(0, 7);
                                   r.status = static_cast<int>(row.Int(0, 8));
                                   std::optional<std::string> hash;
                                   if (!row.IsNull(0, 10)) hash = std::string(row.Text(0, 10));
                                   check.Row(row.Int(0, 0), r, row.Text(0, 9), hash);
                                   return true;
                                 }));
  VIGIL_ASSIGN_OR_RETURN(Rows head, c.Query("SELECT value FROM meta WHERE key = 'audit_head'"));
  std::optional<std::string> recorded;
  if (head.size()) recorded = std::string(head.Text(0, 0));
  return check.Finish(recorded);
}

}  // namespace vigil::store::pg

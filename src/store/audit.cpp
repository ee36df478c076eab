#include "store/audit.h"

#include <sodium.h>

namespace vigil::store {

namespace {

constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

std::string Sha256Hex(const std::string& s) {
  static const int kInit = sodium_init();  // idempotent; hashing works either way
  (void)kInit;
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(s.data()), s.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

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

std::string AuditRowHash(const std::string& prev_hash, int64_t id, const AuditRecord& r) {
  const char sep = '\x1f';
  std::string s = prev_hash;
  for (const std::string* f : {&r.at, &r.user, &r.role, &r.action, &r.target, &r.detail, &r.client}) {
    s += sep;
    s += *f;
  }
  s += sep + std::to_string(id) + sep + std::to_string(r.status);
  return Sha256Hex(s);
}

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
  head.Bind(1, std::to_string(id) + ":" + hash);
  return head.Run();
}

core::Result<AuditCheck> VerifyAudit(Db* db) {
  AuditCheck c;
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT id, at, coalesce(user_name, ''), coalesce(role, ''), action, "
                                              "coalesce(target, ''), coalesce(detail, ''), coalesce(client, ''), "
                                              "status, prev_hash, hash FROM audit_log ORDER BY id"));
  std::string prev;
  int64_t last_id = 0;
  auto fail = [&c](int64_t id, std::string why) {
    if (c.ok) {
      c.ok = false;
      c.first_bad_id = id;
      c.problem = std::move(why);
    }
  };
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ++c.rows;
    const int64_t id = st.Int(0);
    if (st.IsNull(10)) {  // written before migration 10
      if (last_id > 0 && !prev.empty()) fail(id, "row " + std::to_string(id) + " has no hash after chained rows");
      ++c.unchained;
      last_id = id;
      continue;
    }
    if (!prev.empty() && id != last_id + 1)
      fail(id, "rows " + std::to_string(last_id + 1) + " to " + std::to_string(id - 1) + " are missing");
    if (std::string(st.Text(9)) != prev)
      fail(id, "row " + std::to_string(id) + " does not follow the row before it (a row was deleted or inserted)");
    const std::string want = AuditRowHash(prev, id, ReadRecord(st));
    if (want != st.Text(10)) fail(id, "row " + std::to_string(id) + " was edited after it was written");
    prev = st.Text(10);
    last_id = id;
  }
  c.head_hash = prev;
  auto head = db->Prepare("SELECT value FROM meta WHERE key = 'audit_head'");
  if (head.ok()) {
    VIGIL_ASSIGN_OR_RETURN(bool row, head->Step());
    const std::string expected = std::to_string(last_id) + ":" + prev;
    if (row && std::string(head->Text(0)) != expected)
      fail(last_id + 1, "the log ends at row " + std::to_string(last_id) + " but row " +
                            std::string(head->Text(0)).substr(0, std::string(head->Text(0)).find(':')) +
                            " was written: rows were cut off the end");
    if (!row && !prev.empty()) fail(last_id, "the log's recorded head is missing");
  }
  return c;
}

}  // namespace vigil::store

// vigil::store::pg — the audit log on PostgreSQL: the same chained rows as
// the SQLite backend (store/audit.h, docs/security.md). Used by the event
// store (imports audited with their data) and the account store.
//
// Thread-safety: functions on one connection, from its thread.
#pragma once

#include "core/status.h"
#include "store/audit_log.h"
#include "store/postgres/pg.h"

namespace vigil::store::pg {

// Appends `r`, chained to the newest row. REQUIRES: a transaction is open
// on `c`; an advisory lock held to its end orders concurrent writers.
core::Status AppendAudit(Conn& c, const AuditRecord& r);

// Reads the whole log and checks every link and the recorded head.
core::Result<AuditCheck> VerifyAudit(Conn& c);

}  // namespace vigil::store::pg

// vigil::store — the audit log: one append-only table of who did what, each
// row chained to the one before by a SHA-256 hash, so that an edited,
// inserted or deleted row breaks the chain (`vigil audit verify`). Triggers
// refuse UPDATE and DELETE; the chain catches what bypasses them (someone
// with the database file). The newest row's hash is also kept in `meta`, so
// cutting rows off the end is caught too; for protection against someone
// who rewrites both, copy the head hash elsewhere (docs/security.md).
//
// A row is written in the same transaction as the change it records: the
// caller opens the transaction (an ImportBatch, the alert store, Accounts)
// and calls AppendAudit inside it, so the change and its audit row commit
// or roll back together.
//
// Thread-safety: functions on one connection, from its thread.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "store/audit_log.h"
#include "store/sqlite.h"

namespace vigil::store {

// Appends `r`, chained to the newest row. REQUIRES: a write transaction is
// open on `db` (else two writers could chain to the same row).
core::Status AppendAudit(Db* db, const AuditRecord& r);

// Reads the whole log and checks every link and the recorded head.
core::Result<AuditCheck> VerifyAudit(Db* db);

}  // namespace vigil::store

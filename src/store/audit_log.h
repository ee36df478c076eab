// vigil::store — the audit log's records and the result of checking its
// chain, apart from any backend (the SQLite one is audit.h). A row records
// who did what, with what outcome; each row is chained to the one before by
// a SHA-256 hash (docs/security.md).
#pragma once

#include <cstdint>
#include <string>

namespace vigil::store {

struct AuditRecord {
  std::string user, role;  // "" for anonymous or the system
  std::string action;      // "POST /api/v1/events", "alert.escalate", ...
  std::string target, detail, client;
  int status = 0;  // HTTP status, or 0
  std::string at;  // ISO-8601 UTC; "" for now
};

struct AuditCheck {
  int64_t rows = 0;       // rows read
  int64_t unchained = 0;  // rows written before the chain existed (schema < 10)
  bool ok = true;
  int64_t first_bad_id = 0;  // the first row whose hash does not match
  std::string problem;       // what is wrong, in words ("" when ok)
  std::string head_hash;     // hash of the newest row
};

}  // namespace vigil::store

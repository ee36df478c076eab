// vigil::store — the audit log's records and the result of checking its
// chain, apart from any backend (the SQLite one is audit.h). A row records
// who did what, with what outcome; each row is chained to the one before by
// a SHA-256 hash (docs/security.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

// The hash of a row given the previous row's hash (hex SHA-256 of the
// fields joined by U+001F, in a fixed order).
std::string AuditRowHash(const std::string& prev_hash, int64_t id, const AuditRecord& r);

// The value kept in `meta` under 'audit_head' after row `id`: "id:hash".
std::string AuditHeadValue(int64_t id, const std::string& hash);

// Checks a log fed row by row in id order, whatever the backend: every
// link, gaps in the ids, and at the end the head recorded in `meta`.
class AuditChainChecker {
 public:
  // `hash` nullopt for a row written before the chain existed.
  void Row(int64_t id, const AuditRecord& r, std::string_view prev_hash, const std::optional<std::string>& hash);
  // `recorded_head`: meta's 'audit_head', nullopt when absent.
  AuditCheck Finish(const std::optional<std::string>& recorded_head);
  // When no head is kept at all.
  AuditCheck Finish() { return Done(); }

 private:
  void Fail(int64_t id, std::string why);
  AuditCheck Done();
  AuditCheck c_;
  std::string prev_;
  int64_t last_id_ = 0;
};

}  // namespace vigil::store

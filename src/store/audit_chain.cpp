#include <sodium.h>

#include "store/audit_log.h"

namespace vigil::store {

namespace {

std::string Sha256Hex(const std::string& s) {
  static const int kInit = sodium_init();  // idempotent; hashing works either way
  (void)kInit;
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(s.data()), s.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
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

std::string AuditHeadValue(int64_t id, const std::string& hash) { return std::to_string(id) + ":" + hash; }

void AuditChainChecker::Fail(int64_t id, std::string why) {
  if (!c_.ok) return;
  c_.ok = false;
  c_.first_bad_id = id;
  c_.problem = std::move(why);
}

void AuditChainChecker::Row(int64_t id, const AuditRecord& r, std::string_view prev_hash,
                            const std::optional<std::string>& hash) {
  ++c_.rows;
  const std::string at = std::to_string(id);
  if (!hash) {  // written before the chain existed
    if (last_id_ > 0 && !prev_.empty()) Fail(id, "row " + at + " has no hash after chained rows");
    ++c_.unchained;
    last_id_ = id;
    return;
  }
  if (!prev_.empty() && id != last_id_ + 1)
    Fail(id, "rows " + std::to_string(last_id_ + 1) + " to " + std::to_string(id - 1) + " are missing");
  if (prev_hash != prev_) Fail(id, "row " + at + " does not follow the row before it (a row was deleted or inserted)");
  if (AuditRowHash(prev_, id, r) != *hash) Fail(id, "row " + at + " was edited after it was written");
  prev_ = *hash;
  last_id_ = id;
}

AuditCheck AuditChainChecker::Done() {
  c_.head_hash = prev_;
  return c_;
}

AuditCheck AuditChainChecker::Finish(const std::optional<std::string>& recorded_head) {
  if (recorded_head && *recorded_head != AuditHeadValue(last_id_, prev_))
    Fail(last_id_ + 1, "the log ends at row " + std::to_string(last_id_) + " but row " +
                           recorded_head->substr(0, recorded_head->find(':')) + " was written: rows were cut off the end");
  if (!recorded_head && !prev_.empty()) Fail(last_id_, "the log's recorded head is missing");
  return Done();
}

}  // namespace vigil::store

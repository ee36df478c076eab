// vigil::report — the briefs the server writes on its schedule (weekly.h),
// kept in the database beside the events: their own small repository
// (migration 15), as SiteStore is. The SQLite backend is
// sqlite_sitrep_store.cpp; nothing here names SQLite.
//
// Thread-safety: one SitrepStore per thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"

namespace vigil::report {

struct StoredSitrep {
  int64_t id = 0;
  std::string area;  // as the store spells it; "" for all regions
  core::Date from, to;
  std::string lang;          // "en" or "fr"
  int64_t generated_at = 0;  // Unix seconds, UTC
  // The bodies: filled by Get, empty in List.
  std::string markdown, html, pdf;
};

class SitrepStore {
 public:
  virtual ~SitrepStore() = default;
  // Fails with kConflict when the database predates migration 15 ("run vigil
  // init"), kNotFound when it does not exist.
  static core::Result<std::unique_ptr<SitrepStore>> Open(const std::string& db_url);
  // Keeps the brief, replacing one of the same area, period and language;
  // returns its id. All three bodies are written in one statement.
  virtual core::Result<int64_t> Save(const StoredSitrep& s) = 0;
  virtual core::Result<bool> Has(const std::string& area, core::Date from, core::Date to, const std::string& lang) = 0;
  // Newest period first, then area and language; bodies left empty. `area`
  // "" lists every area; at most `limit` (1..1000).
  virtual core::Result<std::vector<StoredSitrep>> List(const std::string& area, int limit) = 0;
  // With its bodies; nullopt when there is none.
  virtual core::Result<std::optional<StoredSitrep>> Get(int64_t id) = 0;
};

}  // namespace vigil::report

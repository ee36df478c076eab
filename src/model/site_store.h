// vigil::model — the sites a user watches (`vigil site add|import|list|
// show|remove`), kept in the database beside the events: its own small
// repository, as RoadStore is (migration 14). The SQLite backend is
// sqlite_site_store.cpp; nothing here names SQLite.
//
// Thread-safety: one SiteStore per thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "geo/sites.h"

namespace vigil::model {

class SiteStore {
 public:
  virtual ~SiteStore() = default;
  // Fails with kConflict when the database predates migration 14 ("run vigil
  // init"), kNotFound when it does not exist.
  static core::Result<std::unique_ptr<SiteStore>> Open(const std::string& db_url);
  // Adds every site in one transaction, or none: fails with kConflict when
  // a name is already stored or given twice (names compare case-insensitively),
  // unless `replace`, when a stored site of that name is updated in place.
  // Returns the ids, in order.
  virtual core::Result<std::vector<int64_t>> Add(const std::vector<geo::Site>& sites, bool replace) = 0;
  // Every site, by name.
  virtual core::Result<std::vector<geo::Site>> List() = 0;
  // A site by id ("12") or name (case-insensitive).
  virtual core::Result<std::optional<geo::Site>> Find(const std::string& id_or_name) = 0;
  // Fails with kNotFound naming the site when there is none.
  virtual core::Status Remove(const std::string& id_or_name) = 0;
};

}  // namespace vigil::model

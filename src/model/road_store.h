// vigil::model — the road network a user imported (`vigil roads import`),
// kept in the database beside the events: its own small repository, as
// AlertStore is (migration 13). The SQLite backend is sqlite_road_store.cpp;
// nothing here names SQLite.
//
// Thread-safety: one RoadStore per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/status.h"
#include "geo/roads.h"

namespace vigil::model {

struct StoredRoadNetwork {
  int64_t id = 0;
  std::string name, source_path, fingerprint, imported_at;
  int64_t nodes = 0, edges = 0;
  double km = 0;
};

class RoadStore {
 public:
  virtual ~RoadStore() = default;
  // Fails with kConflict when the database predates migration 13 ("run vigil
  // init"), kNotFound when it does not exist.
  static core::Result<std::unique_ptr<RoadStore>> Open(const std::string& db_url);
  // Stores `net` as the active network, in one transaction: the previous one
  // stays stored but inactive. Returns its id.
  virtual core::Result<int64_t> Replace(const StoredRoadNetwork& meta, const geo::RoadNetwork& net) = 0;
  // The active network, if one was imported.
  virtual core::Result<std::optional<std::pair<StoredRoadNetwork, geo::RoadNetwork>>> Active() = 0;
  virtual core::Result<std::optional<StoredRoadNetwork>> ActiveInfo() = 0;
  // Back to the bundled network; the imported ones stay stored.
  virtual core::Status UseBundled() = 0;
};

}  // namespace vigil::model

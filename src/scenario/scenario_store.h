// vigil::scenario — scenario results kept in the database (migration 17), so
// `GET /api/v1/scenarios/{id}` and `vigil scenario show` can read them back:
// the summary's JSON (engine.h, SummaryJson) with the file it came from. Its
// own small repository, as SiteStore is; the SQLite backend is
// sqlite_scenario_store.cpp, and nothing here names SQLite.
//
// Thread-safety: one ScenarioStore per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/status.h"

namespace vigil::scenario {

struct StoredScenario {
  int64_t id = 0;
  std::string title, as_of, created_at;
  int runs = 0;
  core::Json result;  // SummaryJson; empty in List()
};

class ScenarioStore {
 public:
  virtual ~ScenarioStore() = default;
  // Fails with kConflict when the database predates migration 17 ("run vigil
  // init"), kNotFound when it does not exist.
  static core::Result<std::unique_ptr<ScenarioStore>> Open(const std::string& db_url);
  // Saves a summary (SummaryJson); returns its id.
  virtual core::Result<int64_t> Save(const core::Json& summary) = 0;
  virtual core::Result<std::optional<StoredScenario>> Get(int64_t id) = 0;
  // Every stored scenario, newest first, without results.
  virtual core::Result<std::vector<StoredScenario>> List() = 0;
};

}  // namespace vigil::scenario

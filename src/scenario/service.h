// vigil::scenario — running a scenario file against a database: the fitted
// model (the snapshot at the file's as_of, else the latest one), the
// fatalities of the model's events of the last two years to draw from, both
// arms, and the summary (engine.h).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "geo/reference.h"
#include "scenario/engine.h"
#include "store/store.h"

namespace vigil::scenario {

struct RunRequest {
  std::string text;  // the scenario file
  std::string name;  // how errors name it (its path)
  std::optional<int> runs;
  std::optional<uint64_t> seed;
  std::function<void(int done, int total)> progress;  // both arms: total = 2 * runs
  // Scale-out (dist/world.h): this process runs its shard of the runs; after
  // each arm `gather` must make it whole where the summary is read (sum the
  // shards' arrays onto one process). Only shard 0 saves a fitted model.
  int shard = 0, shards = 1;
  std::function<void(Arm*)> gather;
};

// Fails with kParse naming the file's line (bad file), kInvalidArgument (an
// injected date or span outside the simulated period), kNotFound (no model:
// "run vigil fit").
core::Result<Summary> RunScenario(store::EventStore* store, const geo::Reference& ref, const RunRequest& req);

}  // namespace vigil::scenario

// vigil::ingest — creating or upgrading a database and loading the bundled
// reference data into it (`vigil init`). Safe to run any number of times:
// migrations apply once, and reference tables are rewritten only when the
// bundled data's fingerprint changed.
#pragma once

#include "core/status.h"
#include "geo/reference.h"
#include "store/store.h"

namespace vigil::ingest {

struct InitReport {
  int version_before = 0;
  int version_after = 0;
  bool reference_loaded = false;  // false: already current
  int64_t places = 0, admin_units = 0, grid_cells = 0;
};

core::Result<InitReport> InitDatabase(store::EventStore* store, const geo::Reference& ref);

}  // namespace vigil::ingest

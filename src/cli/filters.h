// vigil::cli — the event filter flags shared by `vigil events` and `vigil
// stats`, parsed and validated into a store::EventFilter.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace vigil::cli {

struct FilterFlags {
  std::vector<std::string> country, admin1, admin2, type, sub_type;
  std::string bbox, near, from, to, actor;
  double radius_km = 25;
  int64_t min_fatalities = -1;
  int64_t limit = -1;  // -1: command default
};

void AddFilterFlags(CLI::App* cmd, FilterFlags* f);

// A validated filter. `near` (lat, lon, radius) is applied by the caller as
// an exact distance test after the store's bounding-box query.
struct ResolvedFilter {
  store::EventFilter filter;
  std::optional<std::pair<double, double>> near;
  double radius_km = 0;
};

// Fails with kInvalidArgument (bad value: says which flag and the expected
// form) or kNotFound (an admin1/admin2/country no event or place has).
core::Result<ResolvedFilter> ResolveFilter(const FilterFlags& f, store::EventStore* store);

}  // namespace vigil::cli

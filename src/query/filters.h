// vigil::query — the event filters shared by `vigil events`, `vigil stats`
// and the HTTP API, parsed and validated into a store::EventFilter.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "query/actor_aliases.h"
#include "store/store.h"

namespace vigil::query {

struct FilterFlags {
  std::vector<std::string> country, admin1, admin2, type, sub_type;
  std::string bbox, near, from, to, actor;
  double radius_km = 25;
  bool radius_given = false;  // radius_km was set by the user (needs near)
  int64_t min_fatalities = -1;
  int64_t limit = -1;  // -1: command default
  // Expands `actor` to the names the data uses ("FAMa" -> "Military Forces
  // of Mali"); null: searched as typed.
  const ActorAliases* aliases = nullptr;
};

// A validated filter. `near` (lat, lon, radius) is applied by the caller as
// an exact distance test after the store's bounding-box query.
struct ResolvedFilter {
  store::EventFilter filter;
  std::optional<std::pair<double, double>> near;
  double radius_km = 0;
};

// Fails with kInvalidArgument (bad value: says which flag and the expected
// form) or kNotFound (an admin1/admin2/country no event or place has).
// Messages name the inputs as the caller's users know them: command-line
// flags ("--min-fatalities") or HTTP query parameters ("min_fatalities").
enum class InputNames { kCommandLine, kQueryParameters };
core::Result<ResolvedFilter> ResolveFilter(const FilterFlags& f, store::EventStore* store,
                                           InputNames names = InputNames::kCommandLine);

}  // namespace vigil::query

// vigil::cli — the command-line flags of the event filters (query/filters.h).
#pragma once

#include <CLI/CLI.hpp>

#include "query/filters.h"

namespace vigil::cli {

struct Globals;
using query::FilterFlags;
using query::ResolvedFilter;

void AddFilterFlags(CLI::App* cmd, FilterFlags* f);

// query::ResolveFilter with the actor aliases of the data folder (an
// --actor as typed when the folder has none).
core::Result<ResolvedFilter> ResolveFilter(const Globals& g, FilterFlags f, store::EventStore* store);

}  // namespace vigil::cli

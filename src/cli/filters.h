// vigil::cli — the command-line flags of the event filters (query/filters.h).
#pragma once

#include <CLI/CLI.hpp>

#include "query/filters.h"

namespace vigil::cli {

using query::FilterFlags;
using query::ResolvedFilter;
using query::ResolveFilter;

void AddFilterFlags(CLI::App* cmd, FilterFlags* f);

}  // namespace vigil::cli

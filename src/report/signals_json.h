// vigil::report — signals as JSON, one shape for the CLI (--format json)
// and the API (/api/v1/signals/...). Field meanings in docs/signals.md.
#pragma once

#include "core/json.h"
#include "report/signals.h"

namespace vigil::report {

core::Json WavesJson(const std::vector<analysis::Wave>& waves);
core::Json RepeatJson(const std::vector<analysis::RepeatTarget>& targets);
core::Json DiffusionJson(const analysis::Diffusion& d);
core::Json DriftJson(const analysis::Drift& d);
core::Json ControlJson(const std::vector<analysis::UnitControl>& units);

// {"area", "from", "to", "waves", "repeat", "diffusion", "drift", "control"}.
core::Json SignalsJson(const Signals& s);

}  // namespace vigil::report

// vigil::model — the ViEWS-style baseline: a gradient-boosted classifier
// (XGBoost's C API) on lagged counts of a unit and its neighbours.
//
// Features of (unit u, origin t), all from events strictly before t:
//   counts of u in [t-30, t), [t-90, t-30), [t-365, t-90), [t-H, t);
//   the same four summed over u's neighbouring cells (cells only);
//   u's count over the whole training window, per year;
//   days since u's last event (capped at 3650).
// Label: at least one event in [t, t+H).
// Training examples: pseudo-origins every 30 days over the training window,
// keeping only those whose label window ends before the real origin (no
// future leaks in). 150 trees of depth 4, eta 0.1, logistic loss, fixed seed.
// expected_count is -ln(1 - p) (the Poisson mean with that P(any)).
#pragma once

#include <vector>

#include "core/status.h"
#include "model/forecast.h"

namespace vigil::model {

// `events` in model time (days since the window start), T the origin.
core::Result<std::vector<UnitForecast>> ForecastXgb(const std::vector<ModelEvent>& events, double T, double H,
                                                    const std::vector<Unit>& units, const UnitLocator& locate);

}  // namespace vigil::model

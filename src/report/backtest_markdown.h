// vigil::report — a backtest (model/service.h) as a Markdown report: the
// design (origins, horizon, level, window), one row of scores per model
// (Brier, log loss, ROC AUC, average precision, CRPS, ECE, Brier skill
// against persistence), each model's reliability table and the largest
// misses. Written by `vigil backtest --report FILE`.
//
// Thread-safety: a pure function.
#pragma once

#include <string>

#include "model/service.h"

namespace vigil::report {

std::string BacktestMarkdown(const model::BacktestReport& r, const model::BacktestRequest& req);

}  // namespace vigil::report

// Backtest benchmark: 36 monthly origins, horizon 30 days, PRIO-GRID cells,
// models hawkes/historical/persistence, 3-year training windows, on a
// simulated catalogue of about N events (default 50,000) spanning 8 years.
//
// usage: bench_backtest [N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "model/service.h"
#include "model/simulate.h"

int main(int argc, char** argv) {
  const double n = argc > 1 ? std::atof(argv[1]) : 50000;
  std::ifstream in(std::string(VIGIL_DATA_DIR) + "/models/sahel_simulation.json");
  auto spec = vigil::model::SpecFromJson(vigil::core::Json::parse(in));
  if (!spec.ok()) return 1;
  const double T = 8 * 365;
  spec->params.mu = n / T * 0.5;  // branching 0.5: total = mu / (1 - 0.5)
  auto sim = vigil::model::Simulate(*spec, T, 36);
  if (!sim.ok()) return 1;
  const auto start = *vigil::core::Date::Parse("2016-01-01");
  const auto events = vigil::model::ToEvents(*sim, start, 36);
  auto ref = vigil::geo::Reference::Load(VIGIL_DATA_DIR);
  if (!ref.ok()) return 1;
  vigil::model::BacktestRequest req;
  req.from = *vigil::core::Date::Parse("2020-01-01");
  req.to = req.from + 36 * 30;
  req.step_days = 30;
  req.horizon_days = 30;
  req.window_days = 3 * 365;
  const auto t0 = std::chrono::steady_clock::now();
  auto rep = vigil::model::BacktestEvents(events, **ref, req);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!rep.ok()) {
    std::fprintf(stderr, "%s\n", rep.status().message().c_str());
    return 1;
  }
  std::printf("backtest: %zu events, %d origins x %lld cells, 3 models: %.1f s\n", events.size(), rep->origins,
              static_cast<long long>(rep->units), s);
  for (const auto& m : rep->models)
    std::printf("  %-12s Brier %.4f  AP %.3f  AUC %.3f  ECE %.4f  skill vs persistence %+.3f\n", m.model.c_str(),
                m.scores.brier, m.scores.average_precision, m.scores.auc, m.scores.ece, m.brier_skill_vs_persistence);
  return 0;
}

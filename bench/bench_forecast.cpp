// Forecast skill on a messy simulated catalogue (forecasting issue): the
// Hawkes model against the rate mix, historical and persistence baselines at
// 7, 30 and 90 days, 24 monthly origins, PRIO-GRID cells, and the fitted
// parameters at every origin (their month-to-month stability).
//
// The catalogue comes from SPEC (default data/models/sahel_messy.json:
// repeated village coordinates, coverage from day 730, moving surges,
// heaping, week dates): six years from 2015-01-01, origins every 30 days
// from 2018-11-01 (day 1400).
//
// usage: bench_forecast [SEED [SPEC [HORIZONS]]]   e.g. bench_forecast 7 data/models/sahel_messy.json 7,30,90
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "model/service.h"
#include "model/simulate.h"
#include "report/backtest_markdown.h"

using vigil::core::Date;

int main(int argc, char** argv) {
  const uint64_t seed = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 7;
  const std::string path = argc > 2 ? argv[2] : std::string(VIGIL_DATA_DIR) + "/models/sahel_messy.json";
  std::vector<int> horizons{7, 30, 90};
  if (argc > 3) {
    horizons.clear();
    std::stringstream hs(argv[3]);
    for (std::string h; std::getline(hs, h, ',');) horizons.push_back(std::atoi(h.c_str()));
  }
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return 1;
  }
  auto spec = vigil::model::SpecFromJson(vigil::core::Json::parse(in));
  if (!spec.ok()) {
    std::fprintf(stderr, "%s\n", spec.status().message().c_str());
    return 1;
  }
  const double T = 6 * 365;
  auto sim = vigil::model::Simulate(*spec, T, seed);
  if (!sim.ok()) return 1;
  const Date start = *Date::Parse("2015-01-01");
  const auto events = vigil::model::ToEvents(*sim, start, seed);
  auto ref = vigil::geo::Reference::Load(VIGIL_DATA_DIR);
  if (!ref.ok()) return 1;
  std::printf("catalogue: %zu events (seed %llu, %s)\n", events.size(), static_cast<unsigned long long>(seed),
              path.c_str());
  const Date first_origin = start + 1400;
  // Parameters at every origin.
  std::printf(
      "\n| origin | events | branching | half-life d | sigma km | repeat share | recent share | recent half-life d | "
      "at bound |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  for (int k = 0; k < 24; ++k) {
    vigil::model::FitRequest fr;
    fr.as_of = first_origin + 30 * k;
    auto fit = vigil::model::FitEvents(events, fr);
    if (!fit.ok()) {
      std::fprintf(stderr, "%s\n", fit.status().message().c_str());
      return 1;
    }
    const auto& j = fit->summary;
    std::printf("| %s | %lld | %.3f | %.1f | %.1f | %.3f | %.3f | %.0f | %s |\n", fr.as_of.ToIso().c_str(),
                static_cast<long long>(fit->fit.n_events), fit->fit.branching_ratio, fit->fit.params.HalfLifeDays(),
                fit->fit.params.sigma_km, fit->fit.params.rho, j.value("recent_share", 0.0),
                fit->fit.params.recent_weight > 0 ? j.value("/params/recent_half_life_days"_json_pointer, 0.0) : 0.0,
                j.contains("at_bound") ? j["at_bound"].dump().c_str() : "[]");
  }
  for (int h : horizons) {
    vigil::model::BacktestRequest req;
    req.from = first_origin;
    req.to = first_origin + 24 * 30;
    req.horizon_days = h;
    req.models = {"hawkes", "ratemix", "historical", "persistence"};
    const auto t0 = std::chrono::steady_clock::now();
    auto rep = vigil::model::BacktestEvents(events, **ref, req);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!rep.ok()) {
      std::fprintf(stderr, "%s\n", rep.status().message().c_str());
      return 1;
    }
    std::printf("\nhorizon %d days: %d origins x %lld cells, %.1f s\n", h, rep->origins,
                static_cast<long long>(rep->units), s);
    if (std::getenv("VIGIL_BENCH_RELIABILITY"))
      std::fprintf(stderr, "%s\n", vigil::report::BacktestMarkdown(*rep, req).c_str());
    std::printf("| model | AP | Brier | ECE | AUC |\n|---|---|---|---|---|\n");
    for (const auto& m : rep->models)
      std::printf("| %s | %.3f | %.4f | %.4f | %.3f |\n", m.model.c_str(), m.scores.average_precision, m.scores.brier,
                  m.scores.ece, m.scores.auc);
  }
  return 0;
}

// Fit benchmark: simulates a catalogue of about N events from
// data/models/sahel_simulation.json (fixed seed; the period grows with N so
// the density of events in space and time stays that of the Sahel spec),
// fits the Hawkes model and prints time, iterations, recovered parameters
// and peak resident memory.
//
// usage: bench_fit N [THREADS]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "model/hawkes.h"
#include "model/simulate.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_fit N [THREADS]\n");
    return 2;
  }
  const double n = std::atof(argv[1]);
  std::ifstream in(std::string(VIGIL_DATA_DIR) + "/models/sahel_simulation.json");
  auto spec = vigil::model::SpecFromJson(vigil::core::Json::parse(in));
  if (!spec.ok()) {
    std::fprintf(stderr, "%s\n", spec.status().message().c_str());
    return 1;
  }
  // Expected events per day: mu / (1 - branching ratio).
  const double per_day = spec->params.mu / (1 - 0.5);
  const double T = n / per_day;
  auto t0 = std::chrono::steady_clock::now();
  auto sim = vigil::model::Simulate(*spec, T, 2024);
  if (!sim.ok()) return 1;
  const auto start = *vigil::core::Date::Parse("2000-01-01");
  auto events = vigil::model::ToEvents(*sim, start, 2024);
  auto cat = vigil::model::PrepareCatalogue(events, start, start, start + static_cast<int32_t>(T) + 1);
  events.clear();
  events.shrink_to_fit();
  const double sim_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  vigil::model::FitConfig cfg;
  if (argc > 2) cfg.threads = std::atoi(argv[2]);
  t0 = std::chrono::steady_clock::now();
  auto fit = vigil::model::FitHawkes(cat, T, cfg);
  const double fit_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!fit.ok()) {
    std::fprintf(stderr, "%s\n", fit.status().message().c_str());
    return 1;
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf(
      "N=%zu (%.0f days): simulate %.2f s, fit %.2f s (%d iterations, %.3f s each), peak RSS %.0f MB; "
      "branching %.3f (true 0.5), half-life %.2f d (7), sigma %.2f km (15)\n",
      cat.size(), T, sim_s, fit_s, fit->iterations, fit_s / fit->iterations, ru.ru_maxrss / 1024.0,
      fit->branching_ratio, fit->params.HalfLifeDays(), fit->params.sigma_km);
  return 0;
}

// How few events are too few to fit: simulates the Sahel catalogue of
// data/models/sahel_simulation.json (seven hotspots, 10% heaped on cell
// centres; truth branching 0.5, half-life 7 d, sigma 15 km) over three
// years with its background scaled down so that about N events fall in
// them, fits each, and
// prints per N how far the recovered branching ratio, half-life and
// spatial scale fall from the truth, and the share of fits that are
// unreliable: a parameter on its bound, no fit, or the branching ratio off
// by more than 0.2, the half-life or sigma by more than a factor of 2.
// (The messy catalogue, sahel_messy.json, is not used: its fits are biased
// at any N — villages and repeats — so it cannot separate thin from wrong.)
// docs/models.md ("Too few events") reads the threshold from this table.
//
// usage: bench_thin [REPEATS] [N...]   (default 12 repeats; N 15 25 40 60 100 160 250)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

#include "model/catalogue.h"
#include "model/hawkes.h"
#include "model/simulate.h"

namespace {

double Median(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vigil;
  const int repeats = argc > 1 ? std::atoi(argv[1]) : 12;
  std::vector<double> sizes;
  for (int i = 2; i < argc; ++i) sizes.push_back(std::atof(argv[i]));
  if (sizes.empty()) sizes = {15, 25, 40, 60, 100, 160, 250};
  std::ifstream in(std::string(VIGIL_DATA_DIR) + "/models/sahel_simulation.json");
  auto base = model::SpecFromJson(core::Json::parse(in));
  if (!base.ok()) {
    std::fprintf(stderr, "%s\n", base.status().message().c_str());
    return 1;
  }
  const double T = 3 * 365, T0 = 0;
  const double b_true = 0.5, hl_true = 7, sigma_true = 15;
  const auto origin = *core::Date::Parse("2000-01-01");
  // Reported events at full rate, to scale the background to N.
  auto full = model::Simulate(*base, T, 1);
  double n_full = 0;
  for (const auto& e : *full) n_full += e.t >= T0;
  std::printf("full-rate catalogue: %.0f reported events; truth branching %.2f, half-life %.0f d, sigma %.0f km\n",
              n_full, b_true, hl_true, sigma_true);
  std::printf("%6s %6s %8s %10s %10s %10s %11s\n", "N", "fits", "median N", "|b err|", "hl ratio", "sigma rat",
              "unreliable");
  for (double n : sizes) {
    model::SimulationSpec spec = *base;
    const double f = n / n_full;
    spec.params.mu *= f;
    for (auto& s : spec.surges) s.rate *= f;
    std::vector<double> berr, hl, sg, got;
    int bad = 0;
    for (int r = 0; r < repeats; ++r) {
      auto sim = model::Simulate(spec, T, 100 + r);
      if (!sim.ok()) return 1;
      auto events = model::ToEvents(*sim, origin, 100 + r);
      const core::Date from = origin + static_cast<int32_t>(T0);
      auto cat = model::PrepareCatalogue(events, from, from, origin + static_cast<int32_t>(T));
      got.push_back(static_cast<double>(cat.size()));
      auto fit = model::FitHawkes(cat, T - T0, model::FitConfig{});
      if (!fit.ok()) {
        ++bad;
        continue;
      }
      const double b = fit->branching_ratio, h = fit->params.HalfLifeDays(), s = fit->params.sigma_km;
      berr.push_back(std::fabs(b - b_true));
      hl.push_back(h / hl_true);
      sg.push_back(s / sigma_true);
      const bool off = !fit->at_bound.empty() || std::fabs(b - b_true) > 0.2 || h / hl_true > 2 || h / hl_true < 0.5 ||
                       s / sigma_true > 2 || s / sigma_true < 0.5;
      bad += off;
    }
    std::printf("%6.0f %6d %8.0f %10.3f %10.2f %10.2f %10.0f%%\n", n, repeats, Median(got), Median(berr), Median(hl),
                Median(sg), 100.0 * bad / repeats);
    std::fflush(stdout);
  }
  return 0;
}

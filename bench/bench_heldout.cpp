// The vigil side of the twinstim comparison (bench/peer_twinstim.sh).
//
// Simulates a catalogue from data/models/sahel_simulation.json (no heaping,
// mu scaled so that about N events fall in the 6-year training period, then 1
// held-out year), keeps the events inside Mali's outline (simplified to about
// 300 vertices, as twinstim needs an observation window), writes them for R
// in kilometres and days (equirectangular projection, reference latitude 17N,
// central meridian 4W: x = R (lon + 4) cos 17°, y = R (lat - 17)), writes the
// window polygon the same way, fits vigil's Hawkes model on the training
// events and prints the fit time and the held-out log-likelihood per event.
//
// usage: bench_heldout N OUTDIR SEED
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "geo/geojson.h"
#include "model/hawkes.h"
#include "model/simulate.h"

namespace {
constexpr double kKmPerDeg = 111.19492664455873;
double X(double lon) { return (lon + 4) * kKmPerDeg * std::cos(17 * M_PI / 180); }
double Y(double lat) { return (lat - 17) * kKmPerDeg; }
}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: bench_heldout N OUTDIR SEED\n");
    return 2;
  }
  const double n = std::atof(argv[1]);
  const std::string dir = argv[2];
  const uint64_t seed = std::strtoull(argv[3], nullptr, 10);
  std::ifstream in(std::string(VIGIL_DATA_DIR) + "/models/sahel_simulation.json");
  auto spec = vigil::model::SpecFromJson(vigil::core::Json::parse(in));
  if (!spec.ok()) return 1;
  spec->heap_share = 0;
  const double Tc = 6 * 365, T = 7 * 365;
  spec->params.mu = n / Tc * 0.5 * 1.25;  // about n inside Mali's outline
  auto sim = vigil::model::Simulate(*spec, T, seed);
  if (!sim.ok()) return 1;
  // Mali's outline, simplified by keeping every k-th vertex of each ring.
  auto mali = vigil::geo::ReadPolygonFeatures(std::string(VIGIL_DATA_DIR) + "/boundaries/ne10m_mali_adm0.geojson");
  if (!mali.ok() || mali->empty()) return 1;
  std::vector<vigil::geo::Ring> rings;
  size_t total = 0;
  for (const auto& r : (*mali)[0].rings) total += r.size();
  const size_t step = std::max<size_t>(1, total / 300);
  for (const auto& r : (*mali)[0].rings) {
    if (r.size() < 50) continue;  // drop slivers
    vigil::geo::Ring s;
    for (size_t i = 0; i < r.size(); i += step) s.push_back(r[i]);
    if (s.size() >= 4) rings.push_back(std::move(s));
  }
  {
    std::ofstream w(dir + "/window.csv");
    w << "ring,x,y\n";
    for (size_t k = 0; k < rings.size(); ++k)
      for (const auto& p : rings[k]) w << k << "," << X(p.lon) << "," << Y(p.lat) << "\n";
  }
  std::vector<vigil::model::SimEvent> kept;
  for (const auto& e : *sim)
    if (vigil::geo::PointInRings(rings, e.lon, e.lat)) kept.push_back(e);
  const auto start = *vigil::core::Date::Parse("2010-01-01");
  auto events = vigil::model::ToEvents(kept, start, seed);
  auto all = vigil::model::PrepareCatalogue(events, start, start, start + static_cast<int32_t>(T) + 1);
  std::vector<vigil::model::ModelEvent> train;
  for (const auto& e : all)
    if (e.t < Tc) train.push_back(e);
  {
    std::ofstream w(dir + "/events.csv");
    w.precision(10);
    w << "t,x,y,class\n";
    for (const auto& e : all) w << e.t << "," << X(e.lon) << "," << Y(e.lat) << "," << e.cls << "\n";
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto fit = vigil::model::FitHawkes(train, Tc, vigil::model::FitConfig{});
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!fit.ok()) {
    std::fprintf(stderr, "%s\n", fit.status().message().c_str());
    return 1;
  }
  int64_t scored = 0;
  const double ll = vigil::model::HeldOutLogLikelihood(fit->params, fit->background, all, Tc, T, &scored);
  std::printf(
      "{\"train_events\": %zu, \"heldout_events\": %lld, \"fit_seconds\": %.3f, \"heldout_loglik_per_event\": "
      "%.4f, \"branching\": %.3f, \"half_life_days\": %.2f, \"sigma_km\": %.2f}\n",
      train.size(), static_cast<long long>(scored), secs, ll / static_cast<double>(scored), fit->branching_ratio,
      fit->params.HalfLifeDays(), fit->params.sigma_km);
  return 0;
}

// Roads (roads issue): route queries on the bundled network and on generated
// networks of 20,000 to 200,000 edges, and the risk of every segment
// recomputed after a fit.
//
// 1. A catalogue from data/models/sahel_messy.json (six years), the model
//    fitted at day 1800; risk for every segment at 1, 7 and 30 days (boxes,
//    the model's field, the on-road part), timed end to end.
// 2. 2,000 random town pairs on the bundled network, the least-risk route
//    with 2 alternatives (Yen) and without: p50, p99.
// 3. Generated grid-like networks (jittered lattice, a share of diagonals),
//    built through RoadNetwork::Builder, random costs: build time, and the
//    p50/p99 of one least-cost query and of a query with 2 alternatives.
//
// usage: bench_roads [SEED]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>

#include "geo/corridors.h"
#include "geo/road_import.h"
#include "geo/routing.h"
#include "model/road_risk.h"
#include "model/service.h"
#include "model/simulate.h"

using Clock = std::chrono::steady_clock;
using vigil::core::Date;

namespace {

double Ms(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); }

double Pct(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(q * v.size()))];
}

vigil::geo::RoadNetwork Lattice(int side, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> jit(-0.3, 0.3), u(0, 1);
  vigil::geo::RoadNetwork::Builder b;
  const double step = 0.02;  // about 2 km
  std::vector<uint32_t> id(static_cast<size_t>(side) * side);
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x)
      id[static_cast<size_t>(y) * side + x] =
          b.AddNode("n" + std::to_string(y * side + x), 10 + (y + jit(rng)) * step, -12 + (x + jit(rng)) * step, 0);
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x) {
      const uint32_t n = id[static_cast<size_t>(y) * side + x];
      if (x + 1 < side) b.AddHop("R", n, id[static_cast<size_t>(y) * side + x + 1]);
      if (y + 1 < side) b.AddHop("R", n, id[static_cast<size_t>(y + 1) * side + x]);
      if (x + 1 < side && y + 1 < side && u(rng) < 0.1) b.AddHop("R", n, id[static_cast<size_t>(y + 1) * side + x + 1]);
    }
  return std::move(b).Build();
}

void Queries(const vigil::geo::RoadNetwork& net, const std::vector<double>& cost, int n, uint64_t seed,
             const char* label) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<uint32_t> pick(0, static_cast<uint32_t>(net.nodes().size() - 1));
  vigil::geo::Router router(net);
  std::vector<double> one, three;
  for (int i = 0; i < n; ++i) {
    const uint32_t a = pick(rng), b = pick(rng);
    if (a == b) continue;
    auto t0 = Clock::now();
    auto p = router.Shortest(a, b, cost);
    auto t1 = Clock::now();
    auto k = router.KShortest(a, b, cost, 3);
    auto t2 = Clock::now();
    if (p.nodes.empty()) continue;
    one.push_back(Ms(t0, t1));
    three.push_back(Ms(t1, t2));
  }
  std::printf("| %s | %zu | %zu | %.3f | %.3f | %.3f | %.3f |\n", label, net.nodes().size(), net.edges().size(),
              Pct(one, 0.5), Pct(one, 0.99), Pct(three, 0.5), Pct(three, 0.99));
}

// The lattice as a GeoPackage of lines (one per edge) made by ogr2ogr from
// GeoJSON: what a user's road layer looks like to the loader.
std::string LatticeFile(const vigil::geo::RoadNetwork& g, const std::string& stem) {
  const std::string gj = stem + ".geojson", gpkg = stem + ".gpkg";
  {
    std::ofstream out(gj);
    out << "{\"type\":\"FeatureCollection\",\"features\":[";
    for (uint32_t e = 0; e < g.edges().size(); ++e) {
      const auto& a = g.nodes()[g.edges()[e].a];
      const auto& b = g.nodes()[g.edges()[e].b];
      char buf[256];
      std::snprintf(buf, sizeof buf,
                    "%s{\"type\":\"Feature\",\"properties\":{\"ref\":\"R%u\"},\"geometry\":{\"type\":"
                    "\"LineString\",\"coordinates\":[[%.7f,%.7f],[%.7f,%.7f]]}}",
                    e ? "," : "", e % 97, a.lon, a.lat, b.lon, b.lat);
      out << buf;
    }
    out << "]}";
  }
  std::remove(gpkg.c_str());
  if (std::system(("ogr2ogr -f GPKG '" + gpkg + "' '" + gj + "' -nln roads 2>/dev/null").c_str()) != 0) return "";
  std::remove(gj.c_str());
  return gpkg;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const uint64_t seed = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 7;
  std::ifstream in(std::string(VIGIL_DATA_DIR) + "/models/sahel_messy.json");
  auto spec = vigil::model::SpecFromJson(vigil::core::Json::parse(in));
  if (!spec.ok()) return 1;
  auto sim = vigil::model::Simulate(*spec, 6 * 365, seed);
  if (!sim.ok()) return 1;
  const Date start = *Date::Parse("2015-01-01");
  const auto events = vigil::model::ToEvents(*sim, start, seed);
  auto net = vigil::geo::RoadNetwork::LoadBundled(VIGIL_DATA_DIR);
  auto lex = vigil::geo::RoadIncidentLexicon::Load(VIGIL_DATA_DIR);
  if (!net.ok() || !lex.ok()) return 1;
  vigil::model::FitRequest fr;
  fr.as_of = start + 1800;
  auto t0 = Clock::now();
  auto fit = vigil::model::FitEvents(events, fr);
  auto t1 = Clock::now();
  if (!fit.ok()) return 1;
  std::printf("catalogue: %zu events (seed %llu); fit at %s on %lld events: %.0f ms\n", events.size(),
              static_cast<unsigned long long>(seed), fr.as_of.ToIso().c_str(),
              static_cast<long long>(fit->fit.n_events), Ms(t0, t1));
  // Segment risk, three times (the first warms the caches).
  vigil::model::RoadRiskConfig cfg;
  std::vector<vigil::core::Event> before;
  for (const auto& e : events)
    if (e.date_start < fr.as_of && fr.as_of - e.date_start < 300) before.push_back(e);
  vigil::model::RoadRisk risk;
  double boxes_ms = 0, field_ms = 0, total_ms = 1e18;
  for (int rep = 0; rep < 3; ++rep) {
    auto a = Clock::now();
    auto boxes = vigil::model::MakeRoadBoxes(*net, cfg.buffer_km, cfg.box_deg);
    auto b = Clock::now();
    std::vector<vigil::model::BoxField> fields;
    const double T = fr.as_of - fit->window_start;
    for (const auto& rows : vigil::model::ForecastHawkesHorizons(
             fit->fit, fit->catalogue, T, std::vector<double>(cfg.horizons.begin(), cfg.horizons.end()), boxes.units))
      fields.push_back(vigil::model::FieldFromForecast(rows));
    auto c = Clock::now();
    const auto hits = vigil::geo::MatchEventsToRoads(*net, before, *lex, {});
    risk = vigil::model::CombineRoadRisk(*net, std::move(boxes), std::move(fields), before, hits, fr.as_of, cfg);
    auto d = Clock::now();
    if (Ms(a, d) < total_ms) total_ms = Ms(a, d), boxes_ms = Ms(a, b), field_ms = Ms(b, c);
  }
  std::printf("segment risk: %zu segments, %zu boxes, 3 horizons: %.0f ms (boxes %.0f, model field %.0f, rest %.0f)\n",
              net->segments().size(), risk.boxes.units.size(), total_ms, boxes_ms, field_ms,
              total_ms - boxes_ms - field_ms);
  // Route queries on the bundled network with the risk costs.
  std::printf("\n| network | towns | edges | 1 route p50 ms | p99 ms | 3 routes (Yen) p50 ms | p99 ms |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  Queries(*net, vigil::model::EdgeCosts(*net, risk, risk.HorizonIndex(7), 1000, {}), 2000, seed, "bundled");
  for (int side : {100, 224, 316}) {
    auto a = Clock::now();
    const auto g = Lattice(side, seed);
    auto b = Clock::now();
    std::vector<double> cost;
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(1, 2);
    for (const auto& e : g.edges()) cost.push_back(e.km * u(rng));
    char label[96];
    std::snprintf(label, sizeof label, "lattice %dx%d (built in %.0f ms)", side, side, Ms(a, b));
    Queries(g, cost, side > 200 ? 200 : 500, seed, label);
  }
  // The same lattices loaded from a GeoPackage through the GDAL loader.
  std::printf(
      "\n| GeoPackage | features | load ms (ogr2ogr + noding + build) | towns | edges | 1 route p50 ms | p99 ms |"
      " 3 routes p50 ms | p99 ms |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  for (int side : {100, 316}) {
    const auto g = Lattice(side, seed);
    const std::string file = LatticeFile(g, "/tmp/vigil_bench_lattice_" + std::to_string(side));
    if (file.empty()) {
      std::printf("ogr2ogr failed: is gdal-bin installed?\n");
      return 1;
    }
    vigil::geo::RoadImportSummary sum;
    auto a = Clock::now();
    auto loaded = vigil::geo::ImportRoadNetwork(file, {}, &sum);
    auto b = Clock::now();
    std::remove(file.c_str());
    if (!loaded.ok()) {
      std::printf("%s\n", loaded.status().message().c_str());
      return 1;
    }
    std::vector<double> cost;
    for (const auto& e : loaded->edges()) cost.push_back(e.km);
    char label[96];
    std::snprintf(label, sizeof label, "%dx%d | %lld | %.0f", side, side, static_cast<long long>(sum.features),
                  Ms(a, b));
    Queries(*loaded, cost, side > 200 ? 200 : 500, seed, label);
  }
  return 0;
}

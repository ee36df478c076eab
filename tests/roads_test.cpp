// Roads: the bundled network, least-risk routes on small drawn networks (in
// the style of OSRM's scenario tests), corridor status, and the 2025
// blockade read from the bundled events.
#include "geo/roads.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>

#include "core/event_json.h"
#include "geo/corridors.h"
#include "geo/road_import.h"
#include "geo/routing.h"
#include "model/road_risk.h"
#include "model/road_service.h"
#include "model/road_store.h"
#include "model/service.h"
#include "test_support.h"

namespace vigil {
namespace {

using geo::RoadNetwork;

const geo::RoadIncidentLexicon& Lexicon() {
  static const auto lex = *geo::RoadIncidentLexicon::Load(VIGIL_TEST_DATA_DIR);
  return lex;
}

// ---- drawn networks ---------------------------------------------------------

// Nodes on a grid near 14N 8W: "x,y" in grid steps of `step` degrees.
struct Drawn {
  std::vector<std::pair<std::string, std::pair<int, int>>> nodes;
  // route, from, to, km (0: straight line x kRoadFactor)
  std::vector<std::tuple<std::string, std::string, std::string, double>> hops;
  double step = 0.1;
};

RoadNetwork Build(const Drawn& d) {
  RoadNetwork::Builder b;
  std::map<std::string, uint32_t> id;
  for (const auto& [name, xy] : d.nodes)
    id[name] = b.AddNode(name, 14.0 + d.step * xy.second, -8.0 + d.step * xy.first);
  for (const auto& [route, from, to, km] : d.hops) b.AddHop(route, id.at(from), id.at(to), km);
  return std::move(b).Build();
}

core::Event At(const RoadNetwork& net, const std::string& a, const std::string& b, double f, const std::string& date,
               const std::string& notes = "", const std::string& type = "Battles") {
  const auto& na = net.nodes()[*net.FindNode(a)];
  const auto& nb = net.nodes()[*net.FindNode(b)];
  core::Event e;
  e.latitude = na.lat + (nb.lat - na.lat) * f;
  e.longitude = na.lon + (nb.lon - na.lon) * f;
  e.date_start = e.date_end = *core::Date::Parse(date);
  e.event_type = type;
  e.sub_event_type = type == "Battles" ? "Armed clash" : "Other";
  e.notes = notes;
  e.location = a + "-" + b + " road";
  return e;
}

std::vector<std::string> Towns(const RoadNetwork& net, const geo::Path& p) {
  std::vector<std::string> out;
  for (uint32_t n : p.nodes) out.push_back(net.nodes()[n].name);
  return out;
}

// Risk from on-road incidents only (no model field): what the drawn tests
// plant.
model::RoadRisk RoadOnly(const RoadNetwork& net, const std::vector<core::Event>& events, const std::string& as_of) {
  const auto hits = geo::MatchEventsToRoads(net, events, Lexicon(), {});
  return model::CombineRoadRisk(net, {}, {}, events, hits, *core::Date::Parse(as_of), {});
}

//   a ---- b ---- c        direct a-b-c: 2 x 20 km (road km as drawn, the
//    \            /          grid's step of 0.3° keeps the hops' buffers
//     d -------- e          apart); detour a-d-e-c: 3 x 20 km (20 km longer)
const Drawn kDetour = {
    {{"a", {0, 2}}, {"b", {2, 2}}, {"c", {4, 2}}, {"d", {1, 0}}, {"e", {3, 0}}},
    {{"R1", "a", "b", 20}, {"R1", "b", "c", 20}, {"R2", "a", "d", 20}, {"R2", "d", "e", 20}, {"R2", "e", "c", 20}},
    0.3};

TEST(Routing, TheLeastRiskRouteAvoidsAPlantedClusterWhenTheDetourIsWorthIt) {
  const RoadNetwork net = Build(kDetour);
  std::vector<core::Event> ev;
  for (int i = 0; i < 4; ++i)
    ev.push_back(At(net, "b", "c", 0.5, "2025-03-0" + std::to_string(i + 1), "convoy ambushed on the road"));
  const auto risk = RoadOnly(net, ev, "2025-03-10");
  const size_t h = risk.HorizonIndex(7);
  const auto bc = *net.EdgeBetween(*net.FindNode("b"), *net.FindNode("c"));
  const double r = risk.edges[h][bc].roots;
  ASSERT_GT(r, 0.01);
  // Every other hop carries no risk.
  for (uint32_t e = 0; e < net.edges().size(); ++e) {
    if (e == bc) continue;
    EXPECT_EQ(risk.edges[h][e].roots, 0) << net.EdgeName(e);
  }
  model::RouteRequest req;
  req.from = *net.FindNode("a");
  req.to = *net.FindNode("c");
  req.horizon_days = 7;
  req.alternatives = 1;
  // The detour costs 20 km more: worth it when risk_weight x r > 20.
  req.risk_weight = 1.2 * 20 / r;
  auto avoid = model::PlanRoutes(net, risk, req);
  ASSERT_TRUE(avoid.ok()) << avoid.status().ToString();
  EXPECT_EQ(Towns(net, (*avoid)[0].path), (std::vector<std::string>{"a", "d", "e", "c"}));
  EXPECT_NEAR((*avoid)[0].km, 60, 1e-9);
  EXPECT_EQ((*avoid)[0].figure.roots, 0);
  // The alternative is the risky direct road, with its figures.
  ASSERT_EQ(avoid->size(), 2u);
  EXPECT_EQ(Towns(net, (*avoid)[1].path), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_NEAR((*avoid)[1].figure.p_any, -std::expm1(-r), 1e-12);
  ASSERT_FALSE((*avoid)[1].worst.empty());
  EXPECT_EQ(net.segments()[(*avoid)[1].worst[0].segment].edge, bc);
  req.risk_weight = 0.8 * 20 / r;
  auto take = model::PlanRoutes(net, risk, req);
  ASSERT_TRUE(take.ok());
  EXPECT_EQ(Towns(net, (*take)[0].path), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(Routing, IncidentsOffTheRoadOrTooOldDoNotCount) {
  const RoadNetwork net = Build(kDetour);
  std::vector<core::Event> ev;
  // 30 km off the b-c hop, and one on it a year before.
  core::Event off = At(net, "b", "c", 0.5, "2025-03-01", "convoy ambushed");
  off.latitude += 0.3;
  ev.push_back(off);
  ev.push_back(At(net, "b", "c", 0.5, "2024-03-01", "convoy ambushed"));
  const auto risk = RoadOnly(net, ev, "2025-03-10");
  const auto bc = *net.EdgeBetween(*net.FindNode("b"), *net.FindNode("c"));
  EXPECT_EQ(risk.edges[0][bc].roots, risk.edges[0][bc].road_expected);
  EXPECT_LT(risk.edges[risk.HorizonIndex(7)][bc].road_expected, 0.005);  // 374 days: 2^-12 of a fresh one
}

// A 3 x 3 grid: many paths of equal length between opposite corners.
//   g7 - g8 - g9
//   |    |    |
//   g4 - g5 - g6
//   |    |    |
//   g1 - g2 - g3
TEST(Routing, KAlternativesAreLoopFreeDistinctAndInCostOrder) {
  Drawn d;
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 3; ++x) d.nodes.push_back({"g" + std::to_string(1 + x + 3 * y), {x * 2, y * 2}});
  auto n = [](int x, int y) { return "g" + std::to_string(1 + x + 3 * y); };
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 3; ++x) {
      if (x < 2) d.hops.push_back({"H" + std::to_string(y), n(x, y), n(x + 1, y), 10 + x + y});
      if (y < 2) d.hops.push_back({"V" + std::to_string(x), n(x, y), n(x, y + 1), 10 + 2 * x + y});
    }
  const RoadNetwork net = Build(d);
  std::vector<double> cost;
  for (const auto& e : net.edges()) cost.push_back(e.km);
  geo::Router router(net);
  const auto from = *net.FindNode("g1"), to = *net.FindNode("g9");
  const auto paths = router.KShortest(from, to, cost, 8);
  ASSERT_EQ(paths.size(), 8u);
  EXPECT_EQ(paths[0].edges, router.Shortest(from, to, cost).edges);
  std::set<std::vector<uint32_t>> distinct;
  for (size_t i = 0; i < paths.size(); ++i) {
    const auto& p = paths[i];
    EXPECT_EQ(p.nodes.front(), from);
    EXPECT_EQ(p.nodes.back(), to);
    std::set<uint32_t> nodes(p.nodes.begin(), p.nodes.end());
    EXPECT_EQ(nodes.size(), p.nodes.size()) << "path " << i << " revisits a town";
    double c = 0;
    for (size_t k = 0; k < p.edges.size(); ++k) {
      const auto& e = net.edges()[p.edges[k]];
      EXPECT_TRUE((e.a == p.nodes[k] && e.b == p.nodes[k + 1]) || (e.b == p.nodes[k] && e.a == p.nodes[k + 1]));
      c += cost[p.edges[k]];
    }
    EXPECT_NEAR(c, p.cost, 1e-9);
    if (i > 0) {
      EXPECT_GE(p.cost, paths[i - 1].cost);
    }
    distinct.insert(p.edges);
  }
  EXPECT_EQ(distinct.size(), paths.size());
  // There are exactly 12 loop-free paths corner to corner on a 3 x 3 grid.
  EXPECT_EQ(router.KShortest(from, to, cost, 50).size(), 12u);
}

TEST(Routing, AvoidedRoadsAreNeverUsedAndAnUnreachableTownIsAClearError) {
  const RoadNetwork net = Build(kDetour);
  const auto risk = RoadOnly(net, {}, "2025-03-10");
  model::RouteRequest req;
  req.from = *net.FindNode("a");
  req.to = *net.FindNode("c");
  auto avoid = model::ResolveAvoid(net, {"R1"});
  ASSERT_TRUE(avoid.ok());
  req.avoid_edges = *avoid;
  auto r = model::PlanRoutes(net, risk, req);
  ASSERT_TRUE(r.ok());
  for (const auto& o : *r) EXPECT_EQ(Towns(net, o.path), (std::vector<std::string>{"a", "d", "e", "c"}));
  auto both = model::ResolveAvoid(net, {"R1", "d-e"});
  ASSERT_TRUE(both.ok());
  req.avoid_edges = *both;
  auto none = model::PlanRoutes(net, risk, req);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), core::Code::kNotFound);
  EXPECT_NE(none.status().message().find("without the roads to avoid"), std::string::npos);
  auto bad = model::ResolveAvoid(net, {"a-c"});  // not adjacent
  EXPECT_FALSE(bad.ok());
}

// ---- corridor status on a drawn network -------------------------------------

//   w ---- x ---- y ---- z     one route "L", 4 x 30 km
const Drawn kLine = {{{"w", {0, 0}}, {"x", {3, 0}}, {"y", {6, 0}}, {"z", {9, 0}}},
                     {{"L", "w", "x", 30}, {"L", "x", "y", 30}, {"L", "y", "z", 30}}};

const geo::CorridorStatus& StatusOf(const std::vector<geo::CorridorStatus>& s, const std::string& id) {
  for (const auto& c : s)
    if (c.corridor->id == id) return c;
  throw std::runtime_error("no corridor " + id);
}

TEST(Corridors, ASustainedExcessOverItsOwnBaselineIsDisruptionAndTheBaselineAloneIsNot) {
  const RoadNetwork net = Build(kLine);
  std::vector<core::Event> ev;
  // A year at about two events a month.
  for (int m = 1; m <= 12; ++m)
    for (int k = 0; k < 2; ++k) {
      char d[16];
      std::snprintf(d, sizeof d, "2024-%02d-%02d", m, 5 + 10 * k);
      ev.push_back(At(net, "w", "z", 0.1 + 0.4 * k, d));
    }
  const auto hits = geo::MatchEventsToRoads(net, ev, Lexicon(), {});
  auto quiet = geo::AssessCorridors(net, ev, hits, *core::Date::Parse("2025-01-01"), {});
  EXPECT_EQ(StatusOf(quiet, "L").state, geo::CorridorState::kOpen);
  // Then twelve in three weeks of January.
  for (int k = 0; k < 12; ++k) ev.push_back(At(net, "x", "y", 0.05 * k, "2025-01-" + std::to_string(10 + k)));
  const auto hits2 = geo::MatchEventsToRoads(net, ev, Lexicon(), {});
  auto surge = geo::AssessCorridors(net, ev, hits2, *core::Date::Parse("2025-02-01"), {});
  const auto& s = StatusOf(surge, "L");
  EXPECT_EQ(s.state, geo::CorridorState::kDisrupted) << s.reason_en;
  EXPECT_EQ(s.incidents, 12);
  EXPECT_LT(s.p_value, 0.001);
  EXPECT_EQ(s.evidence.size(), 12u);
  EXPECT_FALSE(s.reason_fr.empty());
}

TEST(Corridors, ADeclaredBlockadeOfATownBlockadesTheRoadsIntoItUntilItLapses) {
  const RoadNetwork net = Build(kDetour);
  core::Event b = At(net, "c", "c", 0, "2025-05-01", "", "Strategic developments");
  b.tags = {"blockade"};
  b.geo_precision = core::kGeoPrecisionNear;
  std::vector<core::Event> ev{b};
  const auto hits = geo::MatchEventsToRoads(net, ev, Lexicon(), {});
  auto s = geo::AssessCorridors(net, ev, hits, *core::Date::Parse("2025-05-20"), {});
  EXPECT_EQ(StatusOf(s, "R1").state, geo::CorridorState::kBlockaded);  // both routes reach c
  EXPECT_EQ(StatusOf(s, "R2").state, geo::CorridorState::kBlockaded);
  EXPECT_GT(StatusOf(s, "R1").confidence, 0.8);
  auto before = geo::AssessCorridors(net, ev, hits, *core::Date::Parse("2025-05-01"), {});
  EXPECT_EQ(StatusOf(before, "R1").state, geo::CorridorState::kOpen);  // only events before as_of count
  auto later = geo::AssessCorridors(net, ev, hits, *core::Date::Parse("2025-12-01"), {});
  EXPECT_EQ(StatusOf(later, "R1").state, geo::CorridorState::kOpen);  // past the 120-day hold
}

TEST(Corridors, OnRoadIncidentsDisruptAndThreeInAMonthAreADeFactoBlockade) {
  const RoadNetwork net = Build(kLine);
  std::vector<core::Event> ev{At(net, "x", "y", 0.5, "2025-04-02", "fuel tankers burned on the road")};
  auto s = geo::AssessCorridors(net, ev, geo::MatchEventsToRoads(net, ev, Lexicon(), {}),
                                *core::Date::Parse("2025-04-10"), {});
  EXPECT_EQ(StatusOf(s, "L").state, geo::CorridorState::kDisrupted);
  EXPECT_EQ(StatusOf(s, "L").road_incidents, 1);
  ev.push_back(At(net, "w", "x", 0.5, "2025-04-05", "des camions-citernes incendiés sur l'axe"));
  ev.push_back(At(net, "y", "z", 0.5, "2025-04-08", "chauffeurs enlevés"));
  s = geo::AssessCorridors(net, ev, geo::MatchEventsToRoads(net, ev, Lexicon(), {}), *core::Date::Parse("2025-04-10"),
                           {});
  EXPECT_EQ(StatusOf(s, "L").state, geo::CorridorState::kBlockaded);
  // An attack on a town's barracks is not an incident on the road.
  std::vector<core::Event> base{At(net, "x", "x", 0, "2025-04-02", "attack on the military camp")};
  s = geo::AssessCorridors(net, base, geo::MatchEventsToRoads(net, base, Lexicon(), {}),
                           *core::Date::Parse("2025-04-10"), {});
  EXPECT_EQ(StatusOf(s, "L").road_incidents, 0);
}

// The excess test's false-alarm rate on catalogues with no change (Poisson
// events at a constant rate along the corridor), and its power against a
// surge to four times the rate; docs/corridors.md quotes both.
TEST(Corridors, TheExcessTestRarelyFiresWithoutAChangeAndCatchesAFourfoldSurge) {
  const RoadNetwork net = Build(kLine);
  std::mt19937_64 rng(20251);
  int tests = 0, alarms = 0;
  std::map<double, std::pair<int, int>> power;  // base rate -> (caught, tests)
  for (double per_month : {1.0, 3.0, 5.0, 10.0}) {
    for (int rep = 0; rep < 10; ++rep) {
      std::vector<core::Event> ev;
      const core::Date t0 = *core::Date::Parse("2020-01-01");
      const int days = 4 * 365, surge_from = 3 * 365 + 100;
      std::uniform_real_distribution<double> u(0, 1);
      for (int d = 0; d < days; ++d) {
        const double rate = per_month / 30 * (d >= surge_from && d < surge_from + 60 ? 4 : 1);
        std::poisson_distribution<int> n(rate);
        for (int k = n(rng); k > 0; --k) {
          core::Event e = At(net, "w", "z", u(rng), "2020-01-01");
          e.date_start = e.date_end = t0 + d;
          ev.push_back(e);
        }
      }
      const auto hits = geo::MatchEventsToRoads(net, ev, Lexicon(), {});
      for (int d = 400; d + 30 <= surge_from; d += 30) {
        ++tests;
        alarms += geo::AssessCorridors(net, ev, hits, t0 + d, {})[0].state != geo::CorridorState::kOpen;
      }
      for (int d = surge_from + 30; d <= surge_from + 60; d += 30) {
        ++power[per_month].second;
        power[per_month].first += geo::AssessCorridors(net, ev, hits, t0 + d, {})[0].state != geo::CorridorState::kOpen;
      }
    }
  }
  const double far = static_cast<double>(alarms) / tests;
  std::printf("excess test: false alarms %d / %d corridor-months (%.3f)\n", alarms, tests, far);
  for (const auto& [rate, p] : power)
    std::printf("  fourfold surge on %.0f events/month: caught %d / %d\n", rate, p.first, p.second);
  EXPECT_LT(far, 0.01);
  // Weak on quiet corridors (1 a month: 4 in a month is not yet surprising
  // at alpha 0.001); strong from 5 a month.
  EXPECT_GE(power[5.0].first, 0.8 * power[5.0].second);
  EXPECT_GE(power[10.0].first, 0.95 * power[10.0].second);
}

// ---- imported networks --------------------------------------------------------

// Three roads drawn as lines: N1 a-b-c, N2 leaves N1 at its interior vertex b
// (a T junction, no endpoint there), and a MultiLineString track from c.
//
//   a(12.65,-8.0) ---- b(13.0,-8.5) ---- c(13.5,-9.0) ---- d ---- e
//                       \_ N2 _ f(13.6,-8.2) _/            track
const char* kDrawn = R"({"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"ref":"N1"},"geometry":{"type":"LineString","coordinates":[[-8.0,12.65],[-8.5,13.0],[-9.0,13.5]]}},
 {"type":"Feature","properties":{"ref":"N2"},"geometry":{"type":"LineString","coordinates":[[-8.5,13.0],[-8.2,13.6],[-9.0,13.5]]}},
 {"type":"Feature","properties":{"name":"track"},"geometry":{"type":"MultiLineString","coordinates":[[[-9.0,13.5],[-9.5,14.0]],[[-9.5,14.0],[-10,14.2]]]}},
 {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[-9.0,13.5]}}]})";

TEST(ImportedRoads, LinesAreNodedWhereTheyShareAVertexAndKeepTheirDrawnLength) {
  geo::RoadImportSummary sum;
  auto net = geo::NetworkFromGeoJson(kDrawn, {}, &sum);
  ASSERT_TRUE(net.ok()) << net.status().ToString();
  EXPECT_EQ(sum.features, 4);
  EXPECT_EQ(sum.skipped, 1);  // the point
  EXPECT_NE(sum.first_skip.find("Point"), std::string::npos);
  // a, b (shared interior vertex), c, d (the track's inner end), e.
  EXPECT_EQ(net->nodes().size(), 5u);
  EXPECT_EQ(net->edges().size(), 5u);  // a-b, b-c (N1), b-f-c (N2), c-d, d-e
  const auto b = net->NearestNode(13.0, -8.5), c = net->NearestNode(13.5, -9.0);
  EXPECT_LT(b.second, 0.01);
  int between = 0;
  for (const auto& e : net->edges()) {
    if ((e.a == b.first && e.b == c.first) || (e.a == c.first && e.b == b.first)) {
      ++between;
      EXPECT_NEAR(e.km, geo::LineKm(e.shape), 1e-9);
      EXPECT_GE(e.km, e.straight_km - 1e-9);
    }
  }
  EXPECT_EQ(between, 2);  // N1 straight on, N2 round by f: two edges, not one
  // Routing uses the drawn lengths: a to c goes straight through b on N1.
  std::vector<double> cost;
  for (const auto& e : net->edges()) cost.push_back(e.km);
  geo::Router router(*net);
  const auto a = net->NearestNode(12.65, -8.0).first;
  auto paths = router.KShortest(a, c.first, cost, 3);
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(net->edges()[paths[0].edges[1]].routes[0], "N1");
  EXPECT_EQ(net->edges()[paths[1].edges[1]].routes[0], "N2");
  // An event near f (on N2's bend, far from N1's straight line) touches N2 only.
  core::Event ev;
  ev.latitude = 13.6;
  ev.longitude = -8.2;
  ev.event_type = "Battles";
  const auto hits = geo::MatchEventsToRoads(*net, {ev}, Lexicon(), {});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(net->edges()[hits[0].edge].routes[0], "N2");
}

TEST(ImportedRoads, AJunctionTakesTheNameOfTheTownItIsNearestTo) {
  auto gaz = geo::Gazetteer::Load(VIGIL_TEST_DATA_DIR);
  ASSERT_TRUE(gaz.ok()) << gaz.status().ToString();
  // Two junctions 1 and 2 km from Kayes' GeoNames point, one 40 km out in
  // the bush: Kayes names the nearer one only; the others keep "LAT,LON".
  const auto* kayes = gaz->Geocode("Kayes", {.limit = 1})[0].place;
  const double lat = kayes->lat, lon = kayes->lon, deg = 1 / 111.2;
  auto at = [](double la, double lo) { return "[" + std::to_string(lo) + "," + std::to_string(la) + "]"; };
  const std::string doc =
      R"({"type":"FeatureCollection","features":[)"
      R"({"type":"Feature","properties":{"ref":"R"},"geometry":{"type":"LineString","coordinates":[)" +
      at(lat + 1 * deg, lon) + "," + at(lat - 2 * deg, lon) + "," + at(lat - 40 * deg, lon) +
      "]}},"
      R"({"type":"Feature","properties":{"ref":"S"},"geometry":{"type":"LineString","coordinates":[)" +
      at(lat - 2 * deg, lon) + "," + at(lat - 2 * deg, lon + 30 * deg) + "]}}]}";
  geo::RoadImportSummary sum;
  geo::RoadImportOptions opt;
  auto plain = geo::NetworkFromGeoJson(doc, opt, &sum);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(sum.named, 0);
  EXPECT_FALSE(plain->FindNode("Kayes"));
  opt.gazetteer = &*gaz;
  auto net = geo::NetworkFromGeoJson(doc, opt, &sum);
  ASSERT_TRUE(net.ok()) << net.status().ToString();
  EXPECT_EQ(net->nodes().size(), 4u);  // R's two ends, the 2 km junction with S, S's far end
  auto node = net->FindNode("Kayes");
  ASSERT_TRUE(node);
  EXPECT_EQ(net->nodes()[*node].place_id, kayes->id);
  EXPECT_NEAR(net->nodes()[*node].lat, lat + deg, 1e-6);
  EXPECT_EQ(net->NodeByPlace(kayes->id), node);
  const auto two_km = net->NearestNode(lat - 2 * deg, lon).first;
  EXPECT_NE(two_km, *node);
  EXPECT_NE(net->nodes()[two_km].place_id, kayes->id);
  const auto far = net->NearestNode(lat - 40 * deg, lon).first;
  EXPECT_EQ(net->nodes()[far].place_id == 0, gaz->NearestPopulated(lat - 40 * deg, lon, 3.0) == nullptr);
  // The name survives the store's round trip.
  auto back = geo::NetworkFromJson(geo::NetworkToJson(*net));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->FindNode("Kayes"), node);
}

TEST(ImportedRoads, BadFilesAreRefusedWithTheReason) {
  geo::RoadImportSummary sum;
  EXPECT_EQ(geo::NetworkFromGeoJson("not json", {}, &sum).status().code(), core::Code::kParse);
  EXPECT_EQ(geo::NetworkFromGeoJson(R"({"type":"FeatureCollection","features":[]})", {}, &sum).status().code(),
            core::Code::kInvalidArgument);
  auto projected = geo::NetworkFromGeoJson(
      R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[500000,1400000],[510000,1400000]]}}]})",
      {}, &sum);
  ASSERT_FALSE(projected.ok());
  EXPECT_NE(projected.status().message().find("EPSG:4326"), std::string::npos);
  auto missing = geo::ImportRoadNetwork("/nonexistent/roads.gpkg", {}, &sum);
  EXPECT_EQ(missing.status().code(), core::Code::kNotFound);
}

TEST(ImportedRoads, AGeoPackageIsReadThroughGdalAndKeptInTheDatabase) {
  testing::TempDir dir;
  const std::string gj = dir.Write("roads.geojson", kDrawn);
  const std::string gpkg = dir.path() + "/roads.gpkg";
  ASSERT_EQ(std::system(("ogr2ogr -f GPKG '" + gpkg + "' '" + gj + "' -nln highways 2>/dev/null").c_str()), 0);
  geo::RoadImportOptions opt;
  opt.layer = "highways";
  geo::RoadImportSummary sum;
  auto net = geo::ImportRoadNetwork(gpkg, opt, &sum);
  ASSERT_TRUE(net.ok()) << net.status().ToString();
  EXPECT_EQ(net->edges().size(), 5u);
  opt.layer = "no_such_layer";
  EXPECT_FALSE(geo::ImportRoadNetwork(gpkg, opt, &sum).ok());
  // Stored, read back the same, and replaced by the bundled one on request.
  auto store = testing::FreshStore(dir);
  auto rs = model::RoadStore::Open(dir.path() + "/t.db");
  ASSERT_TRUE(rs.ok()) << rs.status().ToString();
  ASSERT_TRUE((*rs)->Replace({0, "test", gpkg, "", "", 0, 0, 0}, *net).ok());
  auto back = (*rs)->Active();
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_TRUE(back->has_value());
  const auto& again = (*back)->second;
  ASSERT_EQ(again.edges().size(), net->edges().size());
  for (size_t e = 0; e < again.edges().size(); ++e) {
    EXPECT_DOUBLE_EQ(again.edges()[e].km, net->edges()[e].km);
    EXPECT_EQ(again.edges()[e].shape, net->edges()[e].shape);
  }
  EXPECT_EQ(again.segments().size(), net->segments().size());
  auto roads = model::LoadRoadsFor(VIGIL_TEST_DATA_DIR, dir.path() + "/t.db");
  ASSERT_TRUE(roads.ok());
  EXPECT_EQ((*roads)->net.edges().size(), 5u);
  ASSERT_TRUE((*rs)->UseBundled().ok());
  roads = model::LoadRoadsFor(VIGIL_TEST_DATA_DIR, dir.path() + "/t.db");
  EXPECT_EQ((*roads)->net.edges().size(), 101u);
}

// ---- the bundled network and events -----------------------------------------

TEST(BundledRoads, TheNetworkHoldsItsRoutesAndItsRoadKmPassTheChecks) {
  auto net = RoadNetwork::LoadBundled(VIGIL_TEST_DATA_DIR);
  ASSERT_TRUE(net.ok()) << net.status().ToString();
  EXPECT_EQ(net->routes().size(), 24u);
  EXPECT_EQ(net->nodes().size(), 99u);
  std::vector<double> span_ratios;
  std::map<std::string, std::pair<double, double>> spans;
  for (const auto& e : net->edges()) {
    EXPECT_GE(e.km, e.straight_km * 0.999) << net->EdgeName(static_cast<uint32_t>(&e - &net->edges()[0]));
    EXPECT_LE(e.km, e.straight_km * geo::kMaxRoadToStraight + 1e-9);
    if (e.km_source != geo::KmSource::kStraightLine) {
      spans[e.km_note].first += e.km;
      spans[e.km_note].second += e.straight_km;
    }
  }
  for (const auto& [note, s] : spans) span_ratios.push_back(s.first / s.second);
  ASSERT_GE(span_ratios.size(), 10u);
  std::sort(span_ratios.begin(), span_ratios.end());
  // kRoadFactor is the median of the published spans.
  EXPECT_NEAR(span_ratios[span_ratios.size() / 2], geo::kRoadFactor, 0.02);
  for (const auto& s : net->segments()) {
    EXPECT_GT(s.km, 2.4);
    EXPECT_LT(s.km, 7.6);
  }
  // Routes share towns: Bamako to Diboli runs RN3 then RN1.
  const geo::Corridor* dakar = net->FindCorridor("corridor Bamako-Dakar");
  ASSERT_NE(dakar, nullptr);
  EXPECT_EQ(dakar->id, "BKO-DKR");
  EXPECT_NEAR(dakar->km, 715, 30);  // Bamako-Kayes is published as 612-618 km, Kayes-Diboli 96
  std::vector<double> cost;
  for (const auto& e : net->edges()) cost.push_back(e.km);
  geo::Router router(*net);
  const auto p = router.Shortest(*net->FindNode("Bamako"), *net->FindNode("Gao"), cost);
  ASSERT_FALSE(p.nodes.empty());
  EXPECT_NEAR(p.cost, 1192, 0.15 * 1192);  // the Logistics Cluster's road km
}

std::vector<core::Event> BundledEvents() {
  std::ifstream in(std::string(VIGIL_TEST_DATA_DIR) + "/events/seed_events.jsonl");
  std::vector<core::Event> out;
  std::string line;
  while (std::getline(in, line)) {
    auto e = core::EventFromJson(core::Json::parse(line));
    EXPECT_TRUE(e.ok());
    out.push_back(*e);
  }
  return out;
}

TEST(BundledRoads, The2025BlockadeOfKayesNioroAndTheDakarCorridorIsReadFromTheBundledEvents) {
  auto net = RoadNetwork::LoadBundled(VIGIL_TEST_DATA_DIR);
  ASSERT_TRUE(net.ok());
  const auto events = BundledEvents();
  ASSERT_GT(events.size(), 20u);
  const auto hits = geo::MatchEventsToRoads(*net, events, Lexicon(), {});
  auto at = [&](const std::string& d) { return geo::AssessCorridors(*net, events, hits, *core::Date::Parse(d), {}); };
  // Open before the first incident.
  for (const auto& s : at("2024-09-01")) EXPECT_EQ(s.state, geo::CorridorState::kOpen) << s.corridor->id;
  // From July 2025: every road into Kayes, and the road through Nioro.
  for (const std::string d : {"2025-07-10", "2025-08-15"}) {
    const auto s = at(d);
    for (const std::string id : {"RN1", "RN22", "RN21", "RN3", "BKO-NKC"})
      EXPECT_NE(StatusOf(s, id).state, geo::CorridorState::kOpen) << id << " as of " << d;
    // Far from it, the roads stay open.
    for (const std::string id : {"RN7", "RN26", "RN5", "X-GAO-NE"})
      EXPECT_EQ(StatusOf(s, id).state, geo::CorridorState::kOpen) << id << " as of " << d;
  }
  // The Bamako-Dakar corridor in September 2025, on its own declaration.
  const auto september = at("2025-09-30");
  const auto& dakar = StatusOf(september, "BKO-DKR");
  EXPECT_EQ(dakar.state, geo::CorridorState::kBlockaded);
  const bool named = std::any_of(dakar.evidence.begin(), dakar.evidence.end(), [&](const geo::CorridorEvidence& e) {
    return events[e.event].location == "Bamako–Dakar corridor";
  });
  EXPECT_TRUE(named) << dakar.reason_en;
}

TEST(BundledRoads, SegmentRiskFromAFittedModelIsHighestWhereTheEventsAre) {
  // The model fitted on a simulated catalogue of central Mali; the roads
  // through it carry the risk, the far south-west carries little.
  auto net = RoadNetwork::LoadBundled(VIGIL_TEST_DATA_DIR);
  ASSERT_TRUE(net.ok());
  std::vector<core::Event> ev;
  std::mt19937_64 rng(7);
  std::normal_distribution<double> n(0, 0.25);
  const core::Date t0 = *core::Date::Parse("2023-01-01");
  const auto& sevare = net->nodes()[*net->FindNode("Sévaré")];
  for (int d = 0; d < 730; d += 3) {
    core::Event e;
    e.latitude = sevare.lat + n(rng);
    e.longitude = sevare.lon + n(rng);
    e.date_start = e.date_end = t0 + d;
    e.event_type = "Battles";
    e.sub_event_type = "Armed clash";
    e.source = "simulated";
    e.source_id = std::to_string(d);
    ev.push_back(e);
  }
  model::FitRequest fr;
  fr.as_of = t0 + 730;
  fr.window_days = 730;
  fr.save_snapshot = false;
  auto fit = model::FitEvents(ev, fr);
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  auto boxes = model::MakeRoadBoxes(*net, 10, 0.02);
  ASSERT_EQ(boxes.by_segment.size(), net->segments().size());
  for (const auto& b : boxes.by_segment) EXPECT_GT(b.size(), 20u);  // a 10 km buffer round 5 km: ~100 boxes
  std::vector<model::BoxField> fields;
  const double T = fr.as_of - fit->window_start;
  for (int h : {1, 7, 30})
    fields.push_back(model::FieldFromForecast(model::ForecastHawkes(fit->fit, fit->catalogue, T, h, boxes.units)));
  const auto risk = model::CombineRoadRisk(*net, std::move(boxes), std::move(fields), {}, {}, fr.as_of, {});
  auto edge_p = [&](const std::string& a, const std::string& b, size_t h) {
    return risk.edges[h][*net->EdgeBetween(*net->FindNode(a), *net->FindNode(b))].p_any;
  };
  EXPECT_GT(edge_p("Sévaré", "Mopti", 2), 10 * edge_p("Kayes", "Diboli", 2));
  EXPECT_GT(edge_p("Sévaré", "Mopti", 2), edge_p("Sévaré", "Mopti", 1));  // 30 days > 7 days
  EXPECT_GT(edge_p("Sévaré", "Mopti", 1), edge_p("Sévaré", "Mopti", 0));
  // A route's figure counts shared boxes once: never more than the sum.
  const auto route = std::vector<uint32_t>{*net->EdgeBetween(*net->FindNode("Téné"), *net->FindNode("Sévaré")),
                                           *net->EdgeBetween(*net->FindNode("Sévaré"), *net->FindNode("Mopti"))};
  const auto whole = risk.OverEdges(*net, route, 2);
  EXPECT_LE(whole.expected, risk.edges[2][route[0]].expected + risk.edges[2][route[1]].expected + 1e-12);
  EXPECT_GE(whole.expected, std::max(risk.edges[2][route[0]].expected, risk.edges[2][route[1]].expected));
}

}  // namespace
}  // namespace vigil

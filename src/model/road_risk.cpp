#include "model/road_risk.h"

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/geometries/linestring.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <cmath>
#include <map>

namespace vigil::model {

namespace bg = boost::geometry;
using XY = bg::model::d2::point_xy<double>;
using Line = bg::model::linestring<XY>;
using Poly = bg::model::polygon<XY>;
using MultiPoly = bg::model::multi_polygon<Poly>;

namespace {

constexpr double kKmPerDeg = 111.19492664455873;
constexpr double kPi = 3.14159265358979323846;

int64_t BoxKey(int64_t row, int64_t col) { return row * 100000 + col; }

}  // namespace

RoadBoxes MakeRoadBoxes(const geo::RoadNetwork& net, double buffer_km, double box_deg) {
  RoadBoxes out;
  std::map<int64_t, uint32_t> index;
  const bg::strategy::buffer::distance_symmetric<double> dist(buffer_km);
  const bg::strategy::buffer::join_round join(36);
  const bg::strategy::buffer::end_round end(36);
  const bg::strategy::buffer::point_circle circle(36);
  const bg::strategy::buffer::side_straight side;
  for (const auto& s : net.segments()) {
    // The segment in km around its midpoint, buffered, then the boxes whose
    // centre it covers.
    const double lat0 = (s.lat0 + s.lat1) / 2, lon0 = (s.lon0 + s.lon1) / 2;
    const double kx = kKmPerDeg * std::cos(lat0 * kPi / 180), ky = kKmPerDeg;
    Line line{XY((s.lon0 - lon0) * kx, (s.lat0 - lat0) * ky), XY((s.lon1 - lon0) * kx, (s.lat1 - lat0) * ky)};
    MultiPoly area;
    bg::buffer(line, area, dist, side, join, end, circle);
    bg::model::box<XY> env;
    bg::envelope(area, env);
    const int64_t r0 = static_cast<int64_t>(std::floor((lat0 + env.min_corner().y() / ky + 90) / box_deg));
    const int64_t r1 = static_cast<int64_t>(std::floor((lat0 + env.max_corner().y() / ky + 90) / box_deg));
    const int64_t c0 = static_cast<int64_t>(std::floor((lon0 + env.min_corner().x() / kx + 180) / box_deg));
    const int64_t c1 = static_cast<int64_t>(std::floor((lon0 + env.max_corner().x() / kx + 180) / box_deg));
    std::vector<uint32_t> mine;
    for (int64_t r = r0; r <= r1; ++r)
      for (int64_t c = c0; c <= c1; ++c) {
        const double blat = (r + 0.5) * box_deg - 90, blon = (c + 0.5) * box_deg - 180;
        if (!bg::covered_by(XY((blon - lon0) * kx, (blat - lat0) * ky), area)) continue;
        auto [it, fresh] = index.emplace(BoxKey(r, c), static_cast<uint32_t>(out.units.size()));
        if (fresh) {
          Unit u;
          u.id = "r" + std::to_string(r) + "c" + std::to_string(c);
          u.lat = blat;
          u.lon = blon;
          u.boxes.push_back({r * box_deg - 90, c * box_deg - 180, (r + 1) * box_deg - 90, (c + 1) * box_deg - 180});
          out.units.push_back(std::move(u));
        }
        mine.push_back(it->second);
      }
    out.by_segment.push_back(std::move(mine));
  }
  return out;
}

BoxField FieldFromForecast(const std::vector<UnitForecast>& rows) {
  BoxField f;
  f.expected.reserve(rows.size());
  f.roots.reserve(rows.size());
  for (const auto& r : rows) {
    f.expected.push_back(r.expected);
    f.roots.push_back(-std::log1p(-std::min(r.p_any, 1 - 1e-12)));
  }
  return f;
}

namespace {

Figure Finish(double model_expected, double model_roots, double road) {
  Figure f;
  f.model_expected = model_expected;
  f.road_expected = road;
  f.expected = model_expected + road;
  f.roots = model_roots + road;
  f.p_any = -std::expm1(-f.roots);
  return f;
}

// On-road expected incidents per segment for horizon H: each on-road incident
// adds road_rate per day, halving every half-life, spread over the segments
// of its edge within the buffer of it, in proportion to their length.
std::vector<double> RoadPart(const geo::RoadNetwork& net, const std::vector<core::Event>& events,
                             const std::vector<geo::RoadHit>& hits, core::Date as_of, double H,
                             const RoadRiskConfig& cfg) {
  std::vector<double> seg(net.segments().size(), 0.0);
  const double h = cfg.road_half_life_days, k = std::log(2.0) / h;
  for (const auto& hit : hits) {
    if (!hit.road_incident) continue;
    const core::Event& ev = events[hit.event];
    if (!(ev.date_start < as_of)) continue;
    const double age = as_of - ev.date_start;
    const double mass = cfg.road_rate / k * (std::exp(-k * age) - std::exp(-k * (age + H)));
    if (mass < 1e-9) continue;
    const geo::RoadEdge& edge = net.edges()[hit.edge];
    std::vector<uint32_t> near;
    double near_km = 0;
    for (uint32_t s = edge.first_segment; s < edge.first_segment + edge.segments; ++s) {
      const auto& sg = net.segments()[s];
      const double d = core::HaversineKm(ev.latitude, ev.longitude, (sg.lat0 + sg.lat1) / 2, (sg.lon0 + sg.lon1) / 2);
      if (hit.by_name || d <= cfg.buffer_km + sg.km / 2) {
        near.push_back(s);
        near_km += sg.km;
      }
    }
    if (near.empty()) {  // the nearest segment of the edge
      uint32_t best = edge.first_segment;
      double bd = 1e18;
      for (uint32_t s = edge.first_segment; s < edge.first_segment + edge.segments; ++s) {
        const auto& sg = net.segments()[s];
        const double d = core::HaversineKm(ev.latitude, ev.longitude, (sg.lat0 + sg.lat1) / 2, (sg.lon0 + sg.lon1) / 2);
        if (d < bd) bd = d, best = s;
      }
      near.push_back(best);
      near_km = net.segments()[best].km;
    }
    for (uint32_t s : near) seg[s] += mass * net.segments()[s].km / near_km;
  }
  return seg;
}

}  // namespace

RoadRisk CombineRoadRisk(const geo::RoadNetwork& net, RoadBoxes boxes, std::vector<BoxField> fields,
                         const std::vector<core::Event>& events, const std::vector<geo::RoadHit>& hits,
                         core::Date as_of, const RoadRiskConfig& config) {
  RoadRisk r;
  r.as_of = as_of;
  r.horizons = config.horizons;
  r.buffer_km = config.buffer_km;
  r.boxes = std::move(boxes);
  r.fields = std::move(fields);
  const size_t nh = r.horizons.size();
  r.segment_road.resize(nh);
  r.segments.resize(nh);
  r.edges.resize(nh);
  std::vector<int> mark(r.boxes.units.size(), -1);
  for (size_t h = 0; h < nh; ++h) {
    r.segment_road[h] = RoadPart(net, events, hits, as_of, r.horizons[h], config);
    const BoxField* f = r.fields.empty() ? nullptr : &r.fields[h];
    auto& segs = r.segments[h];
    segs.resize(net.segments().size());
    for (size_t s = 0; s < segs.size(); ++s) {
      double e = 0, roots = 0;
      if (f)
        for (uint32_t b : r.boxes.by_segment[s]) e += f->expected[b], roots += f->roots[b];
      segs[s] = Finish(e, roots, r.segment_road[h][s]);
    }
    auto& eds = r.edges[h];
    eds.resize(net.edges().size());
    for (uint32_t e = 0; e < net.edges().size(); ++e) eds[e] = r.OverEdges(net, {e}, h);
  }
  return r;
}

Figure RoadRisk::OverEdges(const geo::RoadNetwork& net, const std::vector<uint32_t>& edge_list, size_t h) const {
  double e = 0, roots = 0, road = 0;
  const BoxField* f = fields.empty() ? nullptr : &fields[h];
  std::vector<uint32_t> seen;
  for (uint32_t ed : edge_list) {
    const auto& edge = net.edges()[ed];
    for (uint32_t s = edge.first_segment; s < edge.first_segment + edge.segments; ++s) {
      road += segment_road[h][s];
      if (f) seen.insert(seen.end(), boxes.by_segment[s].begin(), boxes.by_segment[s].end());
    }
  }
  std::sort(seen.begin(), seen.end());
  seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
  for (uint32_t b : seen) e += f->expected[b], roots += f->roots[b];
  return Finish(e, roots, road);
}

size_t RoadRisk::HorizonIndex(int days) const {
  for (size_t h = 0; h < horizons.size(); ++h)
    if (horizons[h] >= days) return h;
  return horizons.empty() ? 0 : horizons.size() - 1;
}

std::vector<double> EdgeCosts(const geo::RoadNetwork& net, const RoadRisk& risk, size_t h, double risk_weight,
                              const std::vector<uint32_t>& avoid_edges) {
  std::vector<double> cost(net.edges().size());
  for (uint32_t e = 0; e < cost.size(); ++e) cost[e] = net.edges()[e].km + risk_weight * risk.edges[h][e].roots;
  for (uint32_t e : avoid_edges)
    if (e < cost.size()) cost[e] = geo::kClosed;
  return cost;
}

core::Result<std::vector<RouteOption>> PlanRoutes(const geo::RoadNetwork& net, const RoadRisk& risk,
                                                  const RouteRequest& req) {
  if (req.from >= net.nodes().size() || req.to >= net.nodes().size())
    return core::InvalidArgument("route: unknown town");
  if (req.from == req.to) return core::InvalidArgument("route: the start and the destination are the same town");
  if (req.risk_weight < 0) return core::InvalidArgument("--risk-weight must be >= 0 (km per expected incident)");
  if (req.alternatives < 0 || req.alternatives > 20) return core::InvalidArgument("--alternatives must be 0..20");
  if (risk.horizons.empty()) return core::InvalidArgument("route: no risk horizons");
  const size_t h = risk.HorizonIndex(req.horizon_days);
  const auto cost = EdgeCosts(net, risk, h, req.risk_weight, req.avoid_edges);
  geo::Router router(net);
  auto paths = router.KShortest(req.from, req.to, cost, req.alternatives + 1);
  if (paths.empty())
    return core::NotFound("no road joins " + net.nodes()[req.from].name + " and " + net.nodes()[req.to].name +
                          (req.avoid_edges.empty() ? "" : " without the roads to avoid"));
  std::vector<RouteOption> out;
  for (auto& p : paths) {
    RouteOption o;
    for (uint32_t e : p.edges) o.km += net.edges()[e].km;
    o.figure = risk.OverEdges(net, p.edges, h);
    std::vector<WorstSegment> segs;
    for (uint32_t e : p.edges) {
      const auto& edge = net.edges()[e];
      for (uint32_t s = edge.first_segment; s < edge.first_segment + edge.segments; ++s)
        segs.push_back({s, risk.segments[h][s], ""});
    }
    std::stable_sort(segs.begin(), segs.end(),
                     [](const WorstSegment& a, const WorstSegment& b) { return a.figure.roots > b.figure.roots; });
    for (size_t i = 0; i < segs.size() && i < 3; ++i) {
      if (segs[i].figure.roots <= 0) break;
      char buf[160];
      std::snprintf(buf, sizeof buf, "model %.3f expected in its %g km buffer, on-road incidents %.3f",
                    segs[i].figure.model_expected, risk.buffer_km, segs[i].figure.road_expected);
      segs[i].why = buf;
      o.worst.push_back(segs[i]);
    }
    o.path = std::move(p);
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace vigil::model

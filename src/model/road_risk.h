// vigil::model — risk on the roads: for each ~5 km segment and horizon, the
// chance of at least one incident affecting it, and least-risk routes.
//
// Two parts (docs/corridors.md):
//   model — the fitted Hawkes intensity integrated over the segment's
//           corridor buffer (default 10 km; Boost.Geometry builds the buffer
//           and picks the 0.02° boxes whose centre lies in it), over
//           [as_of, as_of + H): the forecast of ForecastHawkes on those boxes;
//   road  — incidents on the road itself (RoadIncidentLexicon) raise the
//           hazard of the stretch within the buffer of them by `road_rate`
//           per day, halving every `road_half_life_days` (an assumption, not
//           fitted: docs/corridors.md).
// P(at least one) = 1 - exp(-(roots + road)), roots the model's clusters
// (as in ForecastHawkes); over a route, over the union of its boxes, so a
// box two segments share counts once.
//
// Routing cost of an edge = road km + risk_weight x (its roots + road), in km
// per expected incident: with the default 1000, a detour of up to 100 km is
// worth taking to avoid 0.1 expected incidents.
//
// Thread-safety: values; pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/event.h"
#include "core/status.h"
#include "geo/corridors.h"
#include "geo/roads.h"
#include "geo/routing.h"
#include "model/forecast.h"

namespace vigil::model {

struct RoadRiskConfig {
  double buffer_km = 10;
  double box_deg = 0.02;
  std::vector<int> horizons{1, 7, 30};
  double road_rate = 1.0 / 60;  // per day, per fresh on-road incident, on its stretch
  double road_half_life_days = 30;
  int evidence_days = 90;  // events shown as evidence
};

// The 0.02° boxes within the buffer of the network's segments.
struct RoadBoxes {
  std::vector<Unit> units;                        // one box each
  std::vector<std::vector<uint32_t>> by_segment;  // unit indices per segment
};
RoadBoxes MakeRoadBoxes(const geo::RoadNetwork& net, double buffer_km, double box_deg);

// The model's field over the boxes for one horizon.
struct BoxField {
  std::vector<double> expected;  // expected count (clusters' offspring included)
  std::vector<double> roots;     // expected clusters: P(any) = 1 - exp(-roots)
};
BoxField FieldFromForecast(const std::vector<UnitForecast>& rows);

struct Figure {
  double expected = 0, p_any = 0;
  double model_expected = 0, road_expected = 0;
  double roots = 0;  // model roots + road: what P(any) and routing costs use
};

struct RoadRisk {
  core::Date as_of;
  std::vector<int> horizons;
  int64_t snapshot_id = 0;  // 0: no model part
  double buffer_km = 10;
  RoadBoxes boxes;
  std::vector<BoxField> fields;                   // per horizon (empty: no model part)
  std::vector<std::vector<double>> segment_road;  // [h][segment] on-road expected
  std::vector<std::vector<Figure>> segments;      // [h][segment]
  std::vector<std::vector<Figure>> edges;         // [h][edge]

  // Figures over a set of edges (a route): boxes counted once.
  Figure OverEdges(const geo::RoadNetwork& net, const std::vector<uint32_t>& edges, size_t h) const;
  size_t HorizonIndex(int days) const;  // the horizon >= days, else the longest
};

// Combines the model's fields (one per horizon, or none) with the on-road
// incidents among `hits` into figures per segment and edge.
RoadRisk CombineRoadRisk(const geo::RoadNetwork& net, RoadBoxes boxes, std::vector<BoxField> fields,
                         const std::vector<core::Event>& events, const std::vector<geo::RoadHit>& hits,
                         core::Date as_of, const RoadRiskConfig& config);

// ---- Routes -------------------------------------------------------------

struct RouteRequest {
  uint32_t from = 0, to = 0;
  int horizon_days = 7;
  double risk_weight = 1000;  // km per expected incident
  int alternatives = 2;       // besides the best
  std::vector<uint32_t> avoid_edges;
};

struct WorstSegment {
  uint32_t segment = 0;
  Figure figure;
  std::string why;  // "model: 0.12, road: 0.05 (2 convoy attacks within 10 km)"
};

struct RouteOption {
  geo::Path path;
  double km = 0;
  Figure figure;                    // over the whole route
  std::vector<WorstSegment> worst;  // up to 3, riskiest first
};

// The least-cost route and up to `alternatives` more (Yen), each loop-free
// and distinct. Fails with kNotFound when to cannot be reached.
core::Result<std::vector<RouteOption>> PlanRoutes(const geo::RoadNetwork& net, const RoadRisk& risk,
                                                  const RouteRequest& req);

// The routing cost per edge for a horizon.
std::vector<double> EdgeCosts(const geo::RoadNetwork& net, const RoadRisk& risk, size_t h, double risk_weight,
                              const std::vector<uint32_t>& avoid_edges);

}  // namespace vigil::model

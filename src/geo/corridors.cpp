#include "geo/corridors.h"

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/geometries/linestring.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/segment.hpp>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "core/strings.h"
#include "geo/normalize.h"

namespace vigil::geo {

namespace bg = boost::geometry;
using XY = bg::model::d2::point_xy<double>;
using Seg = bg::model::segment<XY>;
using Line = bg::model::linestring<XY>;

namespace {

constexpr double kKmPerDeg = 111.19492664455873;
constexpr double kPi = 3.14159265358979323846;

// Kilometres east and north of (lat0, lon0): an equirectangular projection,
// good to a few tenths of a percent over the few hundred km of one hop.
XY Project(double lat, double lon, double lat0, double lon0) {
  return XY((lon - lon0) * kKmPerDeg * std::cos(lat0 * kPi / 180), (lat - lat0) * kKmPerDeg);
}

std::string Padded(std::string_view text) { return " " + FoldName(text) + " "; }

bool HasPhrase(const std::string& padded, const std::string& phrase) {
  return padded.find(phrase) != std::string::npos;
}

}  // namespace

double DistanceToEdgeKm(const RoadNetwork& net, uint32_t e, double lat, double lon) {
  const RoadEdge& edge = net.edges()[e];
  if (edge.shape.empty()) {
    const RoadNode &a = net.nodes()[edge.a], &b = net.nodes()[edge.b];
    return bg::distance(XY(0, 0), Seg(Project(a.lat, a.lon, lat, lon), Project(b.lat, b.lon, lat, lon)));
  }
  Line line;
  for (const auto& [la, lo] : edge.shape) line.push_back(Project(la, lo, lat, lon));
  return bg::distance(XY(0, 0), line);
}

RoadIncidentLexicon RoadIncidentLexicon::FromLines(const std::string& tsv) {
  RoadIncidentLexicon lex;
  std::istringstream in(tsv);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    const std::string kind = line.substr(0, tab), value(core::Trim(line.substr(tab + 1)));
    if (kind == "sub_event_type")
      lex.sub_event_types_.push_back(value);
    else if (kind == "phrase")
      lex.phrases_.push_back(" " + FoldName(value) + " ");
  }
  return lex;
}

core::Result<RoadIncidentLexicon> RoadIncidentLexicon::Load(const std::string& data_dir) {
  const std::string path = data_dir + "/lexicon/road_incidents.tsv";
  std::ifstream in(path);
  if (!in) return core::NotFound(path + ": cannot open (is --data-dir right?)");
  std::stringstream ss;
  ss << in.rdbuf();
  RoadIncidentLexicon lex = FromLines(ss.str());
  if (lex.phrases_.empty()) return core::ParseError(path + ": no phrase lines (kind<TAB>value)");
  return lex;
}

bool RoadIncidentLexicon::IsRoadIncident(const core::Event& e) const {
  for (const auto& s : sub_event_types_)
    if (e.sub_event_type == s) return true;
  const std::string text = Padded(e.notes + " " + e.location);
  for (const auto& p : phrases_)
    if (HasPhrase(text, p)) return true;
  return false;
}

bool IsPoliticalViolence(const core::Event& e) {
  return e.event_type == "Battles" || e.event_type == "Explosions/Remote violence" ||
         e.event_type == "Violence against civilians";
}

std::vector<RoadHit> MatchEventsToRoads(const RoadNetwork& net, const std::vector<core::Event>& events,
                                        const RoadIncidentLexicon& lexicon, const CorridorConfig& config) {
  std::vector<RoadHit> hits;
  const double reach_deg = config.buffer_km / kKmPerDeg;
  // Each edge's bounding box, widened by the buffer.
  struct Bounds {
    double lat0, lat1, lon0, lon1;
  };
  std::vector<Bounds> bounds;
  for (uint32_t e = 0; e < net.edges().size(); ++e) {
    Bounds b{90, -90, 180, -180};
    for (const auto& [la, lo] : EdgeLine(net, e))
      b = {std::min(b.lat0, la), std::max(b.lat1, la), std::min(b.lon0, lo), std::max(b.lon1, lo)};
    const double rlon = reach_deg / std::max(0.2, std::cos(std::max(std::fabs(b.lat0), std::fabs(b.lat1)) * kPi / 180));
    bounds.push_back({b.lat0 - reach_deg, b.lat1 + reach_deg, b.lon0 - rlon, b.lon1 + rlon});
  }
  for (uint32_t i = 0; i < events.size(); ++i) {
    const core::Event& ev = events[i];
    const bool blockade = std::find(ev.tags.begin(), ev.tags.end(), "blockade") != ev.tags.end();
    const bool road = lexicon.IsRoadIncident(ev);
    std::set<uint32_t> edges_named;
    // Named corridors (aliases, route ids) in the location or the notes.
    const std::string text = Padded(ev.location + " " + ev.notes);
    for (const auto& c : net.corridors())
      for (const auto& a : c.aliases)
        if (HasPhrase(text, " " + a + " ")) edges_named.insert(c.edges.begin(), c.edges.end());
    for (uint32_t e : edges_named) hits.push_back({i, e, 0, road, blockade, true});
    if (ev.geo_precision > core::kGeoPrecisionNear) continue;
    // A town's blockade: every hop into the town.
    if (blockade) {
      auto [node, d] = net.NearestNode(ev.latitude, ev.longitude);
      if (d <= config.town_km) {
        for (uint32_t e : net.nodes()[node].edges)
          if (!edges_named.count(e)) {
            hits.push_back({i, e, d, road, blockade, false});
            edges_named.insert(e);
          }
      }
    }
    for (uint32_t e = 0; e < net.edges().size(); ++e) {
      const Bounds& bb = bounds[e];
      if (ev.latitude < bb.lat0 || ev.latitude > bb.lat1 || ev.longitude < bb.lon0 || ev.longitude > bb.lon1) continue;
      if (edges_named.count(e)) continue;
      const double d = DistanceToEdgeKm(net, e, ev.latitude, ev.longitude);
      if (d <= config.buffer_km) hits.push_back({i, e, d, road, blockade, false});
    }
  }
  std::sort(hits.begin(), hits.end(), [](const RoadHit& a, const RoadHit& b) {
    return a.event != b.event ? a.event < b.event : a.edge < b.edge;
  });
  return hits;
}

const char* CorridorStateName(CorridorState s) {
  switch (s) {
    case CorridorState::kOpen:
      return "open";
    case CorridorState::kDisrupted:
      return "disrupted";
    case CorridorState::kBlockaded:
      return "blockaded";
  }
  return "?";
}

double PoissonUpperTail(int n, double lambda) {
  if (n <= 0) return 1;
  if (lambda <= 0) return 0;
  // 1 - P(N <= n-1), summed in log space for stability.
  double term = std::exp(-lambda), cdf = term;
  for (int k = 1; k < n; ++k) {
    term *= lambda / k;
    cdf += term;
  }
  return std::max(0.0, 1 - cdf);
}

namespace {

struct Tally {
  std::vector<uint32_t> recent, baseline, road, blockades;  // event indices
  std::set<int32_t> recent_days;
};

Tally Count(const Corridor& c, const std::vector<core::Event>& events,
            const std::vector<std::vector<uint32_t>>& by_edge, const std::vector<RoadHit>& hits, core::Date as_of,
            const CorridorConfig& cfg) {
  Tally t;
  std::set<uint32_t> seen;
  const core::Date w0 = as_of - cfg.window_days, b0 = w0 - cfg.baseline_days, h0 = as_of - cfg.blockade_hold_days;
  for (uint32_t e : c.edges)
    for (uint32_t h : by_edge[e]) {
      const RoadHit& hit = hits[h];
      if (!seen.insert(hit.event).second) continue;
      const core::Event& ev = events[hit.event];
      const core::Date d = ev.date_start;
      if (!(d < as_of)) continue;
      if (hit.blockade && !(d < h0)) t.blockades.push_back(hit.event);
      if (!(d < w0)) {
        if (hit.road_incident && !hit.blockade) t.road.push_back(hit.event);
        if (IsPoliticalViolence(ev)) {
          t.recent.push_back(hit.event);
          t.recent_days.insert(d - core::Date());
        }
      } else if (!(d < b0) && IsPoliticalViolence(ev)) {
        t.baseline.push_back(hit.event);
      }
    }
  return t;
}

void AddEvidence(CorridorStatus* s, const std::vector<uint32_t>& idx, const std::string& why,
                 const std::vector<core::Event>& events) {
  for (uint32_t i : idx) s->evidence.push_back({i, why});
  (void)events;
}

CorridorStatus Judge(const Corridor& c, const Tally& t, const std::vector<core::Event>& events, core::Date as_of,
                     const CorridorConfig& cfg) {
  CorridorStatus s;
  s.corridor = &c;
  s.incidents = static_cast<int>(t.recent.size());
  s.road_incidents = static_cast<int>(t.road.size());
  s.blockade_reports = static_cast<int>(t.blockades.size());
  // Baseline: the year before the window, with half an event added so that
  // a corridor quiet for a year is not infinitely surprised by one event.
  s.baseline = (static_cast<double>(t.baseline.size()) + 0.5) * cfg.window_days / cfg.baseline_days;
  s.p_value = PoissonUpperTail(s.incidents, s.baseline);
  const bool excess = s.incidents >= cfg.min_excess && t.recent_days.size() >= 2 && s.p_value < cfg.alpha;
  char buf[256];
  if (!t.blockades.empty()) {
    int newest_age = cfg.blockade_hold_days;
    for (uint32_t i : t.blockades) newest_age = std::min(newest_age, as_of - events[i].date_start);
    s.state = CorridorState::kBlockaded;
    // 0.85 for a report under a month old, down to 0.55 at the hold's end;
    // corroboration by road incidents or an excess adds 0.1.
    const double age = std::max(0, newest_age - 30) / static_cast<double>(std::max(1, cfg.blockade_hold_days - 30));
    s.confidence = 0.85 - 0.3 * age + ((s.road_incidents > 0 || excess) ? 0.1 : 0);
    std::snprintf(buf, sizeof buf, "%d declared blockade report(s) in force, newest %d days old", s.blockade_reports,
                  newest_age);
    s.reason_en = buf;
    std::snprintf(buf, sizeof buf, "%d déclaration(s) de blocus en vigueur, la plus récente il y a %d jours",
                  s.blockade_reports, newest_age);
    s.reason_fr = buf;
  } else if (s.road_incidents >= cfg.road_blockaded) {
    s.state = CorridorState::kBlockaded;
    s.confidence = std::min(0.9, 0.5 + 0.1 * s.road_incidents);
    std::snprintf(buf, sizeof buf, "%d incidents on the road itself in %d days (a de facto blockade)", s.road_incidents,
                  cfg.window_days);
    s.reason_en = buf;
    std::snprintf(buf, sizeof buf, "%d incidents sur la route même en %d jours (blocus de fait)", s.road_incidents,
                  cfg.window_days);
    s.reason_fr = buf;
  } else if (s.road_incidents > 0 || excess) {
    s.state = CorridorState::kDisrupted;
    s.confidence = excess ? std::min(0.95, 1 - s.p_value) : 0.6 + 0.1 * s.road_incidents;
    if (excess) {
      std::snprintf(buf, sizeof buf, "%d incidents in %d days against %.1f expected at its baseline (p = %.2g)",
                    s.incidents, cfg.window_days, s.baseline, s.p_value);
      s.reason_en = buf;
      std::snprintf(buf, sizeof buf, "%d incidents en %d jours pour %.1f attendus à son niveau habituel (p = %.2g)",
                    s.incidents, cfg.window_days, s.baseline, s.p_value);
      s.reason_fr = buf;
    } else {
      std::snprintf(buf, sizeof buf, "%d incident(s) on the road itself in %d days", s.road_incidents, cfg.window_days);
      s.reason_en = buf;
      std::snprintf(buf, sizeof buf, "%d incident(s) sur la route même en %d jours", s.road_incidents, cfg.window_days);
      s.reason_fr = buf;
    }
  } else {
    s.state = CorridorState::kOpen;
    s.confidence = s.incidents == 0 ? 0.9 : 0.7;
    std::snprintf(buf, sizeof buf, "%d incident(s) near it in %d days, no excess over its baseline (%.1f)", s.incidents,
                  cfg.window_days, s.baseline);
    s.reason_en = buf;
    std::snprintf(buf, sizeof buf, "%d incident(s) à proximité en %d jours, pas d'excès sur son niveau habituel (%.1f)",
                  s.incidents, cfg.window_days, s.baseline);
    s.reason_fr = buf;
  }
  s.confidence = std::clamp(s.confidence, 0.0, 0.95);
  AddEvidence(&s, t.blockades, "declared blockade", events);
  AddEvidence(&s, t.road, "on-road incident", events);
  if (excess || s.state == CorridorState::kOpen) AddEvidence(&s, t.recent, "political violence near the road", events);
  std::stable_sort(s.evidence.begin(), s.evidence.end(), [&](const CorridorEvidence& a, const CorridorEvidence& b) {
    return events[b.event].date_start < events[a.event].date_start;
  });
  return s;
}

}  // namespace

std::vector<CorridorStatus> AssessCorridors(const RoadNetwork& net, const std::vector<core::Event>& events,
                                            const std::vector<RoadHit>& hits, core::Date as_of,
                                            const CorridorConfig& config) {
  std::vector<std::vector<uint32_t>> by_edge(net.edges().size());
  for (uint32_t h = 0; h < hits.size(); ++h) by_edge[hits[h].edge].push_back(h);
  std::vector<CorridorStatus> out;
  out.reserve(net.corridors().size());
  for (const auto& c : net.corridors())
    out.push_back(Judge(c, Count(c, events, by_edge, hits, as_of, config), events, as_of, config));
  return out;
}

}  // namespace vigil::geo

#include "model/road_json.h"

#include <algorithm>
#include <cstdio>

namespace vigil::model {

using core::Json;

Json LineFeature(const geo::RoadNetwork& net, const std::vector<uint32_t>& edges, Json props) {
  // One LineString per run of consecutive edges that share a node; a
  // MultiLineString when the edges do not chain.
  Json lines = Json::array();
  Json cur = Json::array();
  int64_t last = -1;
  for (uint32_t e : edges) {
    const auto& ed = net.edges()[e];
    auto line = geo::EdgeLine(net, e);
    bool forward = true;
    if (last == static_cast<int64_t>(ed.b)) {
      forward = false;
    } else if (last != static_cast<int64_t>(ed.a)) {
      if (!cur.empty()) lines.push_back(cur);
      cur = Json::array({Json::array({line.front().second, line.front().first})});
    }
    if (!forward) std::reverse(line.begin(), line.end());
    for (size_t i = 1; i < line.size(); ++i) cur.push_back({line[i].second, line[i].first});
    last = forward ? ed.b : ed.a;
  }
  if (!cur.empty()) lines.push_back(cur);
  Json geom = lines.size() == 1 ? Json{{"type", "LineString"}, {"coordinates", lines[0]}}
                                : Json{{"type", "MultiLineString"}, {"coordinates", lines}};
  return {{"type", "Feature"}, {"geometry", geom}, {"properties", std::move(props)}};
}

Json FeatureCollection(Json features) { return {{"type", "FeatureCollection"}, {"features", std::move(features)}}; }

Json EdgeJson(const geo::RoadNetwork& net, uint32_t e) {
  const auto& ed = net.edges()[e];
  return {{"edge", "e" + std::to_string(e)}, {"from", net.nodes()[ed.a].name},
          {"to", net.nodes()[ed.b].name},    {"km", ed.km},
          {"straight_km", ed.straight_km},   {"km_source", geo::KmSourceName(ed.km_source)},
          {"km_note", ed.km_note},           {"routes", ed.routes},
          {"segments", ed.segments}};
}

// "Sandaré–Kayes, km 35-40 from Sandaré".
std::string SegmentLabel(const geo::RoadNetwork& net, uint32_t s) {
  const auto& sg = net.segments()[s];
  char buf[64];
  std::snprintf(buf, sizeof buf, ", km %.0f-%.0f from ", sg.index * sg.km, (sg.index + 1) * sg.km);
  return net.EdgeName(sg.edge) + buf + net.nodes()[net.edges()[sg.edge].a].name;
}

Json EvidenceJson(const geo::RoadNetwork& net, const RoadRiskReport& rep, uint32_t s, size_t max) {
  Json arr = Json::array();
  for (const auto& [i, d] : SegmentEvidence(net, rep.recent, s, rep.risk.buffer_km, 90)) {
    if (arr.size() >= max) break;
    const auto& e = rep.recent.events[i];
    arr.push_back({{"event_id", e.id},
                   {"date", e.date_start.ToIso()},
                   {"location", e.location},
                   {"event_type", e.event_type},
                   {"sub_event_type", e.sub_event_type},
                   {"distance_km", d}});
  }
  return arr;
}

Json SegmentRiskJson(const geo::RoadNetwork& net, const RoadRiskReport& rep, uint32_t s, bool evidence) {
  const auto& risk = rep.risk;
  const auto& sg = net.segments()[s];
  Json p = {{"segment", s},
            {"edge", "e" + std::to_string(sg.edge)},
            {"hop", net.EdgeName(sg.edge)},
            {"routes", net.edges()[sg.edge].routes},
            {"km", sg.km}};
  Json by_h = Json::object();
  for (size_t k = 0; k < risk.horizons.size(); ++k) {
    const auto& fg = risk.segments[k][s];
    by_h[std::to_string(risk.horizons[k])] = {{"p_any", fg.p_any},
                                              {"expected", fg.expected},
                                              {"model_expected", fg.model_expected},
                                              {"road_expected", fg.road_expected},
                                              {"per_100km", fg.expected / sg.km * 100}};
  }
  p["horizons"] = by_h;
  p["label"] = SegmentLabel(net, s);
  if (evidence) p["evidence"] = EvidenceJson(net, rep, s, 5);
  return p;
}

Json CorridorStatusJson(const CorridorReport& rep, const geo::CorridorStatus& s, bool fr) {
  Json ev = Json::array();
  for (const auto& e : s.evidence) {
    const auto& x = rep.events[e.event];
    ev.push_back({{"event_id", x.id},
                  {"date", x.date_start.ToIso()},
                  {"location", x.location},
                  {"event_type", x.event_type},
                  {"sub_event_type", x.sub_event_type},
                  {"why", e.why}});
  }
  return Json{{"corridor", s.corridor->id},
              {"name", fr ? s.corridor->name_fr : s.corridor->name_en},
              {"status", geo::CorridorStateName(s.state)},
              {"confidence", s.confidence},
              {"reason", fr ? s.reason_fr : s.reason_en},
              {"incidents_30d", s.incidents},
              {"baseline_30d", s.baseline},
              {"p_value", s.p_value},
              {"road_incidents_30d", s.road_incidents},
              {"blockade_reports", s.blockade_reports},
              {"km", s.corridor->km},
              {"evidence", ev}};
}

Json RouteOptionJson(const geo::RoadNetwork& net, const RoadRiskReport& rep, const RouteOption& o, size_t rank) {
  Json towns = Json::array(), worst = Json::array();
  for (uint32_t n : o.path.nodes) towns.push_back(net.nodes()[n].name);
  for (const auto& w : o.worst) {
    const auto& sg = net.segments()[w.segment];
    worst.push_back({{"segment", w.segment},
                     {"hop", net.EdgeName(sg.edge)},
                     {"label", SegmentLabel(net, w.segment)},
                     {"p_any", w.figure.p_any},
                     {"expected", w.figure.expected},
                     {"why", w.why},
                     {"evidence", EvidenceJson(net, rep, w.segment, 3)}});
  }
  return Json{{"rank", rank},
              {"towns", towns},
              {"km", o.km},
              {"expected_incidents", o.figure.expected},
              {"p_any", o.figure.p_any},
              {"model_expected", o.figure.model_expected},
              {"road_expected", o.figure.road_expected},
              {"cost", o.path.cost},
              {"worst_segments", worst}};
}

}  // namespace vigil::model

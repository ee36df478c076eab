#include "model/road_service.h"

#include <algorithm>
#include <cmath>

#include "core/strings.h"
#include "model/road_store.h"
#include "model/service.h"

namespace vigil::model {

using core::Result;

Result<std::shared_ptr<const Roads>> LoadRoads(const std::string& data_dir) {
  auto r = std::make_shared<Roads>();
  VIGIL_ASSIGN_OR_RETURN(r->net, geo::RoadNetwork::LoadBundled(data_dir));
  VIGIL_ASSIGN_OR_RETURN(r->lexicon, geo::RoadIncidentLexicon::Load(data_dir));
  return std::shared_ptr<const Roads>(std::move(r));
}

Result<std::shared_ptr<const Roads>> LoadRoadsFor(const std::string& data_dir, const std::string& db_url) {
  auto rs = RoadStore::Open(db_url);
  if (!rs.ok()) {
    const auto code = rs.status().code();
    if (code == core::Code::kNotFound || code == core::Code::kConflict) return LoadRoads(data_dir);
    return rs.status();
  }
  VIGIL_ASSIGN_OR_RETURN(auto active, (*rs)->Active());
  if (!active) return LoadRoads(data_dir);
  auto r = std::make_shared<Roads>();
  r->net = std::move(active->second);
  VIGIL_ASSIGN_OR_RETURN(r->lexicon, geo::RoadIncidentLexicon::Load(data_dir));
  return std::shared_ptr<const Roads>(std::move(r));
}

namespace {

Result<std::vector<core::Event>> EventsBetween(store::EventStore* store, core::Date from, core::Date to) {
  store::EventFilter f;
  f.from = from;
  f.to = to - 1;  // inclusive
  f.newest_first = false;
  return store->QueryEvents(f);
}

}  // namespace

Result<CorridorReport> AssessCorridorsFromStore(store::EventStore* store, const Roads& roads, core::Date as_of,
                                                const geo::CorridorConfig& config) {
  CorridorReport rep;
  rep.as_of = as_of;
  const int back = std::max(config.window_days + config.baseline_days, config.blockade_hold_days);
  VIGIL_ASSIGN_OR_RETURN(rep.events, EventsBetween(store, as_of - back, as_of));
  rep.hits = geo::MatchEventsToRoads(roads.net, rep.events, roads.lexicon, config);
  rep.statuses = geo::AssessCorridors(roads.net, rep.events, rep.hits, as_of, config);
  return rep;
}

Result<RoadRiskReport> RoadRiskFromStore(store::EventStore* store, const Roads& roads, const RoadRiskConfig& config,
                                         std::optional<core::Date> fit_as_of) {
  RoadRiskReport rep;
  RoadBoxes boxes = MakeRoadBoxes(roads.net, config.buffer_km, config.box_deg);
  VIGIL_ASSIGN_OR_RETURN(UnitsForecast forecast, ForecastUnitsAt(store, fit_as_of, boxes.units, config.horizons));
  const core::Date as_of = forecast.as_of;
  geo::CorridorConfig cc;
  cc.buffer_km = config.buffer_km;
  rep.recent.as_of = as_of;
  // On-road incidents older than ten half-lives add nothing.
  VIGIL_ASSIGN_OR_RETURN(rep.recent.events,
                         EventsBetween(store, as_of - static_cast<int>(10 * config.road_half_life_days), as_of));
  rep.recent.hits = geo::MatchEventsToRoads(roads.net, rep.recent.events, roads.lexicon, cc);
  std::vector<BoxField> fields;
  for (const auto& r : forecast.rows) fields.push_back(FieldFromForecast(r));
  rep.risk = CombineRoadRisk(roads.net, std::move(boxes), std::move(fields), rep.recent.events, rep.recent.hits, as_of,
                             config);
  rep.risk.snapshot_id = forecast.snapshot_id;
  return rep;
}

std::vector<std::pair<uint32_t, double>> SegmentEvidence(const geo::RoadNetwork& net, const CorridorReport& report,
                                                         uint32_t segment, double km, int days) {
  std::vector<std::pair<uint32_t, double>> out;
  if (segment >= net.segments().size()) return out;
  const auto& sg = net.segments()[segment];
  const double lat = (sg.lat0 + sg.lat1) / 2, lon = (sg.lon0 + sg.lon1) / 2;
  uint32_t last = UINT32_MAX;
  for (const auto& h : report.hits) {
    if (h.edge != sg.edge || h.event == last) continue;
    last = h.event;
    const core::Event& e = report.events[h.event];
    if (report.as_of - e.date_start > days) continue;
    const double d = h.by_name ? 0 : core::HaversineKm(lat, lon, e.latitude, e.longitude);
    if (d <= km + sg.km / 2) out.push_back({h.event, d});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  return out;
}

Result<uint32_t> ResolveTown(const geo::RoadNetwork& net, const geo::Gazetteer* gazetteer, const std::string& spec,
                             double* snap_km) {
  *snap_km = 0;
  // "LAT,LON"
  const auto parts = core::Split(spec, ',');
  double lat, lon;
  if (parts.size() == 2 && core::ParseDouble(core::Trim(parts[0]), &lat) &&
      core::ParseDouble(core::Trim(parts[1]), &lon)) {
    if (!core::ValidLatLon(lat, lon))
      return core::InvalidArgument("'" + spec + "': latitude or longitude out of range");
    auto [n, d] = net.NearestNode(lat, lon);
    *snap_km = d;
    return n;
  }
  if (auto n = net.FindNode(spec)) return *n;
  if (gazetteer) {
    geo::GeocodeOptions opt;
    opt.limit = 1;
    auto c = gazetteer->Geocode(spec, opt);
    if (!c.empty()) {
      if (auto n = net.NodeByPlace(c[0].place->id)) return *n;
      auto [n, d] = net.NearestNode(c[0].place->lat, c[0].place->lon);
      *snap_km = d;
      return n;
    }
  }
  return core::NotFound("'" + spec + "' is neither a town of the road network nor a known place; give LAT,LON or " +
                        "a town from `vigil roads list --towns`");
}

Result<std::vector<uint32_t>> ResolveAvoid(const geo::RoadNetwork& net, const std::vector<std::string>& specs) {
  std::vector<uint32_t> out;
  for (const auto& s : specs) {
    if (const geo::Route* r = net.FindRoute(s)) {
      out.insert(out.end(), r->edges.begin(), r->edges.end());
      continue;
    }
    int64_t id;
    if (s.size() > 1 && (s[0] == 'e' || s[0] == 'E') && core::ParseInt64(s.substr(1), &id) && id >= 0 &&
        static_cast<size_t>(id) < net.edges().size()) {
      out.push_back(static_cast<uint32_t>(id));
      continue;
    }
    // "A–B" or "A-B": try every split on a dash.
    bool found = false;
    for (size_t i = 0; i < s.size() && !found; ++i) {
      size_t len = 0;
      if (s[i] == '-') len = 1;
      if (s.compare(i, 3, "\xE2\x80\x93") == 0) len = 3;  // en dash
      if (!len) continue;
      auto a = net.FindNode(core::Trim(s.substr(0, i))), b = net.FindNode(core::Trim(s.substr(i + len)));
      if (a && b)
        if (auto e = net.EdgeBetween(*a, *b)) out.push_back(*e), found = true;
    }
    if (!found)
      return core::NotFound("--avoid '" + s + "': not a route id, an edge id (e12) or a hop between two adjacent " +
                            "towns (Kayes-Diboli); see `vigil roads list`");
  }
  return out;
}

}  // namespace vigil::model

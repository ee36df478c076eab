#include "model/site_json.h"

#include "geo/corridors.h"
#include "model/road_json.h"

namespace vigil::model {

using core::Json;

Json SiteJson(const geo::Site& s) {
  return Json{{"id", s.id},   {"name", s.name}, {"type", s.type},           {"owner", s.owner},
              {"lat", s.lat}, {"lon", s.lon},   {"radius_km", s.radius_km}, {"added_at", s.added_at}};
}

Json SiteFeature(const geo::Site& s, Json props) {
  return Json{{"type", "Feature"},
              {"id", s.id},
              {"geometry", {{"type", "Point"}, {"coordinates", {s.lon, s.lat}}}},
              {"properties", std::move(props)}};
}

Json SiteExposureJson(const SiteReport& rep, const SiteExposure& x, bool fr) {
  Json out = SiteJson(x.site);
  out["as_of"] = rep.as_of.ToIso();
  out["events_30d"] = x.events_short;
  out["events_90d"] = x.events_long;
  out["fatalities_90d"] = x.fatalities_long;
  out["events_prior_90d"] = x.events_before;
  out["trend"] = TrendName(x.trend);
  out["trend_p"] = x.trend_p;
  Json fc = Json::array();
  for (size_t h = 0; h < x.forecast.size(); ++h)
    fc.push_back(
        {{"horizon_days", rep.horizons[h]}, {"p_any", x.forecast[h].p_any}, {"expected", x.forecast[h].expected}});
  out["forecast"] = fc;
  out["snapshot_id"] = rep.snapshot_id;
  if (!rep.forecast_note.empty()) out["forecast_note"] = rep.forecast_note;
  Json threats = Json::array();
  for (const auto& t : x.threats) {
    const core::Event& e = rep.events[t.event];
    threats.push_back({{"event_id", e.id},
                       {"date", e.date_start.ToIso()},
                       {"location", e.location},
                       {"event_type", e.event_type},
                       {"sub_event_type", e.sub_event_type},
                       {"actor1", e.actor1},
                       {"fatalities", e.fatalities.value_or(0)},
                       {"distance_km", t.km},
                       {"bearing_deg", t.bearing_deg},
                       {"direction", geo::CompassPoint(t.bearing_deg)}});
  }
  out["threats"] = threats;
  Json corridors = Json::array();
  for (const auto& c : x.corridors) {
    const auto& st = rep.corridors.statuses[c.status];
    corridors.push_back({{"corridor", st.corridor->id},
                         {"name", fr && !st.corridor->name_fr.empty() ? st.corridor->name_fr : st.corridor->name_en},
                         {"status", geo::CorridorStateName(st.state)},
                         {"confidence", st.confidence},
                         {"reason", fr ? st.reason_fr : st.reason_en},
                         {"distance_km", c.km}});
  }
  out["corridors"] = corridors;
  return out;
}

}  // namespace vigil::model

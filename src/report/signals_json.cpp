#include "report/signals_json.h"

#include <cmath>

namespace vigil::report {

namespace {

double Round(double v, double unit) { return std::round(v / unit) * unit; }

core::Json Dates(const std::vector<core::Date>& ds) {
  core::Json a = core::Json::array();
  for (const auto& d : ds) a.push_back(d.ToIso());
  return a;
}

}  // namespace

core::Json WavesJson(const std::vector<analysis::Wave>& waves) {
  core::Json arr = core::Json::array();
  for (const auto& w : waves) {
    core::Json places = core::Json::array();
    for (const auto& p : w.places)
      places.push_back({{"location", p.location},
                        {"admin1", p.admin1},
                        {"admin2", p.admin2},
                        {"lat", p.latitude},
                        {"lon", p.longitude},
                        {"event_ids", p.event_ids}});
    arr.push_back({{"actor", w.actor},
                   {"start", w.start.ToIso()},
                   {"end", w.end.ToIso()},
                   {"places", places},
                   {"event_ids", w.event_ids},
                   {"span_km", Round(w.span_km, 0.1)},
                   {"expected_places", Round(w.expected_places, 0.001)},
                   {"p_value", w.p_value}});
  }
  return arr;
}

core::Json RepeatJson(const std::vector<analysis::RepeatTarget>& targets) {
  core::Json arr = core::Json::array();
  for (const auto& t : targets)
    arr.push_back({{"location", t.location},
                   {"admin1", t.admin1},
                   {"admin2", t.admin2},
                   {"lat", t.latitude},
                   {"lon", t.longitude},
                   {"strikes", Dates(t.strikes)},
                   {"intervals_days", t.intervals_days},
                   {"actors", t.actors},
                   {"event_ids", t.event_ids}});
  return arr;
}

core::Json DiffusionJson(const analysis::Diffusion& d) {
  core::Json onsets = core::Json::array();
  for (const auto& o : d.onsets)
    onsets.push_back({{"kind", o.kind},
                      {"unit", o.unit},
                      {"admin1", o.admin1},
                      {"first", o.first.ToIso()},
                      {"events", o.events},
                      {"lat", o.latitude},
                      {"lon", o.longitude},
                      {"judged", o.judged}});
  return {{"onsets", onsets},
          {"cells_with_violence", d.cells_with_violence},
          {"area_cells", d.area_cells},
          {"share", Round(d.share, 0.0001)},
          {"history_start", d.history_start.ToIso()}};
}

core::Json DriftJson(const analysis::Drift& d) {
  core::Json qs = core::Json::array();
  for (const auto& q : d.quarters)
    qs.push_back({{"quarter", q.quarter}, {"events", q.events}, {"lat", q.latitude}, {"lon", q.longitude}});
  core::Json j = {{"quarters", qs}, {"measured", d.measured}};
  if (!d.measured) return j;
  j["east_km_per_quarter"] = Round(d.east_km_per_quarter, 0.1);
  j["north_km_per_quarter"] = Round(d.north_km_per_quarter, 0.1);
  j["speed_km_per_quarter"] = Round(d.speed_km_per_quarter, 0.1);
  j["bearing_deg"] = Round(d.bearing_deg, 0.1);
  j["direction"] = analysis::CompassPoint(d.bearing_deg);
  j["east_interval"] = {Round(d.east_lo, 0.1), Round(d.east_hi, 0.1)};
  j["north_interval"] = {Round(d.north_lo, 0.1), Round(d.north_hi, 0.1)};
  j["speed_interval"] = {Round(d.speed_lo, 0.1), Round(d.speed_hi, 0.1)};
  return j;
}

core::Json ControlJson(const std::vector<analysis::UnitControl>& units) {
  core::Json arr = core::Json::array();
  for (const auto& u : units) {
    core::Json scores = core::Json::object();
    for (const auto& [a, s] : u.scores) scores[a] = Round(s, 0.001);
    arr.push_back({{"admin1", u.admin1},
                   {"admin2", u.admin2},
                   {"status", u.status},
                   {"leader", u.leader},
                   {"leader_score", Round(u.leader_score, 0.001)},
                   {"share", Round(u.share, 0.001)},
                   {"certainty", Round(u.certainty, 0.001)},
                   {"scores", scores},
                   {"evidence", u.evidence},
                   {"places", u.places}});
  }
  return arr;
}

core::Json SignalsJson(const Signals& s) {
  return {{"area", s.area.name.empty() ? core::Json(nullptr) : core::Json(s.area.name)},
          {"area_level", s.area.level},
          {"from", s.from.ToIso()},
          {"to", s.to.ToIso()},
          {"waves", WavesJson(s.waves)},
          {"repeat", RepeatJson(s.repeat)},
          {"diffusion", DiffusionJson(s.diffusion)},
          {"drift", DriftJson(s.drift)},
          {"control", ControlJson(s.control)}};
}

}  // namespace vigil::report

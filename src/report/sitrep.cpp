#include "report/sitrep.h"
#include "report/writer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>

#include "alert/alert_store.h"
#include "core/json.h"
#include "core/strings.h"
#include "geo/normalize.h"
#include "model/road_service.h"
#include "model/service.h"
#include "model/site_store.h"

namespace vigil::report {

namespace {

core::Result<PeriodCount> Count(store::EventStore* store, const Area& area, core::Date from, core::Date to) {
  VIGIL_ASSIGN_OR_RETURN(auto evs, AreaEvents(store, area, from, to));
  PeriodCount c;
  for (const auto& e : evs) {
    ++c.events;
    if (e.fatalities) c.fatalities += *e.fatalities, ++c.known;
  }
  return c;
}

// Severity for the key events: a known toll, hostages, then tags.
double Severity(const core::Event& e) {
  return (e.fatalities ? 10.0 * *e.fatalities : 5.0) + 8.0 * e.hostages.value_or(0) + 2.0 * e.tags.size() +
         (e.event_type == "Battles" || e.event_type == "Violence against civilians" ? 3 : 0);
}

// The eight most severe, at most four of one day while other days have
// events: a brief on a quarter is not only its worst morning.
std::vector<core::Event> KeyEventsOf(const std::vector<core::Event>& by_severity) {
  std::vector<core::Event> out, rest;
  std::map<int32_t, int> per_day;
  for (const auto& e : by_severity) {
    if (out.size() == 8) break;
    (per_day[e.date_start.days()]++ < 4 ? out : rest).push_back(e);
  }
  for (size_t i = 0; out.size() < 8 && i < rest.size(); ++i) out.push_back(rest[i]);
  return out;
}

// The fit's summary as stored with the snapshot (model/service.cpp,
// SummaryJson): the whole window's branching ratio and, for a region, its
// own realised offspring per event.
void MomentumOf(const store::ModelSnapshot& snap, const Area& area, Momentum* m) {
  const core::Json j = core::Json::parse(snap.params, nullptr, false);
  if (j.is_discarded() || !j.contains("branching_ratio")) return;
  m->known = true;
  m->branching = j.value("branching_ratio", 0.0);
  m->half_life_days = j.value("half_life_days", 0.0);
  m->scale_km = j.value("spatial_scale_km", 0.0);
  m->caution = j.value("status", std::string()) != "converged" ||
               (j.contains("warnings") && j["warnings"].is_array() && !j["warnings"].empty());
  if (area.level != "admin1" || !j.contains("branching_by_admin1")) return;
  const core::Json& by = j["branching_by_admin1"];
  for (auto it = by.begin(); it != by.end(); ++it)
    if (geo::FoldName(it.key()) == geo::FoldName(area.name) && it->is_object()) {
      m->area_known = true;
      m->area_offspring = it->value("offspring_per_event", 0.0);
      m->area_triggered = it->value("triggered_share", 0.0);
      m->area_events = it->value("events", int64_t{0});
    }
}

// Stored events per cercle ("admin1 / admin2", folded) in [from, to].
core::Result<std::map<std::string, int64_t>> ObservedByCercle(store::EventStore* store, core::Date from,
                                                              core::Date to) {
  VIGIL_ASSIGN_OR_RETURN(auto evs, AreaEvents(store, Area{"", "all"}, from, to));
  std::map<std::string, int64_t> out;
  for (const auto& e : evs) ++out[geo::FoldName(e.admin1) + " / " + geo::FoldName(e.admin2)];
  return out;
}

// The 30-day outlook from the latest snapshot: the area's cercles by P(>= 1
// event) with the count's 80 % range (200 Monte Carlo runs), and the
// largest rises of the expected count over the events of the 30 days
// before the snapshot's date.
constexpr int kOutlookReps = 200;

core::Status Outlook(store::EventStore* store, const geo::Reference& ref, Sitrep* s) {
  VIGIL_ASSIGN_OR_RETURN(auto snap, store->LatestSnapshot("hawkes"));
  if (!snap) return core::Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(auto out,
                         model::ForecastFromSnapshot(store, ref, *snap, model::Level::kAdmin2, 30, kOutlookReps));
  VIGIL_ASSIGN_OR_RETURN(auto observed, ObservedByCercle(store, snap->as_of - 30, snap->as_of - 1));
  const Area& a = s->signals.area;
  for (size_t i = 0; i < out.units.size(); ++i) {
    const geo::AdminInfo info = ref.Reverse(out.units[i].lat, out.units[i].lon);
    const bool in = a.level == "all" || (a.level == "admin1" ? info.admin1 == a.name : info.admin2 == a.name);
    if (!in) continue;
    const auto& r = out.rows[i];
    auto seen = observed.find(geo::FoldName(info.admin1) + " / " + geo::FoldName(info.admin2));
    s->outlook.push_back(
        {out.units[i].id, r.p_any, r.expected, r.p10, r.p90, seen == observed.end() ? 0 : seen->second});
  }
  s->rises = s->outlook;
  std::stable_sort(s->outlook.begin(), s->outlook.end(),
                   [](const OutlookRow& x, const OutlookRow& y) { return x.p_any > y.p_any; });
  if (s->outlook.size() > 6) s->outlook.resize(6);
  auto rise = [](const OutlookRow& r) { return r.expected - static_cast<double>(r.observed); };
  std::stable_sort(s->rises.begin(), s->rises.end(),
                   [&](const OutlookRow& x, const OutlookRow& y) { return rise(x) > rise(y); });
  while (!s->rises.empty() && (s->rises.size() > 3 || rise(s->rises.back()) <= 0.5)) s->rises.pop_back();
  for (size_t i = 0; i < out.units.size(); ++i) s->cercle_p_any[out.units[i].id] = out.rows[i].p_any;
  MomentumOf(*snap, s->signals.area, &s->momentum);
  s->snapshot_id = snap->id;
  s->snapshot_as_of = snap->as_of;
  return core::Status::Ok();
}

// The bundled corridors' status the day after the period (the roads
// module's rules, docs/corridors.md): each road segment takes the worst
// status of the corridors through it.
core::Status Corridors(store::EventStore* store, const geo::Reference& ref, core::Date to, Sitrep* s) {
  auto roads = model::LoadRoads(ref.data_dir());
  if (!roads.ok()) return core::Status::Ok();  // a data folder without roads: no corridors to show
  VIGIL_ASSIGN_OR_RETURN(auto rep, model::AssessCorridorsFromStore(store, **roads, to + 1));
  const geo::RoadNetwork& net = (*roads)->net;
  std::vector<int> edge_state(net.edges().size(), 0);
  for (const auto& st : rep.statuses) {
    const int state = static_cast<int>(st.state);
    for (uint32_t e : st.corridor->edges) edge_state[e] = std::max(edge_state[e], state);
    if (state > 0 && !st.corridor->is_route)
      s->corridors_cut.push_back({st.corridor->name_en.empty() ? st.corridor->id : st.corridor->name_en,
                                  st.corridor->name_fr.empty() ? st.corridor->name_en : st.corridor->name_fr,
                                  geo::CorridorStateName(st.state)});
  }
  for (const auto& seg : net.segments())
    s->roads.push_back({seg.lat0, seg.lon0, seg.lat1, seg.lon1, edge_state[seg.edge]});
  return core::Status::Ok();
}

// Alerts raised in the period, or raised before and still open at its end,
// whose area's centre lies in the brief's area.
core::Status Alerts(alert::AlertStore* alerts, const geo::Reference& ref, Sitrep* s) {
  if (!alerts) return core::Status::Ok();
  alert::AlertFilter f;
  f.limit = 1000;
  VIGIL_ASSIGN_OR_RETURN(auto all, alerts->ListAlerts(f));
  s->alerts_read = true;
  const Area& a = s->signals.area;
  const int64_t start = static_cast<int64_t>(s->signals.from.days()) * 86400;
  const int64_t end = static_cast<int64_t>(s->signals.to.days() + 1) * 86400;
  for (const auto& al : all) {
    const bool open_at_end = al.state == alert::AlertState::kOpen || al.state == alert::AlertState::kAcknowledged;
    if (al.created_at >= end || (al.created_at < start && !open_at_end)) continue;
    double lat = 0, lon = 0;
    if (al.area.circle) {
      lat = al.area.circle->lat, lon = al.area.circle->lon;
    } else if (!al.area.polygon.empty()) {
      lat = al.area.polygon.front().first, lon = al.area.polygon.front().second;
    } else {
      continue;
    }
    const geo::AdminInfo info = ref.Reverse(lat, lon);
    const bool in =
        a.level == "all" || geo::FoldName(a.level == "admin1" ? info.admin1 : info.admin2) == geo::FoldName(a.name);
    if (!in) continue;
    s->alerts.push_back({al.Reference(), alert::Name(al.severity), alert::Name(al.state), al.headline_en,
                         al.headline_fr, core::Date::FromDays(static_cast<int32_t>(al.created_at / 86400))});
  }
  std::stable_sort(s->alerts.begin(), s->alerts.end(),
                   [](const BriefAlert& x, const BriefAlert& y) { return x.raised > y.raised; });
  if (s->alerts.size() > 10) s->alerts.resize(10);
  return core::Status::Ok();
}

// The watched sites in the area.
core::Status Sites(model::SiteStore* sites, const geo::Reference& ref, Sitrep* s) {
  if (!sites) return core::Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(auto all, sites->List());
  const Area& a = s->signals.area;
  for (const auto& site : all) {
    const geo::AdminInfo info = ref.Reverse(site.lat, site.lon);
    const bool in =
        a.level == "all" || geo::FoldName(a.level == "admin1" ? info.admin1 : info.admin2) == geo::FoldName(a.name);
    if (in) s->sites.push_back({site.lat, site.lon, site.name});
  }
  return core::Status::Ok();
}

// Weeks ending on the period: a year, or the whole period when it
// is longer (at most five years).
core::Status Weekly(store::EventStore* store, const Area& area, core::Date from, core::Date to, Sitrep* s) {
  const int weeks = std::clamp((to - from + 7) / 7, 52, 260);
  const core::Date first = to - (7 * weeks - 1);
  VIGIL_ASSIGN_OR_RETURN(auto evs, AreaEvents(store, area, first, to));
  s->weekly.resize(weeks);
  for (int k = 0; k < weeks; ++k) s->weekly[k].start = first + 7 * k;
  for (const auto& e : evs) {
    const int k = (e.date_start - first) / 7;
    if (k >= 0 && k < weeks) ++s->weekly[k].events;
  }
  return core::Status::Ok();
}

std::string Join(const std::vector<std::string>& xs, const std::string& sep) {
  std::string out;
  for (const auto& x : xs) out += (out.empty() ? "" : sep) + x;
  return out;
}

// The source a reader can look up: the report's title from the notes'
// "Source:" part when it has one, else the dataset and its id.
std::string SourceOf(const core::Event& e) {
  const auto p = e.notes.find("Source: ");
  if (p != std::string::npos) return e.notes.substr(p + 8);
  return e.source + " " + e.source_id;
}

Inline Plain(std::string t) { return {{std::move(t)}}; }

void Headline(const Sitrep& s, const Writer& w, const std::string& lang, Doc* doc) {
  doc->Heading(w.T("h_headline"));
  doc->Bullet(Plain(w.T("events_line", {std::to_string(s.now.events)})));
  if (s.now.known > 0)
    doc->Bullet(Plain(w.T("fatalities_line", {std::to_string(s.now.fatalities), std::to_string(s.now.known),
                                              std::to_string(s.now.events)})));
  else if (s.now.events > 0)
    doc->Bullet(Plain(w.T("fatalities_none", {std::to_string(s.now.events)})));
  doc->Bullet(
      Plain(w.T("change_prev", {std::to_string(s.previous.events), w.Change(s.now.events, s.previous.events)})));
  doc->Bullet(
      Plain(w.T("change_year", {std::to_string(s.year_before.events), w.Change(s.now.events, s.year_before.events)})));
  if (s.signals.diffusion.history_start > s.signals.from - 365)
    doc->Bullet(Plain(w.T("year_uncovered", {LongDate(s.signals.diffusion.history_start, lang)})));
  if (!s.by_type.empty()) {
    std::vector<std::string> parts;
    for (const auto& [t, n] : s.by_type) parts.push_back(w.Term(t) + " " + std::to_string(n));
    doc->Bullet(Plain(w.T("by_type") + " " + Join(parts, ", ")));
  }
}

void FigureBlocks(const Sitrep& s, const Writer& w, const std::string& lang, Doc* doc) {
  const std::string area = s.signals.area.name.empty() ? w.T("all_regions") : s.signals.area.name;
  doc->Figure("map", w.T("map_caption", {area, LongDate(s.signals.from, lang), LongDate(s.signals.to, lang)}));
  doc->Figure("trend", w.T("trend_caption", {std::to_string(s.weekly.size())}));
}

void KeyEvents(const Sitrep& s, const Writer& w, const std::string& lang, Doc* doc) {
  doc->Heading(w.T("h_key_events"));
  if (s.key_events.empty()) doc->Paragraph(Plain(w.T("no_events")));
  for (const auto& e : s.key_events) {
    std::string who = e.actor1.empty() ? "?" : e.actor1;
    if (!e.actor2.empty()) who += " / " + e.actor2;
    std::string toll = e.fatalities ? std::to_string(*e.fatalities) : "?";
    std::string what = ", " + e.location + " (" + e.admin1 + ")" + w.Colon() +
                       w.Term(e.sub_event_type.empty() ? e.event_type : e.sub_event_type) + " — " + who + "; " +
                       w.T("killed", {toll});
    if (e.hostages) what += "; " + w.T("hostages", {std::to_string(*e.hostages)});
    doc->Bullet({{LongDate(e.date_start, lang), true}, {what + ". "}, {SourceOf(e), false, true}});
  }
}

void Waves(const Sitrep& s, const Writer& w, const std::string& lang, Doc* doc) {
  doc->Heading(w.T("h_waves"));
  if (s.signals.waves.empty()) doc->Paragraph(Plain(w.T("no_waves")));
  for (const auto& wave : s.signals.waves) {
    std::vector<std::string> places;
    for (const auto& p : wave.places) places.push_back(p.location);
    doc->Bullet(Plain(w.T("wave_line", {LongDate(wave.start, lang), wave.actor, std::to_string(wave.places.size()),
                                        w.Num(wave.span_km), w.Num(wave.expected_places, 2), Join(places, ", ")})));
  }
}

void Repeat(const Sitrep& s, const Writer& w, const std::string& lang, Doc* doc) {
  doc->Heading(w.T("h_repeat"));
  if (s.signals.repeat.empty()) doc->Paragraph(Plain(w.T("no_repeat")));
  for (size_t i = 0; i < s.signals.repeat.size() && i < 8; ++i) {
    const auto& t = s.signals.repeat[i];
    std::vector<std::string> days, gaps;
    for (const auto& d : t.strikes) days.push_back(LongDate(d, lang));
    for (int g : t.intervals_days) gaps.push_back(std::to_string(g));
    doc->Bullet(
        Plain(w.T("repeat_line", {t.location, std::to_string(t.strikes.size()), Join(days, ", "), Join(gaps, ", ")})));
  }
}

void Spread(const Sitrep& s, const Writer& w, const std::string& lang, Doc* doc) {
  const auto& d = s.signals.diffusion;
  doc->Heading(w.T("h_diffusion"));
  doc->Bullet(Plain(
      w.T("diffusion_line", {std::to_string(d.cells_with_violence), std::to_string(d.area_cells), w.Pct(d.share)})));
  std::vector<std::string> judged;
  bool unjudged = false;
  for (const auto& o : d.onsets)
    if (o.kind == "admin2") {
      if (o.judged)
        judged.push_back(o.unit + " (" + LongDate(o.first, lang) + ")");
      else
        unjudged = true;
    }
  if (!judged.empty()) doc->Bullet(Plain(w.T("onset_line", {Join(judged, ", ")})));
  if (unjudged) doc->Bullet(Plain(w.T("onset_unjudged", {LongDate(d.history_start, lang)})));
  if (judged.empty() && !unjudged) doc->Bullet(Plain(w.T("no_onsets")));
  const auto& dr = s.signals.drift;
  if (dr.measured)
    doc->Bullet(
        Plain(w.T("drift_line", {w.Num(dr.speed_km_per_quarter), w.T("dir_" + analysis::CompassPoint(dr.bearing_deg)),
                                 w.Num(dr.speed_lo), w.Num(dr.speed_hi)})));
  else
    doc->Bullet(Plain(w.T("no_drift")));
}

void Control(const Sitrep& s, const Writer& w, Doc* doc) {
  doc->Heading(w.T("h_control"));
  int shown = 0;
  for (const auto& u : s.signals.control) {
    if (u.status == "presence" || shown == 8) continue;
    ++shown;
    doc->Bullet(Plain(w.T("control_line", {u.admin2, w.T(u.status), u.leader, w.Pct(u.share), w.Num(u.certainty, 2),
                                           Join(u.places, ", ")})));
  }
  if (shown == 0) doc->Paragraph(Plain(w.T("no_control")));
}

void CorridorSection(const Sitrep& s, const Writer& w, const std::string& lang, Doc* doc) {
  doc->Heading(w.T("h_corridors"));
  if (s.roads.empty())
    doc->Paragraph(Plain(w.T("no_roads")));
  else if (s.corridors_cut.empty())
    doc->Paragraph(Plain(w.T("corridors_open", {LongDate(s.signals.to + 1, lang)})));
  for (const auto& c : s.corridors_cut)
    doc->Bullet(Plain(w.T("corridor_line", {w.IsFrench() ? c.name_fr : c.name_en, w.T("road_" + c.state)})));
  if (!s.corridors_cut.empty()) doc->Paragraph(Plain(w.T("corridors_as_of", {LongDate(s.signals.to + 1, lang)})));
}

void MomentumSection(const Sitrep& s, const Writer& w, Doc* doc) {
  const Momentum& m = s.momentum;
  doc->Heading(w.T("h_momentum"));
  if (!m.known) {
    doc->Paragraph(Plain(w.T("no_momentum")));
    return;
  }
  doc->Bullet(Plain(w.T("momentum_line", {w.Num(m.branching, 2), w.Num(m.half_life_days), w.Num(m.scale_km)})));
  if (m.area_known)
    doc->Bullet(Plain(w.T("momentum_area", {s.signals.area.name, w.Num(m.area_offspring, 2), w.Pct(m.area_triggered),
                                            std::to_string(m.area_events)})));
  const double b = m.area_known ? m.area_offspring : m.branching;
  const char* words = b < 0.3 ? "momentum_low" : b < 0.6 ? "momentum_moderate" : "momentum_high";
  doc->Paragraph(Plain(w.T(words, {w.Num(m.half_life_days), w.Num(m.scale_km)})));
  if (m.caution) doc->Paragraph(Plain(w.T("momentum_caution")));
}

void AlertSection(const Sitrep& s, const Writer& w, const std::string& lang, Doc* doc) {
  doc->Heading(w.T("h_alerts"));
  if (!s.alerts_read) {
    doc->Paragraph(Plain(w.T("alerts_unread")));
    return;
  }
  if (s.alerts.empty()) doc->Paragraph(Plain(w.T("no_alerts")));
  for (const auto& a : s.alerts)
    doc->Bullet({{a.reference, true},
                 {" (" + LongDate(a.raised, lang) + ", " + w.T("severity_" + a.severity) + ", " +
                  w.T("state_" + a.state) + ")" + w.Colon() + (w.IsFrench() ? a.headline_fr : a.headline_en)}});
}

void OutlookSection(const Sitrep& s, const Writer& w, const std::string& lang, Doc* doc) {
  doc->Heading(w.T("h_outlook"));
  if (s.outlook.empty()) doc->Paragraph(Plain(w.T("no_outlook")));
  for (const auto& o : s.outlook) {
    std::string line = w.T("outlook_line", {o.unit, w.Pct(o.p_any), w.Num(o.expected, 1)});
    if (o.p10 >= 0) line += " " + w.T("outlook_range", {w.Num(o.p10), w.Num(o.p90)});
    doc->Bullet(Plain(line));
  }
  if (!s.rises.empty()) {
    std::vector<std::string> parts;
    for (const auto& r : s.rises)
      parts.push_back(w.T("rise_item", {r.unit, w.Num(r.expected, 1), std::to_string(r.observed)}));
    doc->Paragraph(Plain(w.T("rises_line", {Join(parts, "; ")})));
  }
  if (!s.outlook.empty())
    doc->Paragraph(Plain(w.T("outlook_from", {std::to_string(s.snapshot_id), LongDate(s.snapshot_as_of, lang)})));
}

}  // namespace

core::Result<Sitrep> BuildSitrep(store::EventStore* store, const geo::Reference& ref, const SignalRequest& req,
                                 const BriefSources& more) {
  Sitrep s;
  VIGIL_ASSIGN_OR_RETURN(s.signals, ComputeSignals(store, ref, req));
  const Area& a = s.signals.area;
  const int len = req.to - req.from + 1;
  VIGIL_ASSIGN_OR_RETURN(s.now, Count(store, a, req.from, req.to));
  VIGIL_ASSIGN_OR_RETURN(s.previous, Count(store, a, req.from - len, req.from - 1));
  VIGIL_ASSIGN_OR_RETURN(s.year_before, Count(store, a, req.from - 365, req.to - 365));
  VIGIL_ASSIGN_OR_RETURN(auto evs, AreaEvents(store, a, req.from, req.to));
  std::set<std::string> sources;
  for (const auto& e : evs) {
    ++s.by_type[e.event_type], sources.insert(e.source);
    if (e.latitude != 0 || e.longitude != 0) s.map_events.push_back({e.latitude, e.longitude, e.event_type});
  }
  s.sources.assign(sources.begin(), sources.end());
  std::stable_sort(evs.begin(), evs.end(),
                   [](const core::Event& x, const core::Event& y) { return Severity(x) > Severity(y); });
  evs = KeyEventsOf(evs);
  std::stable_sort(evs.begin(), evs.end(),
                   [](const core::Event& x, const core::Event& y) { return x.date_start < y.date_start; });
  s.key_events = std::move(evs);
  store::EventFilter newest;
  newest.limit = 1;
  newest.to = req.to;
  VIGIL_ASSIGN_OR_RETURN(auto last, store->QueryEvents(newest));
  s.data_until = last.empty() ? req.to : last[0].date_start;
  VIGIL_ASSIGN_OR_RETURN(auto all_sources, store->DistinctValues("source"));
  s.simulated = std::find(all_sources.begin(), all_sources.end(), core::kSimulatedSource) != all_sources.end();
  VIGIL_RETURN_IF_ERROR(Outlook(store, ref, &s));
  VIGIL_RETURN_IF_ERROR(Weekly(store, a, req.from, req.to, &s));
  VIGIL_RETURN_IF_ERROR(Corridors(store, ref, req.to, &s));
  VIGIL_RETURN_IF_ERROR(Alerts(more.alerts, ref, &s));
  VIGIL_RETURN_IF_ERROR(Sites(more.sites, ref, &s));
  return s;
}

core::Result<Phrases> LoadPhrases(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::NotFound("cannot read the report sentences " + path);
  Phrases p;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    for (std::string_view x : core::Split(line, '\t')) f.emplace_back(x);
    if (f.size() != 3)
      return core::InvalidArgument(path + ":" + std::to_string(n) +
                                   ": expected key, English and French (tab-separated)");
    p.by_key[f[0]] = {f[1], f[2]};
  }
  return p;
}

std::string LongDate(core::Date d, const std::string& lang) {
  static const char* months_en[] = {"January", "February", "March",     "April",   "May",      "June",
                                    "July",    "August",   "September", "October", "November", "December"};
  static const char* months_fr[] = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                                    "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
  const bool fr = lang == "fr";
  const std::string day = fr && d.day() == 1 ? "1er" : std::to_string(d.day());
  return day + (fr ? "\u00a0" : " ") + (fr ? months_fr : months_en)[d.month() - 1] + " " + std::to_string(d.year());
}

Doc ComposeSitrep(const Sitrep& s, const Phrases& p, const std::string& lang, core::Date generated) {
  const Writer w(p, lang);
  Doc doc;
  doc.lang = lang;
  const std::string area = s.signals.area.name.empty() ? w.T("all_regions") : s.signals.area.name;
  doc.Title(w.T("title", {area}));
  doc.Paragraph({{w.T("period", {LongDate(s.signals.from, lang), LongDate(s.signals.to, lang)}), true}});
  doc.Paragraph(Plain(w.T("generated", {LongDate(generated, lang), LongDate(s.data_until, lang)})));
  if (s.simulated) doc.Notice(w.T("simulated"));
  Headline(s, w, lang, &doc);
  FigureBlocks(s, w, lang, &doc);
  KeyEvents(s, w, lang, &doc);
  Waves(s, w, lang, &doc);
  Repeat(s, w, lang, &doc);
  Spread(s, w, lang, &doc);
  Control(s, w, &doc);
  CorridorSection(s, w, lang, &doc);
  AlertSection(s, w, lang, &doc);
  OutlookSection(s, w, lang, &doc);
  MomentumSection(s, w, &doc);
  doc.Heading(w.T("h_method"));
  for (const char* k : {"method_1", "method_2", "method_3"}) doc.Bullet(Plain(w.T(k)));
  doc.Bullet(Plain(w.T("sources_line", {s.sources.empty() ? w.T("none") : Join(s.sources, ", ")})));
  return doc;
}

std::string RenderMarkdown(const Sitrep& s, const Phrases& p, const std::string& lang, core::Date generated) {
  return RenderMarkdown(ComposeSitrep(s, p, lang, generated));
}

namespace {

bool InArea(const Area& a, const geo::PolygonFeature& cercle) {
  if (a.level == "all") return true;
  const auto key = a.level == "admin1" ? "adm1" : "adm2";
  auto it = cercle.properties.find(key);
  return it != cercle.properties.end() && geo::FoldName(it->second) == geo::FoldName(a.name);
}

void Grow(const geo::PolygonFeature& f, MapLayers* m, bool* any) {
  if (!*any) m->min_lon = f.min_lon, m->min_lat = f.min_lat, m->max_lon = f.max_lon, m->max_lat = f.max_lat;
  m->min_lon = std::min(m->min_lon, f.min_lon), m->min_lat = std::min(m->min_lat, f.min_lat);
  m->max_lon = std::max(m->max_lon, f.max_lon), m->max_lat = std::max(m->max_lat, f.max_lat);
  *any = true;
}

// The area's cercles with their forecast; the view is their box (the
// events' box for an area outside the bundled polygons), padded.
MapLayers AreaLayers(const Sitrep& s, const geo::Reference& ref) {
  MapLayers m;
  std::map<std::string, double> p_by_cercle;  // folded cercle name -> P
  for (const auto& [unit, p] : s.cercle_p_any) {
    const auto slash = unit.rfind(" / ");
    p_by_cercle[geo::FoldName(slash == std::string::npos ? unit : unit.substr(slash + 3))] = p;
  }
  bool any = false;
  for (const auto& f : ref.admin2()) {
    if (!InArea(s.signals.area, f)) continue;
    auto name = f.properties.find("adm2");
    auto p = name == f.properties.end() ? p_by_cercle.end() : p_by_cercle.find(geo::FoldName(name->second));
    m.units.push_back({&f, p == p_by_cercle.end() ? std::nullopt : std::optional<double>(p->second)});
    Grow(f, &m, &any);
  }
  for (const auto& e : s.map_events) {
    if (any) continue;
    m.min_lon = std::min(e.lon, m.min_lon == 0 ? e.lon : m.min_lon), m.max_lon = std::max(e.lon, m.max_lon);
    m.min_lat = std::min(e.lat, m.min_lat == 0 ? e.lat : m.min_lat), m.max_lat = std::max(e.lat, m.max_lat);
  }
  const double pad_lon = std::max(0.3, 0.08 * (m.max_lon - m.min_lon)),
               pad_lat = std::max(0.3, 0.08 * (m.max_lat - m.min_lat));
  m.min_lon -= pad_lon, m.max_lon += pad_lon, m.min_lat -= pad_lat, m.max_lat += pad_lat;
  return m;
}

bool Overlaps(const geo::PolygonFeature& f, const MapLayers& m) {
  return f.max_lon >= m.min_lon && f.min_lon <= m.max_lon && f.max_lat >= m.min_lat && f.min_lat <= m.max_lat;
}

// The most populous places in view, largest first.
std::vector<MapLabel> Towns(const geo::Reference& ref, const MapLayers& m, size_t n) {
  std::vector<const geo::Place*> in;
  for (const auto& pl : ref.gazetteer().places())
    if (pl.feature_class == 'P' && pl.population > 0 && pl.lon >= m.min_lon && pl.lon <= m.max_lon &&
        pl.lat >= m.min_lat && pl.lat <= m.max_lat)
      in.push_back(&pl);
  std::stable_sort(in.begin(), in.end(), [](const geo::Place* a, const geo::Place* b) {
    return a->population != b->population ? a->population > b->population : a->id < b->id;
  });
  std::vector<MapLabel> out;
  for (size_t i = 0; i < in.size() && i < n; ++i)
    out.push_back({in[i]->lat, in[i]->lon, in[i]->name, static_cast<int>(i)});
  return out;
}

}  // namespace

PageSetup SitrepPage(const Sitrep& s, const Phrases& p, const std::string& lang, core::Date generated) {
  const Writer w(p, lang);
  PageSetup page;
  page.title = w.T("title", {s.signals.area.name.empty() ? w.T("all_regions") : s.signals.area.name});
  page.footer = w.T("footer", {LongDate(generated, lang), LongDate(s.data_until, lang)});
  page.page_template = w.T("page", {"{1}", "{2}"});
  page.created = generated;
  return page;
}

Figures SitrepFigures(const Sitrep& s, const geo::Reference& ref, const Phrases& p, const std::string& lang) {
  const Writer w(p, lang);
  FigureText t;
  t.fr = w.IsFrench();
  t.legend_forecast = w.T("legend_forecast");
  t.legend_no_forecast = w.T("legend_no_forecast");
  t.legend_events = w.T("legend_events");
  t.axis_events_week = w.T("axis_events_week");
  t.legend_sites = w.T("legend_sites");
  for (const char* type : {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
                           "Strategic developments"})
    t.event_types[type] = w.Term(type);
  for (const char* state : {"open", "disrupted", "blockaded"})
    t.corridor_states.push_back(w.T(std::string("road_") + state));
  auto m = std::make_shared<MapLayers>(AreaLayers(s, ref));
  for (const auto& f : ref.countries())
    if (Overlaps(f, *m)) m->countries.push_back(&f);
  for (const auto& f : ref.admin1())
    if (Overlaps(f, *m)) m->regions.push_back(&f);
  for (const auto& r : s.roads)
    if (std::max(r.lon0, r.lon1) >= m->min_lon && std::min(r.lon0, r.lon1) <= m->max_lon &&
        std::max(r.lat0, r.lat1) >= m->min_lat && std::min(r.lat0, r.lat1) <= m->max_lat)
      m->roads.push_back(r);
  m->events = s.map_events;
  m->towns = Towns(ref, *m, 30);
  m->sites = s.sites;
  Figures out;
  out["map"] = {500, 420, [m, t](cairo_t* cr) { DrawMap(cr, 500, 420, *m, t); }};
  const auto weeks = std::make_shared<std::vector<TrendWeek>>(s.weekly);
  const core::Date from = s.signals.from, to = s.signals.to;
  out["trend"] = {500, 150, [weeks, from, to, t](cairo_t* cr) { DrawTrend(cr, 500, 150, *weeks, from, to, t); }};
  return out;
}

}  // namespace vigil::report

#include "report/sitrep.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>

#include "core/strings.h"
#include "model/service.h"

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

core::Status Outlook(store::EventStore* store, const geo::Reference& ref, Sitrep* s) {
  VIGIL_ASSIGN_OR_RETURN(auto snap, store->LatestSnapshot("hawkes"));
  if (!snap) return core::Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(auto out, model::ForecastFromSnapshot(store, ref, *snap, model::Level::kAdmin2, 30));
  const Area& a = s->signals.area;
  for (size_t i = 0; i < out.units.size(); ++i) {
    const geo::AdminInfo info = ref.Reverse(out.units[i].lat, out.units[i].lon);
    const bool in = a.level == "all" || (a.level == "admin1" ? info.admin1 == a.name : info.admin2 == a.name);
    if (in) s->outlook.push_back({out.units[i].id, out.rows[i].p_any, out.rows[i].expected});
  }
  std::stable_sort(s->outlook.begin(), s->outlook.end(),
                   [](const OutlookRow& x, const OutlookRow& y) { return x.p_any > y.p_any; });
  if (s->outlook.size() > 6) s->outlook.resize(6);
  s->snapshot_id = snap->id;
  s->snapshot_as_of = snap->as_of;
  return core::Status::Ok();
}

// Fills {1}, {2}, ... of `tmpl` in order.
std::string Fill(std::string tmpl, const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string mark = "{" + std::to_string(i + 1) + "}";
    for (size_t p = tmpl.find(mark); p != std::string::npos; p = tmpl.find(mark, p + args[i].size()))
      tmpl.replace(p, mark.size(), args[i]);
  }
  return tmpl;
}

class Writer {
 public:
  Writer(const Phrases& p, const std::string& lang) : p_(p), fr_(lang == "fr") {}
  std::string T(const std::string& key, const std::vector<std::string>& args = {}) const {
    auto it = p_.by_key.find(key);
    if (it == p_.by_key.end()) return "[" + key + "]";
    return Fill(fr_ ? it->second.second : it->second.first, args);
  }
  std::string Num(double v, int decimals = 0) const {
    char b[64];
    std::snprintf(b, sizeof b, "%.*f", decimals, v);
    std::string s = b;
    if (fr_) std::replace(s.begin(), s.end(), '.', ',');
    return s;
  }
  std::string Pct(double v) const { return Num(100 * v, v < 0.1 ? 1 : 0) + (fr_ ? "\u00a0%" : "%"); }
  std::string Change(int64_t now, int64_t before) const {
    if (now == before) return T("same");
    return T(now > before ? "up" : "down", {std::to_string(std::llabs(now - before))});
  }
  bool fr() const { return fr_; }
  // An ACLED type or sub-type in the brief's language (as stored when the
  // table lacks it).
  std::string Term(const std::string& acled) const {
    auto it = p_.by_key.find("ev_" + acled);
    return it == p_.by_key.end() ? acled : (fr_ ? it->second.second : it->second.first);
  }
  std::string Colon() const { return fr_ ? "\u00a0: " : ": "; }

 private:
  const Phrases& p_;
  bool fr_;
};

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

void Headline(const Sitrep& s, const Writer& w, const std::string& lang, std::string* md) {
  *md += "## " + w.T("h_headline") + "\n\n";
  *md += "- " + w.T("events_line", {std::to_string(s.now.events)}) + "\n";
  if (s.now.known > 0)
    *md += "- " +
           w.T("fatalities_line",
               {std::to_string(s.now.fatalities), std::to_string(s.now.known), std::to_string(s.now.events)}) +
           "\n";
  else if (s.now.events > 0)
    *md += "- " + w.T("fatalities_none", {std::to_string(s.now.events)}) + "\n";
  *md +=
      "- " + w.T("change_prev", {std::to_string(s.previous.events), w.Change(s.now.events, s.previous.events)}) + "\n";
  *md += "- " +
         w.T("change_year", {std::to_string(s.year_before.events), w.Change(s.now.events, s.year_before.events)}) +
         "\n";
  if (s.signals.diffusion.history_start > s.signals.from - 365)
    *md += "- " + w.T("year_uncovered", {LongDate(s.signals.diffusion.history_start, lang)}) + "\n";
  if (!s.by_type.empty()) {
    std::vector<std::string> parts;
    for (const auto& [t, n] : s.by_type) parts.push_back(w.Term(t) + " " + std::to_string(n));
    *md += "- " + w.T("by_type") + " " + Join(parts, ", ") + "\n";
  }
  *md += "\n";
}

void KeyEvents(const Sitrep& s, const Writer& w, const std::string& lang, std::string* md) {
  *md += "## " + w.T("h_key_events") + "\n\n";
  if (s.key_events.empty()) *md += w.T("no_events") + "\n";
  for (const auto& e : s.key_events) {
    std::string who = e.actor1.empty() ? "?" : e.actor1;
    if (!e.actor2.empty()) who += " / " + e.actor2;
    std::string toll = e.fatalities ? std::to_string(*e.fatalities) : "?";
    *md += "- **" + LongDate(e.date_start, lang) + "**, " + e.location + " (" + e.admin1 + ")" + w.Colon() +
           w.Term(e.sub_event_type.empty() ? e.event_type : e.sub_event_type) + " — " + who + "; " +
           w.T("killed", {toll});
    if (e.hostages) *md += "; " + w.T("hostages", {std::to_string(*e.hostages)});
    *md += ". _" + SourceOf(e) + "_\n";
  }
  *md += "\n";
}

void Waves(const Sitrep& s, const Writer& w, const std::string& lang, std::string* md) {
  *md += "## " + w.T("h_waves") + "\n\n";
  if (s.signals.waves.empty()) *md += w.T("no_waves") + "\n";
  for (const auto& wave : s.signals.waves) {
    std::vector<std::string> places;
    for (const auto& p : wave.places) places.push_back(p.location);
    *md += "- " +
           w.T("wave_line", {LongDate(wave.start, lang), wave.actor, std::to_string(wave.places.size()),
                             w.Num(wave.span_km), w.Num(wave.expected_places, 2), Join(places, ", ")}) +
           "\n";
  }
  *md += "\n";
}

void Repeat(const Sitrep& s, const Writer& w, const std::string& lang, std::string* md) {
  *md += "## " + w.T("h_repeat") + "\n\n";
  if (s.signals.repeat.empty()) *md += w.T("no_repeat") + "\n";
  for (size_t i = 0; i < s.signals.repeat.size() && i < 8; ++i) {
    const auto& t = s.signals.repeat[i];
    std::vector<std::string> days, gaps;
    for (const auto& d : t.strikes) days.push_back(LongDate(d, lang));
    for (int g : t.intervals_days) gaps.push_back(std::to_string(g));
    *md += "- " +
           w.T("repeat_line", {t.location, std::to_string(t.strikes.size()), Join(days, ", "), Join(gaps, ", ")}) +
           "\n";
  }
  *md += "\n";
}

void Spread(const Sitrep& s, const Writer& w, const std::string& lang, std::string* md) {
  const auto& d = s.signals.diffusion;
  *md += "## " + w.T("h_diffusion") + "\n\n";
  *md += "- " +
         w.T("diffusion_line", {std::to_string(d.cells_with_violence), std::to_string(d.area_cells), w.Pct(d.share)}) +
         "\n";
  std::vector<std::string> judged;
  bool unjudged = false;
  for (const auto& o : d.onsets)
    if (o.kind == "admin2") {
      if (o.judged)
        judged.push_back(o.unit + " (" + LongDate(o.first, lang) + ")");
      else
        unjudged = true;
    }
  if (!judged.empty()) *md += "- " + w.T("onset_line", {Join(judged, ", ")}) + "\n";
  if (unjudged) *md += "- " + w.T("onset_unjudged", {LongDate(d.history_start, lang)}) + "\n";
  if (judged.empty() && !unjudged) *md += "- " + w.T("no_onsets") + "\n";
  const auto& dr = s.signals.drift;
  if (dr.measured)
    *md += "- " +
           w.T("drift_line", {w.Num(dr.speed_km_per_quarter), w.T("dir_" + analysis::CompassPoint(dr.bearing_deg)),
                              w.Num(dr.speed_lo), w.Num(dr.speed_hi)}) +
           "\n";
  else
    *md += "- " + w.T("no_drift") + "\n";
  *md += "\n";
}

void Control(const Sitrep& s, const Writer& w, std::string* md) {
  *md += "## " + w.T("h_control") + "\n\n";
  int shown = 0;
  for (const auto& u : s.signals.control) {
    if (u.status == "presence" || shown == 8) continue;
    ++shown;
    *md += "- " +
           w.T("control_line",
               {u.admin2, w.T(u.status), u.leader, w.Pct(u.share), w.Num(u.certainty, 2), Join(u.places, ", ")}) +
           "\n";
  }
  if (shown == 0) *md += w.T("no_control") + "\n";
  *md += "\n";
}

void OutlookSection(const Sitrep& s, const Writer& w, const std::string& lang, std::string* md) {
  *md += "## " + w.T("h_outlook") + "\n\n";
  if (s.outlook.empty()) *md += w.T("no_outlook") + "\n";
  for (const auto& o : s.outlook)
    *md += "- " + w.T("outlook_line", {o.unit, w.Pct(o.p_any), w.Num(o.expected, 1)}) + "\n";
  if (!s.outlook.empty())
    *md += "\n" + w.T("outlook_from", {std::to_string(s.snapshot_id), LongDate(s.snapshot_as_of, lang)}) + "\n";
  *md += "\n";
}

}  // namespace

core::Result<Sitrep> BuildSitrep(store::EventStore* store, const geo::Reference& ref, const SignalRequest& req) {
  Sitrep s;
  VIGIL_ASSIGN_OR_RETURN(s.signals, ComputeSignals(store, ref, req));
  const Area& a = s.signals.area;
  const int len = req.to - req.from + 1;
  VIGIL_ASSIGN_OR_RETURN(s.now, Count(store, a, req.from, req.to));
  VIGIL_ASSIGN_OR_RETURN(s.previous, Count(store, a, req.from - len, req.from - 1));
  VIGIL_ASSIGN_OR_RETURN(s.year_before, Count(store, a, req.from - 365, req.to - 365));
  VIGIL_ASSIGN_OR_RETURN(auto evs, AreaEvents(store, a, req.from, req.to));
  std::set<std::string> sources;
  for (const auto& e : evs) ++s.by_type[e.event_type], sources.insert(e.source);
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
  static const char* kEn[] = {"January", "February", "March",     "April",   "May",      "June",
                              "July",    "August",   "September", "October", "November", "December"};
  static const char* kFr[] = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                              "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
  const bool fr = lang == "fr";
  const std::string day = fr && d.day() == 1 ? "1er" : std::to_string(d.day());
  return day + (fr ? "\u00a0" : " ") + (fr ? kFr : kEn)[d.month() - 1] + " " + std::to_string(d.year());
}

std::string RenderMarkdown(const Sitrep& s, const Phrases& p, const std::string& lang, core::Date generated) {
  const Writer w(p, lang);
  const std::string area = s.signals.area.name.empty() ? w.T("all_regions") : s.signals.area.name;
  std::string md = "# " + w.T("title", {area}) + "\n\n";
  md += "**" + w.T("period", {LongDate(s.signals.from, lang), LongDate(s.signals.to, lang)}) + "**\n\n";
  md += w.T("generated", {LongDate(generated, lang), LongDate(s.data_until, lang)}) + "\n\n";
  if (s.simulated) md += "> **" + w.T("simulated") + "**\n\n";
  Headline(s, w, lang, &md);
  KeyEvents(s, w, lang, &md);
  Waves(s, w, lang, &md);
  Repeat(s, w, lang, &md);
  Spread(s, w, lang, &md);
  Control(s, w, &md);
  OutlookSection(s, w, lang, &md);
  md += "## " + w.T("h_method") + "\n\n";
  for (const char* k : {"method_1", "method_2", "method_3"}) md += "- " + w.T(k) + "\n";
  md += "- " + w.T("sources_line", {s.sources.empty() ? w.T("none") : Join(s.sources, ", ")}) + "\n";
  return md;
}

}  // namespace vigil::report

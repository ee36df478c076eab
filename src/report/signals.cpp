#include "report/signals.h"

#include <algorithm>

#include "query/filters.h"

namespace vigil::report {

namespace {

bool InArea(const Area& a, const std::string& admin1, const std::string& admin2) {
  if (a.level == "all") return true;
  return a.level == "admin1" ? admin1 == a.name : admin2 == a.name;
}

core::Result<core::Date> HistoryStart(store::EventStore* store) {
  store::EventFilter f;
  f.newest_first = false;
  f.limit = 1;
  VIGIL_ASSIGN_OR_RETURN(auto first, store->QueryEvents(f));
  return first.empty() ? core::Date() : first[0].date_start;
}

}  // namespace

core::Result<Area> ResolveArea(store::EventStore* store, const std::string& name) {
  if (name.empty() || name == "all") return Area{"", "all"};
  query::FilterFlags f;
  f.admin1 = {name};
  auto r1 = query::ResolveFilter(f, store);
  if (r1.ok() && !r1->filter.admin1.empty()) return Area{r1->filter.admin1[0], "admin1"};
  f.admin1.clear();
  f.admin2 = {name};
  auto r2 = query::ResolveFilter(f, store);
  if (r2.ok() && !r2->filter.admin2.empty()) return Area{r2->filter.admin2[0], "admin2"};
  return core::NotFound("no region or cercle named '" + name + "' in the store (" + r1.status().message() + ")");
}

core::Result<std::vector<core::Event>> AreaEvents(store::EventStore* store, const Area& area,
                                                  std::optional<core::Date> from, core::Date to) {
  store::EventFilter f;
  if (area.level == "admin1") f.admin1 = {area.name};
  if (area.level == "admin2") f.admin2 = {area.name};
  f.from = from;
  f.to = to;
  f.newest_first = false;
  return store->QueryEvents(f);
}

core::Result<std::pair<core::Date, core::Date>> ResolvePeriod(store::EventStore* store, const std::string& from_s,
                                                              const std::string& to_s, const std::string& from_name,
                                                              const std::string& to_name) {
  core::Date to, from;
  if (!to_s.empty()) {
    auto d = core::Date::Parse(to_s);
    if (!d.ok()) return core::InvalidArgument(to_name + ": " + d.status().message());
    to = *d;
  } else {
    store::EventFilter f;
    f.limit = 1;
    VIGIL_ASSIGN_OR_RETURN(auto newest, store->QueryEvents(f));
    if (newest.empty()) return core::NotFound("the store holds no events: run vigil ingest first");
    to = newest[0].date_start;
  }
  if (!from_s.empty()) {
    auto d = core::Date::Parse(from_s);
    if (!d.ok()) return core::InvalidArgument(from_name + ": " + d.status().message());
    from = *d;
  } else {
    from = to - 89;
  }
  if (to < from)
    return core::InvalidArgument(to_name + " " + to.ToIso() + " is before " + from_name + " " + from.ToIso());
  return std::make_pair(from, to);
}

std::vector<int64_t> AreaCells(const geo::Reference& ref, const Area& area) {
  std::vector<int64_t> out;
  for (const auto& c : ref.grid()) {
    const geo::AdminInfo a = ref.Reverse(c.lat, c.lon);
    const bool in = area.level == "all" ? c.mali_area_share > 0 : InArea(area, a.admin1, a.admin2);
    if (in) out.push_back(c.gid);
  }
  return out;
}

core::Result<Signals> ComputeSignals(store::EventStore* store, const geo::Reference& ref, const SignalRequest& req) {
  if (req.to < req.from)
    return core::InvalidArgument("the period ends (" + req.to.ToIso() + ") before it starts (" + req.from.ToIso() +
                                 ")");
  Signals s;
  VIGIL_ASSIGN_OR_RETURN(s.area, ResolveArea(store, req.area));
  s.from = req.from;
  s.to = req.to;
  VIGIL_ASSIGN_OR_RETURN(auto rules, analysis::LoadControlRules(ref.data_dir() + "/lexicon/control_signals.tsv"));

  // All regions, from the waves' baseline on: an offensive crosses regions.
  VIGIL_ASSIGN_OR_RETURN(auto national, AreaEvents(store, Area{"", "all"}, req.from - req.waves.baseline_days, req.to));
  for (auto& w : analysis::FindWaves(national, req.from, req.to, req.waves))
    if (std::any_of(w.places.begin(), w.places.end(),
                    [&](const analysis::WavePlace& p) { return InArea(s.area, p.admin1, p.admin2); }))
      s.waves.push_back(std::move(w));

  const int back = static_cast<int>(std::max<double>(req.diffusion.quiet_days, 4 * req.control.half_life_days));
  VIGIL_ASSIGN_OR_RETURN(auto local, AreaEvents(store, s.area, req.from - back, req.to));
  VIGIL_ASSIGN_OR_RETURN(core::Date history_start, HistoryStart(store));
  // Repeat targeting looks back a year at least: "struck twice in a year".
  s.repeat = analysis::FindRepeatTargets(local, std::min(req.from, req.to - 364), req.to, req.repeat);
  s.diffusion =
      analysis::ComputeDiffusion(local, req.from, req.to, AreaCells(ref, s.area), history_start, req.diffusion);
  std::vector<core::Event> period;
  for (const auto& e : local)
    if (e.date_start >= req.from) period.push_back(e);
  s.drift = analysis::ComputeDrift(period, req.drift);
  s.control = analysis::EstimateControl(local, req.to, rules, req.control);
  return s;
}

}  // namespace vigil::report

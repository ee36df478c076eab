#include "scenario/engine.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "model/catalogue.h"

namespace vigil::scenario {

namespace {

// Units chosen by index, with a locator over them (kept together: the
// locator points into the vector).
struct UnitSet {
  explicit UnitSet(std::vector<model::Unit> u) : units(std::move(u)), locate(units) {}
  std::vector<model::Unit> units;
  model::UnitLocator locate;
};

// Distance in km from (y, x) to the piece (y0, x0)-(y1, x1), in a local
// equirectangular frame (pieces are a few km to tens of km long).
double PieceKm(double y, double x, const std::array<double, 4>& s) {
  constexpr double kKmPerDeg = 111.19492664455873;
  const double c = std::cos(y * 0.017453292519943295);
  const double ax = (s[1] - x) * kKmPerDeg * c, ay = (s[0] - y) * kKmPerDeg;
  const double bx = (s[3] - x) * kKmPerDeg * c, by = (s[2] - y) * kKmPerDeg;
  const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
  const double u = len2 > 0 ? std::clamp(-(ax * dx + ay * dy) / len2, 0.0, 1.0) : 0;
  return std::hypot(ax + u * dx, ay + u * dy);
}

std::function<bool(double, double)> Contains(const AreaSpec& a, const Inputs& in) {
  if (!a.segments.empty()) {
    return [segments = a.segments, km = a.buffer_km](double y, double x) {
      for (const auto& s : segments)
        if (PieceKm(y, x, s) <= km) return true;
      return false;
    };
  }
  if (a.radius_km > 0) {
    const double r2 = a.radius_km * a.radius_km, lat = a.lat, lon = a.lon;
    return [=](double y, double x) { return model::DistanceKm2(lat, lon, y, x) <= r2; };
  }
  std::vector<model::Unit> chosen;
  for (size_t i : a.region_units) chosen.push_back((*in.regions)[i]);
  for (size_t i : a.cercle_units) chosen.push_back((*in.cercles)[i]);
  auto set = std::make_shared<const UnitSet>(std::move(chosen));
  return [set](double y, double x) { return set->locate.Find(y, x) >= 0; };
}

Moments MomentsOf(std::vector<double> v) {
  Moments m;
  if (v.empty()) return m;
  double s = 0;
  for (double x : v) s += x;
  m.mean = s / static_cast<double>(v.size());
  std::sort(v.begin(), v.end());
  auto q = [&](double f) { return v[std::min(v.size() - 1, static_cast<size_t>(f * static_cast<double>(v.size())))]; };
  m.p10 = q(0.1);
  m.p50 = q(0.5);
  m.p90 = q(0.9);
  return m;
}

Diff DiffOf(const std::vector<double>& base, const std::vector<double>& scen) {
  Diff d;
  const auto n = static_cast<double>(base.size());
  if (base.empty()) return d;
  double s = 0, s2 = 0;
  for (size_t r = 0; r < base.size(); ++r) {
    const double x = scen[r] - base[r];
    s += x;
    s2 += x * x;
  }
  d.delta = s / n;
  d.se = n > 1 ? std::sqrt(std::max(0.0, (s2 - s * s / n) / (n - 1)) / n) : 0;
  return d;
}

Compared Compare(const std::vector<double>& base, const std::vector<double>& scen) {
  return {MomentsOf(base), MomentsOf(scen), DiffOf(base, scen)};
}

AtLeast AtLeastK(int k, const std::vector<double>& base, const std::vector<double>& scen) {
  std::vector<double> b(base.size()), s(scen.size());
  for (size_t r = 0; r < base.size(); ++r) b[r] = base[r] >= k ? 1 : 0, s[r] = scen[r] >= k ? 1 : 0;
  AtLeast a;
  a.k = k;
  a.diff = DiffOf(b, s);
  a.p_base = MomentsOf(b).mean;
  a.p_scen = MomentsOf(s).mean;
  return a;
}

// Per run: the sum over `regions` of an [run][region][week] array, for one
// week, or over every week when `week` < 0.
std::vector<double> Sum(const Arm& a, const std::vector<int32_t>& v, const std::vector<size_t>& regions, int week) {
  std::vector<double> out(static_cast<size_t>(a.runs), 0);
  const auto nweeks = static_cast<size_t>(a.weeks);
  const size_t w0 = week < 0 ? 0 : static_cast<size_t>(week), w1 = week < 0 ? nweeks : w0 + 1;
  for (size_t r = 0; r < out.size(); ++r)
    for (size_t g : regions)
      for (size_t w = w0; w < w1; ++w) out[r] += v[(r * a.regions + g) * nweeks + w];
  return out;
}

std::vector<double> PerRun(const std::vector<int32_t>& v) { return {v.begin(), v.end()}; }

std::string Fmt(const char* f, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, x);
  return buf;
}

}  // namespace

model::Changes ToChanges(const Spec& spec, const Inputs& in) {
  model::Changes c;
  for (const auto& s : spec.inject)
    for (int k = 0; k < s.events; ++k)
      c.inject.push_back({static_cast<double>(s.date - in.window_start) + 0.5, s.lat, s.lon, s.cls, s.fatalities});
  for (const auto& b : spec.background) {
    model::BackgroundChange bc;
    bc.contains = Contains(b.area, in);
    bc.factor = b.factor;
    if (b.from) bc.t0 = *b.from - in.window_start;
    if (b.to) bc.t1 = *b.to - in.window_start;
    c.background.push_back(std::move(bc));
  }
  c.productivity = spec.productivity;
  return c;
}

Arm RunArm(const Inputs& in, const model::Changes& changes, int weeks, const Options& opt) {
  const double T = in.as_of - in.window_start, H = 7.0 * weeks;
  const model::ForwardSimulator sim(*in.fit, *in.catalogue, T, H, changes, in.fatalities);
  const model::UnitLocator regions(*in.regions), cercles(*in.cercles);
  Arm a;
  a.runs = opt.runs;
  a.weeks = weeks;
  a.regions = in.regions->size();
  a.cercles = in.cercles->size();
  const auto nruns = static_cast<size_t>(a.runs), nweeks = static_cast<size_t>(weeks);
  a.region_events.assign(nruns * a.regions * nweeks, 0);
  a.region_fatalities.assign(nruns * a.regions * nweeks, 0);
  a.cercle_events.assign(nruns * a.cercles, 0);
  a.total_events.assign(nruns, 0);
  a.total_fatalities.assign(nruns, 0);
  int done = 0;
#pragma omp parallel
  {
    std::vector<model::ForwardEvent> gen;
#pragma omp for schedule(dynamic)
    for (int run = 0; run < a.runs; ++run) {
      if (run % opt.shards != opt.shard) continue;
      sim.Run(opt.seed, run, &gen);
      const auto r = static_cast<size_t>(run);
      for (const auto& e : gen) {
        a.total_events[r] += 1;
        a.total_fatalities[r] += e.fatalities;
        const auto w = std::min(nweeks - 1, static_cast<size_t>(std::max(0.0, (e.t - T) / 7)));
        const int64_t g = regions.Find(e.lat, e.lon);
        if (g >= 0) {
          a.region_events[(r * a.regions + static_cast<size_t>(g)) * nweeks + w] += 1;
          a.region_fatalities[(r * a.regions + static_cast<size_t>(g)) * nweeks + w] += e.fatalities;
        }
        const int64_t c = cercles.Find(e.lat, e.lon);
        if (c >= 0) a.cercle_events[r * a.cercles + static_cast<size_t>(c)] += 1;
      }
      if (opt.progress) {
#pragma omp critical(scenario_progress)
        opt.progress(++done, a.runs);
      }
    }
  }
  return a;
}

std::vector<std::string> DescribeChanges(const Spec& spec) {
  std::vector<std::string> out;
  for (size_t i = 0; i < spec.inject.size();) {
    // One line per [[inject]] table: its places together.
    size_t j = i;
    std::string places;
    while (j < spec.inject.size() && spec.inject[j].line == spec.inject[i].line)
      places += (places.empty() ? "" : "; ") + spec.inject[j++].place;
    const auto& s = spec.inject[i];
    const int n = static_cast<int>(j - i) * s.events;
    out.push_back("inject " + std::to_string(n) + " " + model::ClassName(s.cls) + " event" + (n == 1 ? "" : "s") +
                  " on " + s.date.ToIso() + " at " + places +
                  (s.fatalities >= 0 ? " (" + std::to_string(s.fatalities) + " fatalities each)" : ""));
    i = j;
  }
  for (const auto& b : spec.background)
    out.push_back("background x" + Fmt("%g", b.factor) + " in " + b.area.label +
                  (b.from ? " from " + b.from->ToIso() : "") + (b.to ? " until " + b.to->ToIso() : ""));
  for (int c = 0; c < model::kNumClasses; ++c)
    if (spec.productivity[static_cast<size_t>(c)] != 1)
      out.push_back(std::string("productivity of ") + model::ClassName(c) + " x" +
                    Fmt("%g", spec.productivity[static_cast<size_t>(c)]));
  return out;
}

Summary Summarise(const Spec& spec, const Inputs& in, const Arm& base, const Arm& scen) {
  Summary s;
  s.title = spec.title;
  s.description = spec.description;
  s.as_of = in.as_of;
  s.weeks = base.weeks;
  s.until = in.as_of + 7 * base.weeks;
  s.runs = base.runs;
  s.seed = spec.seed;
  s.spec_text = spec.text;
  s.changes = DescribeChanges(spec);
  for (const auto& i : spec.inject)
    if (i.date >= in.as_of && i.date < s.until) s.injected += i.events;
  auto region_row = [&](const std::string& name, const std::vector<size_t>& idx) {
    RegionRow row;
    row.region = name;
    const auto b = Sum(base, base.region_events, idx, -1), c = Sum(scen, scen.region_events, idx, -1);
    row.events = Compare(b, c);
    row.fatalities = Compare(Sum(base, base.region_fatalities, idx, -1), Sum(scen, scen.region_fatalities, idx, -1));
    for (int k : spec.thresholds) row.at_least.push_back(AtLeastK(k, b, c));
    return row;
  };
  std::vector<size_t> all;
  for (size_t g = 0; g < base.regions; ++g) {
    all.push_back(g);
    s.regions.push_back(region_row((*in.regions)[g].id, {g}));
    for (int w = 0; w < base.weeks; ++w) {
      RegionWeek rw;
      rw.region = (*in.regions)[g].id;
      rw.week = w;
      rw.from = in.as_of + 7 * w;
      rw.events = Compare(Sum(base, base.region_events, {g}, w), Sum(scen, scen.region_events, {g}, w));
      rw.fatalities = Compare(Sum(base, base.region_fatalities, {g}, w), Sum(scen, scen.region_fatalities, {g}, w));
      s.weekly.push_back(rw);
    }
  }
  // Regions by the size of their change, largest first.
  std::stable_sort(s.regions.begin(), s.regions.end(), [](const RegionRow& a, const RegionRow& b) {
    return std::fabs(a.events.diff.delta) > std::fabs(b.events.diff.delta);
  });
  s.regions.push_back(region_row("Mali", all));
  RegionRow area;
  area.region = "model area";
  area.events = Compare(PerRun(base.total_events), PerRun(scen.total_events));
  area.fatalities = Compare(PerRun(base.total_fatalities), PerRun(scen.total_fatalities));
  for (int k : spec.thresholds)
    area.at_least.push_back(AtLeastK(k, PerRun(base.total_events), PerRun(scen.total_events)));
  s.regions.push_back(area);
  for (size_t c = 0; c < base.cercles; ++c) {
    std::vector<double> b(static_cast<size_t>(base.runs)), x(static_cast<size_t>(base.runs));
    for (size_t r = 0; r < b.size(); ++r)
      b[r] = base.cercle_events[r * base.cercles + c], x[r] = scen.cercle_events[r * base.cercles + c];
    s.cercles.push_back({(*in.cercles)[c].id, c < in.cercle_codes.size() ? in.cercle_codes[c] : "", Compare(b, x),
                         AtLeastK(1, b, x)});
    const PlaceRow& p = s.cercles.back();
    if (p.events.diff.delta != 0 || p.any.diff.delta != 0) s.places.push_back(p);
  }
  std::sort(s.places.begin(), s.places.end(), [](const PlaceRow& a, const PlaceRow& b) {
    return std::fabs(a.events.diff.delta) > std::fabs(b.events.diff.delta) ||
           (std::fabs(a.events.diff.delta) == std::fabs(b.events.diff.delta) && a.cercle < b.cercle);
  });
  if (s.places.size() > 15) s.places.resize(15);
  return s;
}

namespace {

core::Json MomentsJson(const Moments& m) {
  return {{"mean", m.mean}, {"p10", m.p10}, {"p50", m.p50}, {"p90", m.p90}};
}
core::Json ComparedJson(const Compared& c) {
  return {{"baseline", MomentsJson(c.base)},
          {"scenario", MomentsJson(c.scen)},
          {"change", c.diff.delta},
          {"change_se", c.diff.se}};
}
core::Json AtLeastJson(const AtLeast& a) {
  return {{"k", a.k},
          {"baseline", a.p_base},
          {"scenario", a.p_scen},
          {"change", a.diff.delta},
          {"change_se", a.diff.se}};
}

}  // namespace

core::Json SummaryJson(const Summary& s) {
  core::Json j = {{"title", s.title},
                  {"description", s.description},
                  {"as_of", s.as_of.ToIso()},
                  {"until", s.until.ToIso()},
                  {"weeks", s.weeks},
                  {"runs", s.runs},
                  {"seed", s.seed},
                  {"snapshot_id", s.snapshot_id},
                  {"injected_events", s.injected},
                  {"changes", s.changes},
                  {"spec", s.spec_text}};
  auto& regions = j["regions"] = core::Json::array();
  for (const auto& r : s.regions) {
    core::Json row = {{"region", r.region},
                      {"events", ComparedJson(r.events)},
                      {"fatalities", ComparedJson(r.fatalities)}};
    auto& at = row["at_least"] = core::Json::array();
    for (const auto& a : r.at_least) at.push_back(AtLeastJson(a));
    regions.push_back(std::move(row));
  }
  auto& weekly = j["weekly"] = core::Json::array();
  for (const auto& w : s.weekly)
    weekly.push_back({{"region", w.region},
                      {"week", w.week},
                      {"from", w.from.ToIso()},
                      {"events", ComparedJson(w.events)},
                      {"fatalities", ComparedJson(w.fatalities)}});
  auto place = [](const PlaceRow& p) {
    return core::Json{{"cercle", p.cercle},
                      {"code", p.code},
                      {"events", ComparedJson(p.events)},
                      {"p_any", AtLeastJson(p.any)}};
  };
  auto& places = j["places"] = core::Json::array();
  for (const auto& p : s.places) places.push_back(place(p));
  auto& cercles = j["cercles"] = core::Json::array();
  for (const auto& p : s.cercles) cercles.push_back(place(p));
  return j;
}

}  // namespace vigil::scenario

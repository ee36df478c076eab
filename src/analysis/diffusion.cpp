#include "analysis/diffusion.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "analysis/common.h"
#include "core/priogrid.h"

namespace vigil::analysis {

namespace {

constexpr double kPi = 3.14159265358979323846;

struct UnitHistory {
  core::Date last_before;  // last strike before the current candidate
  bool any_before = false;
  std::optional<core::Date> first_in;
  int64_t in_window = 0;
  double lat = 0, lon = 0;
  std::string admin1;
};

// Walks events by date and records, per unit, the first strike in the
// window and whether the quiet period before it was really quiet.
void Track(std::map<std::string, UnitHistory>* units, std::map<std::string, bool>* quiet, const std::string& key,
           const core::Event& e, core::Date from, core::Date to, int quiet_days) {
  auto& u = (*units)[key];
  if (e.date_start > to) return;
  if (e.date_start < from) {
    u.last_before = e.date_start;
    u.any_before = true;
    return;
  }
  ++u.in_window;
  if (u.first_in) return;
  u.first_in = e.date_start;
  u.lat = e.latitude;
  u.lon = e.longitude;
  u.admin1 = e.admin1;
  (*quiet)[key] = !u.any_before || e.date_start - u.last_before > quiet_days;
}

void Collect(const std::map<std::string, UnitHistory>& units, const std::map<std::string, bool>& quiet,
             const std::string& kind, core::Date history_start, int quiet_days, std::vector<Onset>* out) {
  for (const auto& [key, u] : units) {
    if (!u.first_in || !quiet.at(key)) continue;
    Onset o;
    o.kind = kind;
    o.unit = key;
    o.admin1 = u.admin1;
    o.first = *u.first_in;
    o.events = u.in_window;
    o.latitude = u.lat;
    o.longitude = u.lon;
    o.judged = *u.first_in - history_start >= quiet_days;
    out->push_back(o);
  }
}

std::vector<const core::Event*> SortedViolence(std::span<const core::Event> events) {
  std::vector<const core::Event*> evs;
  for (const auto& e : events)
    if (IsPoliticalViolence(e)) evs.push_back(&e);
  std::stable_sort(evs.begin(), evs.end(),
                   [](const core::Event* a, const core::Event* b) { return a->date_start < b->date_start; });
  return evs;
}

// Quarterly centroids of `evs` given as km offsets, grouped by quarter.
struct QuarterPoints {
  std::string quarter;
  std::vector<Km> points;
};

Km Mean(const std::vector<Km>& pts) {
  Km m;
  for (const auto& p : pts) m.east += p.east, m.north += p.north;
  m.east /= pts.size();
  m.north /= pts.size();
  return m;
}

// Least-squares slope of `ys` against 0..n-1.
double Slope(const std::vector<double>& ys) {
  const double n = ys.size(), xbar = (n - 1) / 2;
  double num = 0, den = 0, ybar = 0;
  for (double y : ys) ybar += y;
  ybar /= n;
  for (size_t i = 0; i < ys.size(); ++i) num += (i - xbar) * (ys[i] - ybar), den += (i - xbar) * (i - xbar);
  return den > 0 ? num / den : 0;
}

// Slopes (east, north) of one sample of the quarters.
std::pair<double, double> Slopes(const std::vector<Km>& centroids) {
  std::vector<double> e, n;
  for (const auto& c : centroids) e.push_back(c.east), n.push_back(c.north);
  return {Slope(e), Slope(n)};
}

double Quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * (v.size() - 1);
  const size_t i = static_cast<size_t>(pos);
  return i + 1 < v.size() ? v[i] + (pos - i) * (v[i + 1] - v[i]) : v.back();
}

double Bearing(double east, double north) {
  double b = std::atan2(east, north) * 180 / kPi;
  return b < 0 ? b + 360 : b;
}

void Bootstrap(const std::vector<QuarterPoints>& qs, const DriftOptions& o, Drift* d) {
  std::mt19937_64 rng(o.seed);
  std::vector<double> es, ns, ss;
  for (int b = 0; b < o.bootstrap; ++b) {
    std::vector<Km> cents;
    for (const auto& q : qs) {
      std::uniform_int_distribution<size_t> pick(0, q.points.size() - 1);
      Km m;
      for (size_t i = 0; i < q.points.size(); ++i) {
        const Km& p = q.points[pick(rng)];
        m.east += p.east, m.north += p.north;
      }
      m.east /= q.points.size();
      m.north /= q.points.size();
      cents.push_back(m);
    }
    auto [e, n] = Slopes(cents);
    es.push_back(e), ns.push_back(n), ss.push_back(std::hypot(e, n));
  }
  d->east_lo = Quantile(es, 0.025), d->east_hi = Quantile(es, 0.975);
  d->north_lo = Quantile(ns, 0.025), d->north_hi = Quantile(ns, 0.975);
  d->speed_lo = Quantile(ss, 0.025), d->speed_hi = Quantile(ss, 0.975);
}

}  // namespace

Diffusion ComputeDiffusion(std::span<const core::Event> events, core::Date from, core::Date to,
                           std::span<const int64_t> area_cells, core::Date history_start, const DiffusionOptions& o) {
  Diffusion d;
  d.history_start = history_start;
  std::map<std::string, UnitHistory> admin2, cells;
  std::map<std::string, bool> quiet2, quietc;
  const std::set<int64_t> area(area_cells.begin(), area_cells.end());
  std::set<int64_t> hit;
  for (const auto* e : SortedViolence(events)) {
    const int64_t gid = core::PrioGid(e->latitude, e->longitude);
    if (!e->admin2.empty()) Track(&admin2, &quiet2, e->admin2, *e, from, to, o.quiet_days);
    Track(&cells, &quietc, std::to_string(gid), *e, from, to, o.quiet_days);
    if (e->date_start >= from && e->date_start <= to && area.count(gid)) hit.insert(gid);
  }
  Collect(admin2, quiet2, "admin2", history_start, o.quiet_days, &d.onsets);
  Collect(cells, quietc, "cell", history_start, o.quiet_days, &d.onsets);
  std::stable_sort(d.onsets.begin(), d.onsets.end(), [](const Onset& a, const Onset& b) {
    return a.first != b.first ? a.first < b.first : a.unit < b.unit;
  });
  d.cells_with_violence = static_cast<int64_t>(hit.size());
  d.area_cells = static_cast<int64_t>(area.size());
  d.share = area.empty() ? 0 : static_cast<double>(hit.size()) / area.size();
  return d;
}

Drift ComputeDrift(std::span<const core::Event> events, const DriftOptions& o) {
  Drift d;
  const auto evs = SortedViolence(events);
  if (evs.empty()) return d;
  double lat0 = 0, lon0 = 0;
  for (const auto* e : evs) lat0 += e->latitude, lon0 += e->longitude;
  lat0 /= evs.size(), lon0 /= evs.size();
  std::map<std::string, QuarterPoints> by_q;
  for (const auto* e : evs) {
    auto& q = by_q[QuarterOf(e->date_start)];
    q.quarter = QuarterOf(e->date_start);
    q.points.push_back(ToKm(e->latitude, e->longitude, lat0, lon0));
  }
  std::vector<QuarterPoints> qs;
  std::vector<Km> cents;
  for (auto& [k, q] : by_q) {
    if (static_cast<int>(q.points.size()) < o.min_events_per_quarter) continue;
    const Km m = Mean(q.points);
    cents.push_back(m);
    d.quarters.push_back({q.quarter, static_cast<int64_t>(q.points.size()), lat0 + m.north / 110.574,
                          lon0 + m.east / (111.320 * std::cos(lat0 * kPi / 180))});
    qs.push_back(std::move(q));
  }
  if (qs.size() < 2) return d;
  d.measured = true;
  std::tie(d.east_km_per_quarter, d.north_km_per_quarter) = Slopes(cents);
  d.speed_km_per_quarter = std::hypot(d.east_km_per_quarter, d.north_km_per_quarter);
  d.bearing_deg = Bearing(d.east_km_per_quarter, d.north_km_per_quarter);
  Bootstrap(qs, o, &d);
  return d;
}

std::string CompassPoint(double b) {
  static const char* kPoints[] = {"north", "north-east", "east", "south-east",
                                  "south", "south-west", "west", "north-west"};
  return kPoints[static_cast<int>(std::fmod(b + 22.5, 360.0) / 45.0) % 8];
}

}  // namespace vigil::analysis

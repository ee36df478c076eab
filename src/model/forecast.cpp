#include "model/forecast.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <unordered_map>

#include "core/priogrid.h"
#include "model/forward.h"

namespace vigil::model {

using core::Result;

namespace {
constexpr double kKmPerDeg = 111.19492664455873;
constexpr double kPi = 3.14159265358979323846;
int64_t BoxKey(double lat, double lon) {
  return static_cast<int64_t>(std::floor(lat * 10)) * 10000 + static_cast<int64_t>(std::floor(lon * 10));
}
}  // namespace

Result<Level> ParseLevel(const std::string& s) {
  if (s == "cell") return Level::kCell;
  if (s == "cell01") return Level::kCell01;
  if (s == "admin1") return Level::kAdmin1;
  if (s == "admin2") return Level::kAdmin2;
  if (s == "point") return Level::kPoint;
  return core::InvalidArgument("unknown level '" + s + "' (expected cell, cell01, admin1, admin2 or point)");
}

const char* LevelName(Level l) {
  switch (l) {
    case Level::kCell:
      return "cell";
    case Level::kCell01:
      return "cell01";
    case Level::kAdmin1:
      return "admin1";
    case Level::kAdmin2:
      return "admin2";
    case Level::kPoint:
      return "point";
  }
  return "cell";
}

Unit PointUnit(const PointQuery& point) {
  Unit u;
  u.id = "point";
  u.lat = point.lat;
  u.lon = point.lon;
  const double step = 0.02;
  const double dlat = point.radius_km / kKmPerDeg;
  const double dlon = point.radius_km / (kKmPerDeg * std::cos(point.lat * kPi / 180));
  for (double la = point.lat - dlat; la < point.lat + dlat; la += step)
    for (double lo = point.lon - dlon; lo < point.lon + dlon; lo += step)
      if (DistanceKm2(point.lat, point.lon, la + step / 2, lo + step / 2) <= point.radius_km * point.radius_km)
        u.boxes.push_back({la, lo, la + step, lo + step});
  // A radius smaller than the boxes: the box centred on the point.
  if (u.boxes.empty())
    u.boxes.push_back({point.lat - step / 2, point.lon - step / 2, point.lat + step / 2, point.lon + step / 2});
  return u;
}

Result<std::vector<Unit>> MakeUnits(Level level, const geo::Reference& ref, const std::optional<PointQuery>& point) {
  std::vector<Unit> out;
  if (level == Level::kPoint) {
    if (!point) return core::InvalidArgument("level point needs --lat, --lon and --radius-km");
    if (!(point->radius_km > 0 && point->radius_km <= 500))
      return core::InvalidArgument("--radius-km must be in (0, 500]");
    Unit u = PointUnit(*point);
    out.push_back(std::move(u));
    return out;
  }
  // Mali's PRIO-GRID cells (those with a share of Mali's area).
  std::vector<const geo::GridCell*> cells;
  for (const auto& c : ref.grid())
    if (c.mali_area_share > 0) cells.push_back(&c);
  if (level == Level::kCell) {
    std::map<int64_t, int64_t> index;
    for (const auto* c : cells) {
      Unit u;
      u.id = std::to_string(c->gid);
      u.gid = c->gid;
      u.lat = c->lat;
      u.lon = c->lon;
      for (int i = 0; i < 5; ++i)
        for (int j = 0; j < 5; ++j)
          u.boxes.push_back({c->ymin + i * 0.1, c->xmin + j * 0.1, c->ymin + (i + 1) * 0.1, c->xmin + (j + 1) * 0.1});
      index[c->gid] = static_cast<int64_t>(out.size());
      out.push_back(std::move(u));
    }
    for (auto& u : out)
      for (int dr = -1; dr <= 1; ++dr)
        for (int dc = -1; dc <= 1; ++dc) {
          if (!dr && !dc) continue;
          auto it = index.find(u.gid + dr * 720 + dc);
          if (it != index.end()) u.neighbours.push_back(it->second);
        }
    return out;
  }
  // 0.1° cells whose centre is in Mali, then grouped for admin levels.
  std::map<std::string, int64_t> by_name;
  for (const auto* c : cells)
    for (int i = 0; i < 5; ++i)
      for (int j = 0; j < 5; ++j) {
        const Box b{c->ymin + i * 0.1, c->xmin + j * 0.1, c->ymin + (i + 1) * 0.1, c->xmin + (j + 1) * 0.1};
        const double clat = (b.lat0 + b.lat1) / 2, clon = (b.lon0 + b.lon1) / 2;
        const geo::AdminInfo a = ref.Reverse(clat, clon);
        if (a.country != "Mali") continue;
        if (level == Level::kCell01) {
          Unit u;
          char id[48];
          std::snprintf(id, sizeof id, "%.2f,%.2f", clat, clon);
          u.id = id;
          u.lat = clat;
          u.lon = clon;
          u.gid = c->gid;
          u.boxes.push_back(b);
          out.push_back(std::move(u));
          continue;
        }
        // A box outside OCHA's Mali polygons (a sliver where Natural Earth's
        // outline and OCHA's differ) is in no region or cercle: its admin
        // names would be a neighbour's, or blank.
        if (a.admin1_pcode.empty()) continue;
        const std::string name = level == Level::kAdmin1 ? a.admin1 : a.admin1 + " / " + a.admin2;
        auto [it, inserted] = by_name.try_emplace(name, static_cast<int64_t>(out.size()));
        if (inserted) {
          Unit u;
          u.id = name;
          out.push_back(std::move(u));
        }
        out[static_cast<size_t>(it->second)].boxes.push_back(b);
      }
  for (auto& u : out) {
    if (level == Level::kCell01) continue;
    double la = 0, lo = 0;
    for (const auto& b : u.boxes) la += (b.lat0 + b.lat1) / 2, lo += (b.lon0 + b.lon1) / 2;
    u.lat = la / static_cast<double>(u.boxes.size());
    u.lon = lo / static_cast<double>(u.boxes.size());
  }
  return out;
}

UnitLocator::UnitLocator(const std::vector<Unit>& units) : units_(&units) {
  point_ = units.size() == 1 && units[0].id == "point";
  if (point_) return;
  for (size_t i = 0; i < units.size(); ++i)
    for (const auto& b : units[i].boxes)
      by_box_[BoxKey((b.lat0 + b.lat1) / 2, (b.lon0 + b.lon1) / 2)] = static_cast<int64_t>(i);
}

int64_t UnitLocator::Find(double lat, double lon) const {
  if (point_) {
    for (const auto& b : (*units_)[0].boxes)
      if (lat >= b.lat0 && lat < b.lat1 && lon >= b.lon0 && lon < b.lon1) return 0;
    return -1;
  }
  auto it = by_box_.find(BoxKey(lat, lon));
  return it == by_box_.end() ? -1 : it->second;
}

namespace {

// Points with one weight per horizon, bucketed on a grid of `cell` degrees
// so that a box visits only the points within reach of it.
struct WeightedPoints {
  size_t nh = 0;
  double cell = 1;
  std::vector<double> lat, lon, w;  // w[i * nh + h]
  std::unordered_map<int64_t, std::vector<uint32_t>> buckets;
  static int64_t Key(int64_t r, int64_t c) { return r * 100000 + c; }
  void Add(double la, double lo, const double* ws) {
    const auto i = static_cast<uint32_t>(lat.size());
    lat.push_back(la);
    lon.push_back(lo);
    w.insert(w.end(), ws, ws + nh);
    buckets[Key(static_cast<int64_t>(std::floor(la / cell)), static_cast<int64_t>(std::floor(lo / cell)))].push_back(i);
  }
  // Calls fn(i) for every point in a bucket overlapping the box widened by
  // reach (degrees of latitude; longitude widened at the box's latitude).
  template <typename Fn>
  void Near(const Box& b, double reach, Fn&& fn) const {
    const double c =
        std::max(0.05, std::cos(std::max(std::fabs(b.lat0 - reach), std::fabs(b.lat1 + reach)) * kPi / 180));
    const double rlon = reach / c;
    const auto r0 = static_cast<int64_t>(std::floor((b.lat0 - reach) / cell));
    const auto r1 = static_cast<int64_t>(std::floor((b.lat1 + reach) / cell));
    const auto c0 = static_cast<int64_t>(std::floor((b.lon0 - rlon) / cell));
    const auto c1 = static_cast<int64_t>(std::floor((b.lon1 + rlon) / cell));
    for (int64_t r = r0; r <= r1; ++r)
      for (int64_t k = c0; k <= c1; ++k) {
        auto it = buckets.find(Key(r, k));
        if (it == buckets.end()) continue;
        for (uint32_t i : it->second) {
          if (lat[i] < b.lat0 - reach || lat[i] > b.lat1 + reach) continue;
          const double rl = reach / std::max(0.05, std::cos(lat[i] * kPi / 180));
          if (lon[i] < b.lon0 - rl || lon[i] > b.lon1 + rl) continue;
          fn(i);
        }
      }
  }
};

}  // namespace

std::vector<std::vector<UnitForecast>> ForecastHawkesHorizons(const FitResult& fit,
                                                              const std::vector<ModelEvent>& events, double T,
                                                              const std::vector<double>& horizons,
                                                              const std::vector<Unit>& units) {
  const HawkesParams& p = fit.params;
  const size_t nh = horizons.size();
  const double reach = p.SpaceCutKm() / kKmPerDeg, reach_s = p.RecentSpaceCutKm() / kKmPerDeg;
  // Events whose offspring can still fall in [T, T+H) with weight; the
  // moving background's points.
  WeightedPoints active, recent;
  active.nh = recent.nh = nh;
  active.cell = std::max(0.1, reach);
  recent.cell = std::max(0.1, reach_s);
  std::vector<double> w(nh);
  double recent_total = 0;
  std::vector<std::pair<size_t, double>> recent_raw;  // (event, weight)
  for (size_t k = 0; k < events.size(); ++k) {
    const auto& e = events[k];
    if (!e.precise || e.t >= T) continue;
    double wmax = 0;
    for (size_t h = 0; h < nh; ++h) {
      w[h] = p.kappa[static_cast<size_t>(e.cls)] * (p.G(T + horizons[h] - e.t) - p.G(T - e.t));
      wmax = std::max(wmax, w[h]);
    }
    if (wmax > 1e-7) active.Add(e.lat, e.lon, w.data());
    if (p.recent_weight > 0) {
      const double wr = std::exp(-p.omega_recent * (T - e.t));
      recent_total += wr;
      if (wr > 1e-3) recent_raw.emplace_back(k, wr);
    }
  }
  // The background's two parts: long-run density and the recency-weighted one
  // as of T (the long-run one alone when too few events precede T).
  const double w_recent = recent_total >= 1 ? p.recent_weight : 0;
  const bool use_now = p.mu_now > 0;
  const double mu = use_now ? p.mu_now : p.mu, mu_imprecise = use_now ? p.mu_imprecise_now : fit.mu_imprecise;
  for (const auto& [k, wr] : recent_raw) {
    for (size_t h = 0; h < nh; ++h) w[h] = wr * mu * horizons[h] * w_recent / recent_total;
    recent.Add(events[k].lat, events[k].lon, w.data());
  }
  std::vector<double> cascade(nh), long_rate(nh);
  for (size_t h = 0; h < nh; ++h) {
    const double H = horizons[h];
    // phi = (1/H) integral_0^H G(s) ds (Simpson's rule).
    double phi = 0;
    const int n = 200;
    for (int k = 0; k <= n; ++k) phi += (k == 0 || k == n ? 1 : (k % 2 ? 4 : 2)) * p.G(H * k / n);
    phi /= 3.0 * n;
    cascade[h] = 1 / std::max(0.05, 1 - fit.branching_ratio * phi);
    long_rate[h] = (mu * (1 - w_recent) + mu_imprecise) * H;
  }
  std::vector<std::vector<UnitForecast>> out(nh, std::vector<UnitForecast>(units.size()));
#pragma omp parallel for schedule(dynamic, 16)
  for (size_t u = 0; u < units.size(); ++u) {
    std::vector<double> e_sum(nh, 0.0);
    for (const auto& b : units[u].boxes) {
      const double bg = fit.background.BoxMass(b.lat0, b.lon0, b.lat1, b.lon1);
      for (size_t h = 0; h < nh; ++h) e_sum[h] += long_rate[h] * bg;
      active.Near(b, reach, [&](uint32_t i) {
        const double m =
            (1 - p.rho) * GaussianBoxMass(active.lat[i], active.lon[i], p.sigma_km, b.lat0, b.lon0, b.lat1, b.lon1) +
            (p.rho > 0
                 ? p.rho * GaussianBoxMass(active.lat[i], active.lon[i], p.repeat_km, b.lat0, b.lon0, b.lat1, b.lon1)
                 : 0);
        for (size_t h = 0; h < nh; ++h) e_sum[h] += active.w[i * nh + h] * m;
      });
      recent.Near(b, reach_s, [&](uint32_t i) {
        const double m = GaussianBoxMass(recent.lat[i], recent.lon[i], p.recent_km, b.lat0, b.lon0, b.lat1, b.lon1);
        for (size_t h = 0; h < nh; ++h) e_sum[h] += recent.w[i * nh + h] * m;
      });
    }
    // Events arrive in clusters: roots (background events and direct
    // offspring of past events) are Poisson, each bringing its own in-window
    // offspring. P(at least one) is the chance of at least one root.
    for (size_t h = 0; h < nh; ++h) {
      out[h][u].expected = e_sum[h] * cascade[h];
      out[h][u].p_any = -std::expm1(-e_sum[h]);
    }
  }
  return out;
}

std::vector<UnitForecast> ForecastHawkes(const FitResult& fit, const std::vector<ModelEvent>& events, double T,
                                         double H, const std::vector<Unit>& units) {
  return std::move(ForecastHawkesHorizons(fit, events, T, {H}, units)[0]);
}

void ForecastQuantiles(const FitResult& fit, const std::vector<ModelEvent>& events, double T, double H,
                       const std::vector<Unit>& units, const UnitLocator& locate, int reps, uint64_t seed,
                       std::vector<UnitForecast>* rows) {
  const ForwardSimulator sim(fit, events, T, H);
  std::vector<std::vector<int32_t>> counts(units.size(), std::vector<int32_t>(static_cast<size_t>(reps), 0));
#pragma omp parallel
  {
    std::vector<ForwardEvent> gen;
#pragma omp for schedule(dynamic)
    for (int r = 0; r < reps; ++r) {
      sim.Run(seed, r, &gen);
      for (const auto& e : gen) {
        const int64_t uu = locate.Find(e.lat, e.lon);
        if (uu >= 0) ++counts[static_cast<size_t>(uu)][static_cast<size_t>(r)];
      }
    }
  }
  for (size_t uu = 0; uu < units.size(); ++uu) {
    auto& c = counts[uu];
    std::sort(c.begin(), c.end());
    auto q = [&](double f) {
      return static_cast<double>(c[std::min(c.size() - 1, static_cast<size_t>(f * static_cast<double>(c.size())))]);
    };
    (*rows)[uu].p10 = q(0.1);
    (*rows)[uu].p50 = q(0.5);
    (*rows)[uu].p90 = q(0.9);
  }
}

std::vector<int64_t> CountByUnit(const std::vector<ModelEvent>& events, double t0, double t1,
                                 const std::vector<Unit>& units, const UnitLocator& locate) {
  std::vector<int64_t> counts(units.size(), 0);
  for (const auto& e : events) {
    if (e.t < t0 || e.t >= t1) continue;
    const int64_t u = locate.Find(e.lat, e.lon);
    if (u >= 0) ++counts[static_cast<size_t>(u)];
  }
  return counts;
}

std::vector<UnitForecast> ForecastHistorical(const std::vector<int64_t>& counts, double W, double H,
                                             const std::vector<Unit>& units) {
  std::vector<UnitForecast> out(units.size());
  for (size_t u = 0; u < units.size(); ++u) {
    double smoothed = static_cast<double>(counts[u]);
    if (!units[u].neighbours.empty()) {
      double nb = 0;
      for (int64_t v : units[u].neighbours) nb += static_cast<double>(counts[static_cast<size_t>(v)]);
      smoothed = 0.6 * smoothed + 0.4 * nb / static_cast<double>(units[u].neighbours.size());
    }
    out[u].expected = H / W * (smoothed + 1e-3);
    out[u].p_any = -std::expm1(-out[u].expected);
  }
  return out;
}

std::vector<UnitForecast> ForecastPersistence(const std::vector<int64_t>& last) {
  std::vector<UnitForecast> out(last.size());
  for (size_t u = 0; u < last.size(); ++u) {
    out[u].expected = static_cast<double>(last[u]);
    out[u].p_any = -std::expm1(-out[u].expected);
  }
  return out;
}

std::vector<UnitForecast> ForecastRateMix(const std::vector<int64_t>& recent, double recent_days,
                                          const std::vector<int64_t>& long_run, double long_days, double H) {
  std::vector<UnitForecast> out(recent.size());
  const double rd = std::max(1.0, recent_days), ld = std::max(1.0, long_days);
  for (size_t u = 0; u < recent.size(); ++u) {
    out[u].expected = H * (0.5 * static_cast<double>(recent[u]) / rd + 0.5 * static_cast<double>(long_run[u]) / ld);
    out[u].p_any = -std::expm1(-out[u].expected);
  }
  return out;
}

}  // namespace vigil::model

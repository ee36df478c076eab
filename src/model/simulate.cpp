#include "model/simulate.h"

#include <cmath>
#include <deque>
#include <random>

namespace vigil::model {

using core::Json;
using core::Result;

namespace {
constexpr double kKmPerDeg = 111.19492664455873;
constexpr double kPi = 3.14159265358979323846;

const char* kTypeOfClass[] = {"Battles", "Explosions/Remote violence", "Violence against civilians",
                              "Strategic developments"};
const char* kSubTypeOfClass[] = {"Armed clash", "Remote explosive/landmine/IED", "Attack", "Other"};

Result<double> Number(const Json& j, const char* name, double lo, double hi, double def, bool required = false) {
  if (!j.contains(name) || j[name].is_null()) {
    if (required) return core::InvalidArgument(std::string("simulation parameter '") + name + "' is required");
    return def;
  }
  if (!j[name].is_number())
    return core::InvalidArgument(std::string("simulation parameter '") + name + "' must be a number");
  const double v = j[name].get<double>();
  if (!(v >= lo && v <= hi))
    return core::InvalidArgument(std::string("simulation parameter '") + name + "' = " + std::to_string(v) +
                                 " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return v;
}

Result<std::array<double, kNumClasses>> PerClass(const Json& j, const char* name, std::array<double, kNumClasses> def) {
  if (!j.contains(name)) return def;
  const Json& v = j[name];
  if (v.is_number()) {
    def.fill(v.get<double>());
    return def;
  }
  if (!v.is_object())
    return core::InvalidArgument(std::string("'") + name + "' must be a number or an object by class");
  for (int c = 0; c < kNumClasses; ++c)
    if (v.contains(ClassName(c))) {
      if (!v[ClassName(c)].is_number() || v[ClassName(c)].get<double>() < 0)
        return core::InvalidArgument(std::string("'") + name + "." + ClassName(c) + "' must be a number >= 0");
      def[static_cast<size_t>(c)] = v[ClassName(c)].get<double>();
    }
  return def;
}

}  // namespace

Result<SimulationSpec> SpecFromJson(const Json& j) {
  if (!j.is_object()) return core::InvalidArgument("simulation parameters must be a JSON object");
  SimulationSpec s;
  VIGIL_ASSIGN_OR_RETURN(s.params.mu, Number(j, "mu", 1e-6, 1e6, 0, true));
  VIGIL_ASSIGN_OR_RETURN(s.params.kappa, PerClass(j, "kappa", {0.5, 0.5, 0.5, 0.5}));
  VIGIL_ASSIGN_OR_RETURN(s.params.sigma_km, Number(j, "sigma_km", 0.01, 5000, 15));
  if (j.contains("temporal_kernel")) {
    if (!j["temporal_kernel"].is_string()) return core::InvalidArgument("'temporal_kernel' must be a string");
    VIGIL_ASSIGN_OR_RETURN(s.params.kernel, ParseKernel(j["temporal_kernel"].get<std::string>()));
  }
  VIGIL_ASSIGN_OR_RETURN(s.params.c_days, Number(j, "c_days", 1e-3, 1e4, 1));
  VIGIL_ASSIGN_OR_RETURN(s.params.p, Number(j, "p", 1.001, 10, 1.5));
  if (j.contains("half_life_days")) {
    VIGIL_ASSIGN_OR_RETURN(double hl, Number(j, "half_life_days", 1e-3, 1e5, 7));
    s.params.omega = std::log(2.0) / hl;
  } else {
    VIGIL_ASSIGN_OR_RETURN(s.params.omega, Number(j, "omega", 1e-5, 1e3, 0.1));
  }
  VIGIL_ASSIGN_OR_RETURN(s.uniform_share, Number(j, "uniform_share", 0, 1, 0.2));
  VIGIL_ASSIGN_OR_RETURN(s.heap_share, Number(j, "heap_share", 0, 1, 0));
  VIGIL_ASSIGN_OR_RETURN(s.class_probs, PerClass(j, "class_probs", s.class_probs));
  if (j.contains("window")) {
    const Json& w = j["window"];
    if (!w.is_array() || w.size() != 4 || !w[0].is_number() || !w[1].is_number() || !w[2].is_number() ||
        !w[3].is_number())
      return core::InvalidArgument("'window' must be [W, S, E, N]");
    s.window = {w[0].get<double>(), w[1].get<double>(), w[2].get<double>(), w[3].get<double>()};
    if (!(s.window.west < s.window.east && s.window.south < s.window.north))
      return core::InvalidArgument("'window' must have W < E and S < N");
  }
  VIGIL_ASSIGN_OR_RETURN(double villages, Number(j, "villages", 0, 1e6, 0));
  s.villages = static_cast<int>(villages);
  VIGIL_ASSIGN_OR_RETURN(s.snap_km, Number(j, "snap_km", 0.01, 5000, 15));
  VIGIL_ASSIGN_OR_RETURN(s.repeat_share, Number(j, "repeat_share", 0, 1, 0));
  VIGIL_ASSIGN_OR_RETURN(s.coverage_start_day, Number(j, "coverage_start_day", 0, 1e6, 0));
  VIGIL_ASSIGN_OR_RETURN(s.week_share, Number(j, "week_share", 0, 1, 0));
  if (j.contains("surges")) {
    if (!j["surges"].is_array()) return core::InvalidArgument("'surges' must be an array");
    for (const auto& h : j["surges"]) {
      Surge g;
      VIGIL_ASSIGN_OR_RETURN(g.lat, Number(h, "lat", -90, 90, 0, true));
      VIGIL_ASSIGN_OR_RETURN(g.lon, Number(h, "lon", -180, 180, 0, true));
      VIGIL_ASSIGN_OR_RETURN(g.sd_km, Number(h, "sd_km", 0.01, 5000, 40));
      VIGIL_ASSIGN_OR_RETURN(g.rate, Number(h, "rate", 0, 1e6, 0.5));
      VIGIL_ASSIGN_OR_RETURN(g.start_day, Number(h, "start_day", 0, 1e6, 0, true));
      VIGIL_ASSIGN_OR_RETURN(g.end_day, Number(h, "end_day", 0, 1e6, 0, true));
      if (!(g.start_day < g.end_day)) return core::InvalidArgument("a surge's start_day must be before its end_day");
      s.surges.push_back(g);
    }
  }
  if (j.contains("hotspots")) {
    if (!j["hotspots"].is_array()) return core::InvalidArgument("'hotspots' must be an array");
    for (const auto& h : j["hotspots"]) {
      Hotspot hs;
      VIGIL_ASSIGN_OR_RETURN(hs.lat, Number(h, "lat", -90, 90, 0, true));
      VIGIL_ASSIGN_OR_RETURN(hs.lon, Number(h, "lon", -180, 180, 0, true));
      VIGIL_ASSIGN_OR_RETURN(hs.sd_km, Number(h, "sd_km", 0.01, 5000, 30));
      VIGIL_ASSIGN_OR_RETURN(hs.weight, Number(h, "weight", 0, 1e9, 1));
      s.hotspots.push_back(hs);
    }
  }
  return s;
}

Result<std::vector<SimEvent>> Simulate(const SimulationSpec& spec, double T, uint64_t seed) {
  const auto& p = spec.params;
  double n = 0, psum = 0;
  for (int c = 0; c < kNumClasses; ++c) psum += spec.class_probs[static_cast<size_t>(c)];
  if (!(psum > 0)) return core::InvalidArgument("class_probs must not all be zero");
  for (int c = 0; c < kNumClasses; ++c)
    n += spec.class_probs[static_cast<size_t>(c)] / psum * p.kappa[static_cast<size_t>(c)];
  if (n >= 1)
    return core::InvalidArgument("branching ratio " + std::to_string(n) +
                                 " >= 1: the process would grow without bound; lower kappa");
  if (!(T > 0)) return core::InvalidArgument("empty simulation period");
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> g(0, 1);
  std::discrete_distribution<int> cls(spec.class_probs.begin(), spec.class_probs.end());
  std::vector<double> weights;
  for (const auto& h : spec.hotspots) weights.push_back(h.weight);
  std::discrete_distribution<size_t> pick(weights.begin(), weights.end());

  auto place = [&](double* lat, double* lon) {
    if (spec.hotspots.empty() || u(rng) < spec.uniform_share) {
      *lat = spec.window.south + u(rng) * (spec.window.north - spec.window.south);
      *lon = spec.window.west + u(rng) * (spec.window.east - spec.window.west);
      return;
    }
    const Hotspot& h = spec.hotspots[pick(rng)];
    *lat = h.lat + g(rng) * h.sd_km / kKmPerDeg;
    *lon = h.lon + g(rng) * h.sd_km / (kKmPerDeg * std::cos(h.lat * kPi / 180));
  };

  auto around = [&](double clat, double clon, double sd_km, double* lat, double* lon) {
    *lat = clat + g(rng) * sd_km / kKmPerDeg;
    *lon = clon + g(rng) * sd_km / (kKmPerDeg * std::cos(clat * kPi / 180));
  };
  // Villages: fixed places drawn once from the background density (and the
  // surges' regions); events are snapped to the nearest within snap_km.
  std::vector<std::pair<double, double>> villages;
  for (int k = 0; k < spec.villages; ++k) {
    double la = 0, lo = 0;
    if (!spec.surges.empty() && k % 4 == 3) {
      const Surge& s = spec.surges[static_cast<size_t>(k / 4) % spec.surges.size()];
      around(s.lat, s.lon, s.sd_km, &la, &lo);
    } else {
      place(&la, &lo);
    }
    villages.emplace_back(la, lo);
  }
  auto snap = [&](SimEvent* e) {
    double best = spec.snap_km * spec.snap_km;
    const std::pair<double, double>* at = nullptr;
    for (const auto& v : villages) {
      const double d2 = DistanceKm2(e->lat, e->lon, v.first, v.second);
      if (d2 < best) best = d2, at = &v;
    }
    if (at) e->lat = at->first, e->lon = at->second;
  };

  std::vector<SimEvent> out;
  std::poisson_distribution<int64_t> n0(p.mu * T);
  const int64_t nb = n0(rng);
  for (int64_t k = 0; k < nb; ++k) {
    SimEvent e;
    e.t = u(rng) * T;
    place(&e.lat, &e.lon);
    e.cls = cls(rng);
    snap(&e);
    out.push_back(e);
  }
  for (const auto& s : spec.surges) {
    const double end = std::min(T, s.end_day);
    if (!(end > s.start_day)) continue;
    std::poisson_distribution<int64_t> ns(s.rate * (end - s.start_day));
    for (int64_t k = ns(rng); k > 0; --k) {
      SimEvent e;
      e.t = s.start_day + u(rng) * (end - s.start_day);
      around(s.lat, s.lon, s.sd_km, &e.lat, &e.lon);
      e.cls = cls(rng);
      snap(&e);
      out.push_back(e);
    }
  }
  for (size_t k = 0; k < out.size(); ++k) {
    const SimEvent parent = out[k];
    std::poisson_distribution<int> kids(p.kappa[static_cast<size_t>(parent.cls)]);
    const int m = kids(rng);
    for (int c = 0; c < m; ++c) {
      SimEvent e;
      e.t = parent.t + p.GInverse(u(rng));
      const double dx = g(rng) * p.sigma_km, dy = g(rng) * p.sigma_km;
      const bool again = spec.repeat_share > 0 && u(rng) < spec.repeat_share;
      e.lat = std::clamp(parent.lat + dy / kKmPerDeg, -89.9, 89.9);
      e.lon = parent.lon + dx / (kKmPerDeg * std::cos(parent.lat * kPi / 180));
      if (again) {
        e.lat = parent.lat;
        e.lon = parent.lon;
      } else {
        snap(&e);
      }
      e.cls = cls(rng);
      e.parent = static_cast<int64_t>(k);
      if (e.t < T) out.push_back(e);
    }
  }
  for (auto& e : out) {
    if (spec.heap_share > 0 && u(rng) < spec.heap_share) {
      e.lat = std::floor(e.lat) + 0.5;
      e.lon = std::floor(e.lon) + 0.5;
      e.heaped = true;
    }
    e.week = spec.week_share > 0 && u(rng) < spec.week_share;
  }
  // In time order, without the events before coverage starts; parents are
  // renumbered (-1 when the parent went unreported).
  std::vector<size_t> order(out.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return out[a].t < out[b].t; });
  std::vector<int64_t> index_of(out.size(), -1);
  std::vector<SimEvent> sorted;
  sorted.reserve(out.size());
  for (size_t k : order) {
    if (out[k].t < spec.coverage_start_day) continue;
    index_of[k] = static_cast<int64_t>(sorted.size());
    sorted.push_back(out[k]);
  }
  for (auto& e : sorted) e.parent = e.parent < 0 ? -1 : index_of[static_cast<size_t>(e.parent)];
  return sorted;
}

std::vector<core::Event> ToEvents(const std::vector<SimEvent>& sim, core::Date start, uint64_t seed) {
  std::vector<core::Event> out;
  out.reserve(sim.size());
  for (size_t i = 0; i < sim.size(); ++i) {
    const auto& s = sim[i];
    core::Event e;
    e.source = core::kSimulatedSource;
    e.source_id = "sim" + std::to_string(seed) + "-" + std::to_string(i + 1);
    e.date_start = e.date_end = start + static_cast<int32_t>(std::floor(s.t));
    if (s.week) {
      e.date_precision = core::DatePrecision::kWeek;
      e.date_start = start + static_cast<int32_t>(std::floor(s.t / 7) * 7);
      e.date_end = e.date_start + 6;
    }
    e.latitude = s.lat;
    e.longitude = s.lon;
    e.geo_precision = s.heaped ? 3 : 1;
    e.event_type = kTypeOfClass[s.cls];
    e.sub_event_type = kSubTypeOfClass[s.cls];
    e.notes = s.parent < 0 ? "background" : "offspring";
    e.sources.push_back({e.source, e.source_id, 1});
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace vigil::model

#include "model/hawkes.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace vigil::model {

using core::Result;

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kKmPerDeg = 111.19492664455873;
// Fraction of g's mass beyond the time cut-off, and the spatial cut-off in
// sigmas, for the neighbour search.
constexpr double kTimeTail = 1e-3;
constexpr double kSpaceSigmas = 5.0;

// Precise events on a spatial hash whose buckets are at least one spatial
// cut-off wide; each bucket lists its events in time order.
class NeighbourIndex {
 public:
  NeighbourIndex(const std::vector<const ModelEvent*>& ev, double cut_km) : ev_(ev) {
    double lat_max = 0;
    for (const auto* e : ev) lat_max = std::max(lat_max, std::abs(e->lat));
    const double cosmin = std::max(0.05, std::cos(std::min(89.0, lat_max) * kPi / 180));
    lat_deg_ = cut_km / kKmPerDeg;
    lon_deg_ = cut_km / (kKmPerDeg * cosmin);
    for (size_t i = 0; i < ev.size(); ++i)
      buckets_[Key(Row(ev[i]->lat), Col(ev[i]->lon))].push_back(static_cast<int32_t>(i));
  }
  // Calls fn(j) for every j with t_i - tcut <= t_j < t_i in the 3x3 buckets
  // around event i (a superset of those within the spatial cut-off).
  template <typename Fn>
  void ForEachCandidate(size_t i, double tcut, Fn&& fn) const {
    const ModelEvent& e = *ev_[i];
    const int64_t r = Row(e.lat), c = Col(e.lon);
    for (int64_t dr = -1; dr <= 1; ++dr)
      for (int64_t dc = -1; dc <= 1; ++dc) {
        auto it = buckets_.find(Key(r + dr, c + dc));
        if (it == buckets_.end()) continue;
        const auto& v = it->second;
        auto lo = std::lower_bound(v.begin(), v.end(), e.t - tcut,
                                   [&](int32_t j, double t) { return ev_[static_cast<size_t>(j)]->t < t; });
        for (; lo != v.end(); ++lo) {
          const size_t j = static_cast<size_t>(*lo);
          if (!(ev_[j]->t < e.t)) break;
          fn(j);
        }
      }
  }

 private:
  static int64_t Key(int64_t r, int64_t c) { return r * 1000003 + c; }
  int64_t Row(double lat) const { return static_cast<int64_t>(std::floor(lat / lat_deg_)); }
  int64_t Col(double lon) const { return static_cast<int64_t>(std::floor(lon / lon_deg_)); }
  const std::vector<const ModelEvent*>& ev_;
  double lat_deg_ = 1, lon_deg_ = 1;
  std::unordered_map<int64_t, std::vector<int32_t>> buckets_;
};

// Sufficient statistics of one E-step.
struct EStep {
  double loglik_sum = 0;  // sum of log lambda_i
  double s_bg = 0, s_p = 0, s_dt = 0, s_r2 = 0;
  double s_repeat = 0;  // of s_p, the repeat-location component's share
  std::array<double, kNumClasses> s_trig{};
  double s_recent = 0;                         // of s_bg, the moving background's share
  std::vector<std::pair<float, float>> pairs;  // (p_ij, t_i - t_j), power law only
};

double Normal2(double r2, double sd) { return std::exp(-r2 / (2 * sd * sd)) / (2 * kPi * sd * sd); }

// The spatial kernel's two parts at r²: (spread, repeat), weighted.
std::pair<double, double> SpaceParts(const HawkesParams& p, double r2) {
  return {(1 - p.rho) * Normal2(r2, p.sigma_km), p.rho > 0 ? p.rho * Normal2(r2, p.repeat_km) : 0};
}

double Trigger(const HawkesParams& p, int cls, double dt, double r2) {
  const auto [spread, repeat] = SpaceParts(p, r2);
  return p.kappa[static_cast<size_t>(cls)] * p.g(dt) * (spread + repeat);
}

// The recency-weighted density d(x_i, t_i) at each precise event, over the
// precise events before it (hawkes.h); the long-run density bg[i] where
// fewer than one event's weight precedes it.
std::vector<double> RecentDensity(const HawkesParams& p, const std::vector<const ModelEvent*>& ev,
                                  const std::vector<double>& bg) {
  std::vector<double> out(bg);
  if (!(p.recent_weight > 0)) return out;
  // Total weight before each event: W_i = e^{-omega (t_i - t_{i-1})} (W_{i-1} + 1).
  std::vector<double> total(ev.size(), 0);
  for (size_t i = 1; i < ev.size(); ++i)
    total[i] = std::exp(-p.omega_recent * (ev[i]->t - ev[i - 1]->t)) * (total[i - 1] + 1);
  const double tcut = p.RecentTimeCutDays(), cut2 = p.RecentSpaceCutKm() * p.RecentSpaceCutKm();
  const double inv2h2 = 1 / (2 * p.recent_km * p.recent_km), norm = 1 / (2 * kPi * p.recent_km * p.recent_km);
  NeighbourIndex idx(ev, p.RecentSpaceCutKm());
#pragma omp parallel for schedule(dynamic, 256)
  for (size_t i = 0; i < ev.size(); ++i) {
    if (total[i] < 1) continue;
    double sum = 0;
    idx.ForEachCandidate(i, tcut, [&](size_t j) {
      const double r2 = DistanceKm2(ev[i]->lat, ev[i]->lon, ev[j]->lat, ev[j]->lon);
      if (r2 <= cut2) sum += std::exp(-p.omega_recent * (ev[i]->t - ev[j]->t) - r2 * inv2h2);
    });
    out[i] = norm * sum / total[i];
  }
  return out;
}

// The background part of lambda at event i: long-run and moving.
inline double BackgroundRate(const HawkesParams& p, double long_run, double recent) {
  return p.mu * ((1 - p.recent_weight) * long_run + p.recent_weight * recent);
}

EStep RunEStep(const HawkesParams& p, const std::vector<const ModelEvent*>& ev, const std::vector<double>& bg,
               const std::vector<double>& recent, bool keep_pairs = false) {
  const double tcut = p.TimeCutDays();
  const double cut2 = p.SpaceCutKm() * p.SpaceCutKm();
  NeighbourIndex idx(ev, p.SpaceCutKm());
  // Partial sums over fixed blocks of events, added in block order: the
  // result does not depend on the number of threads or their timing.
  const int64_t n = static_cast<int64_t>(ev.size());
  const int64_t nblocks = std::max<int64_t>(1, std::min<int64_t>(256, n / 64));
  std::vector<EStep> blocks(static_cast<size_t>(nblocks));
#pragma omp parallel
  {
    std::vector<std::array<double, 5>> contrib;  // value, dt, r2, class, repeat part of value
#pragma omp for schedule(dynamic, 1)
    for (int64_t b = 0; b < nblocks; ++b) {
      EStep& local = blocks[static_cast<size_t>(b)];
      for (int64_t ii = b * n / nblocks; ii < (b + 1) * n / nblocks; ++ii) {
        const size_t i = static_cast<size_t>(ii);
        contrib.clear();
        const double moving = p.mu * p.recent_weight * recent[i];
        double lam = BackgroundRate(p, bg[i], recent[i]);
        idx.ForEachCandidate(i, tcut, [&](size_t j) {
          const double r2 = DistanceKm2(ev[i]->lat, ev[i]->lon, ev[j]->lat, ev[j]->lon);
          if (r2 > cut2) return;
          const double dt = ev[i]->t - ev[j]->t;
          const auto [spread, repeat] = SpaceParts(p, r2);
          const double k = p.kappa[static_cast<size_t>(ev[j]->cls)] * p.g(dt);
          const double v = k * (spread + repeat);
          lam += v;
          contrib.push_back({v, dt, r2, static_cast<double>(ev[j]->cls), k * repeat});
        });
        lam = std::max(lam, 1e-300);
        local.loglik_sum += std::log(lam);
        local.s_bg += BackgroundRate(p, bg[i], recent[i]) / lam;
        local.s_recent += moving / lam;
        for (const auto& c : contrib) {
          const double q = c[0] / lam;
          const double q_repeat = c[4] / lam;
          local.s_p += q;
          local.s_dt += q * c[1];
          local.s_repeat += q_repeat;
          local.s_r2 += (q - q_repeat) * c[2];
          local.s_trig[static_cast<size_t>(c[3])] += q;
          if (keep_pairs && q > 1e-7) local.pairs.emplace_back(static_cast<float>(q), static_cast<float>(c[1]));
        }
      }
    }
  }
  EStep total;
  for (const auto& b : blocks) {
    total.loglik_sum += b.loglik_sum;
    total.s_bg += b.s_bg;
    total.s_p += b.s_p;
    total.s_dt += b.s_dt;
    total.s_r2 += b.s_r2;
    total.s_repeat += b.s_repeat;
    total.s_recent += b.s_recent;
    for (size_t c = 0; c < kNumClasses; ++c) total.s_trig[c] += b.s_trig[c];
    total.pairs.insert(total.pairs.end(), b.pairs.begin(), b.pairs.end());
  }
  return total;
}

// sum_j kappa[c_j] G(T - t_j): expected offspring inside [0, T].
double Compensator(const HawkesParams& p, const std::vector<const ModelEvent*>& ev, double T) {
  double s = 0;
  for (const auto* e : ev) s += p.kappa[static_cast<size_t>(e->cls)] * p.G(T - e->t);
  return s;
}

std::vector<const ModelEvent*> Precise(const std::vector<ModelEvent>& events) {
  std::vector<const ModelEvent*> out;
  for (const auto& e : events)
    if (e.precise) out.push_back(&e);
  return out;
}

// Background density at each precise event, leaving the event itself out
// when it is one of the density's points (every `stride`-th event).
std::vector<double> BackgroundAt(const Background& b, const std::vector<ModelEvent>& events) {
  std::vector<size_t> precise;
  for (size_t k = 0; k < events.size(); ++k)
    if (events[k].precise) precise.push_back(k);
  std::vector<double> bg(precise.size());
  const size_t np = b.points().size();
  const size_t stride = np == 0 ? 1 : (events.size() + Background::kMaxPoints - 1) / Background::kMaxPoints;
  const bool same = np > 0 && (stride <= 1 ? np == events.size() : (events.size() + stride - 1) / stride == np);
#pragma omp parallel for schedule(dynamic, 512)
  for (size_t q = 0; q < precise.size(); ++q) {
    const size_t k = precise[q];
    int64_t self = -1;
    if (same) {
      if (stride <= 1)
        self = static_cast<int64_t>(k);
      else if (k % stride == 0)
        self = static_cast<int64_t>(k / stride);
    }
    bg[q] = b.Density(events[k].lat, events[k].lon, self);
  }
  return bg;
}

}  // namespace

const char* KernelName(TemporalKernel k) { return k == TemporalKernel::kPowerLaw ? "power_law" : "exponential"; }

core::Result<TemporalKernel> ParseKernel(const std::string& s) {
  if (s == "exponential") return TemporalKernel::kExponential;
  if (s == "power-law" || s == "power_law") return TemporalKernel::kPowerLaw;
  return core::InvalidArgument("unknown kernel '" + s + "' (expected exponential or power-law)");
}

namespace {
double PowerZ(const HawkesParams& h) { return -std::expm1((1 - h.p) * std::log1p(kPowerLawMaxLagDays / h.c_days)); }
}  // namespace

double HawkesParams::g(double s) const {
  if (kernel == TemporalKernel::kExponential) return omega * std::exp(-omega * s);
  if (s < 0 || s > kPowerLawMaxLagDays) return 0;
  return (p - 1) / c_days * std::exp(-p * std::log1p(s / c_days)) / PowerZ(*this);
}

double HawkesParams::G(double s) const {
  if (s <= 0) return 0;
  if (kernel == TemporalKernel::kExponential) return -std::expm1(-omega * s);
  if (s >= kPowerLawMaxLagDays) return 1;
  return -std::expm1((1 - p) * std::log1p(s / c_days)) / PowerZ(*this);
}

double HawkesParams::GInverse(double u) const {
  u = std::clamp(u, 0.0, 1 - 1e-12);
  if (kernel == TemporalKernel::kExponential) return -std::log1p(-u) / omega;
  // 1 - (1 + s/c)^(1-p) = u Z  =>  s = c ((1 - u Z)^(1/(1-p)) - 1)
  return c_days * std::expm1(std::log1p(-u * PowerZ(*this)) / (1 - p));
}

double HawkesParams::HalfLifeDays() const { return GInverse(0.5); }
double HawkesParams::TimeCutDays() const { return GInverse(1 - kTimeTail); }

double SigmaFloorKm(const std::vector<ModelEvent>& events) {
  double s2 = 0;
  int64_t n = 0;
  for (const auto& e : events)
    if (e.precise) s2 += static_cast<double>(e.loc_km) * e.loc_km, ++n;
  return n > 0 ? std::sqrt(2 * s2 / static_cast<double>(n)) : std::sqrt(2.0) * LocationScaleKm(1);
}

double LogLikelihood(const HawkesParams& p, const Background& b, const std::vector<ModelEvent>& events, double T) {
  const auto ev = Precise(events);
  const auto bg = BackgroundAt(b, events);
  return RunEStep(p, ev, bg, RecentDensity(p, ev, bg)).loglik_sum - p.mu * T - Compensator(p, ev, T);
}

double LogLikelihoodBruteForce(const HawkesParams& p, const Background& b, const std::vector<ModelEvent>& events,
                               double T) {
  const auto ev = Precise(events);
  const auto bg = BackgroundAt(b, events);
  double ll = 0;
  for (size_t i = 0; i < ev.size(); ++i) {
    double lam = 0, num = 0, den = 0;
    for (size_t j = 0; j < ev.size(); ++j)
      if (ev[j]->t < ev[i]->t) {
        const double dt = ev[i]->t - ev[j]->t, r2 = DistanceKm2(ev[i]->lat, ev[i]->lon, ev[j]->lat, ev[j]->lon);
        lam += Trigger(p, ev[j]->cls, dt, r2);
        num += std::exp(-p.omega_recent * dt) * Normal2(r2, p.recent_km);
        den += std::exp(-p.omega_recent * dt);
      }
    lam += BackgroundRate(p, bg[i], p.recent_weight > 0 && den >= 1 ? num / den : bg[i]);
    ll += std::log(lam);
  }
  return ll - p.mu * T - Compensator(p, ev, T);
}

namespace {

// The moving background's shape (its half-life and spread), fixed during EM.
struct RecentShape {
  bool on = false;
  double omega = 0, km = 0;
};

constexpr double kOmegaMin = 1e-3, kOmegaMax = 20;  // the fast kernel's search range, 1/days
constexpr double kPowerPMin = 1.001, kPowerPMax = 10, kPowerCMin = 1e-3, kPowerCMax = 1e4;

// Parameters that ended on a bound of their search range.
std::vector<std::string> OnBounds(const HawkesParams& p, double sigma_floor, double omega_lo) {
  std::vector<std::string> out;
  if (p.sigma_km <= sigma_floor * 1.001) out.emplace_back("sigma_km");
  if (p.kernel == TemporalKernel::kExponential) {
    if (p.omega <= omega_lo * 1.01 || p.omega >= kOmegaMax * 0.99) out.emplace_back("half_life_days");
  } else {
    if (p.c_days <= kPowerCMin * 1.01 || p.c_days >= kPowerCMax * 0.99) out.emplace_back("c_days");
    if (p.p <= kPowerPMin + 1e-4 || p.p >= kPowerPMax - 1e-3) out.emplace_back("p");
  }
  return out;
}

// One EM fit with the background density and the moving background's shape
// given.
FitResult FitEM(const std::vector<ModelEvent>& events, double T, const FitConfig& config, Background background,
                RecentShape shape) {
  FitResult r;
  r.T = T;
  const auto ev = Precise(events);
  r.n_events = static_cast<int64_t>(events.size());
  r.n_precise = static_cast<int64_t>(ev.size());
  r.n_imprecise = r.n_events - r.n_precise;
  r.mu_imprecise = static_cast<double>(r.n_imprecise) / T;
  r.background = std::move(background);
  r.sigma_floor_km = config.sigma_floor_km > 0 ? config.sigma_floor_km : SigmaFloorKm(events);
  const auto bg = BackgroundAt(r.background, events);

  HawkesParams p;
  p.mu = 0.5 * static_cast<double>(ev.size()) / T;
  p.kappa.fill(0.3);
  p.kernel = config.kernel;
  p.omega = 0.1;
  p.c_days = 2;
  p.p = 1.8;
  p.sigma_km = std::max(20.0, 2 * r.sigma_floor_km);
  p.repeat_km = r.sigma_floor_km;
  p.rho = config.repeat_location ? 0.3 : 0;
  if (shape.on) {
    p.recent_weight = 0.5;
    p.omega_recent = shape.omega;
    p.recent_km = shape.km;
  }
  const auto recent = RecentDensity(p, ev, bg);  // depends on the shape only
  // The fast delay stays faster than the moving background.
  const double omega_lo = shape.on ? std::max(kOmegaMin, 2 * shape.omega) : kOmegaMin;
  p.omega = std::max(p.omega, omega_lo);
  const bool power = p.kernel == TemporalKernel::kPowerLaw;
  std::array<int64_t, kNumClasses> class_n{};
  for (const auto* e : ev) ++class_n[static_cast<size_t>(e->cls)];

  double prev = -std::numeric_limits<double>::infinity();
  for (int it = 0; it < config.max_iterations; ++it) {
    const EStep s = RunEStep(p, ev, bg, recent, power);
    const double ll = s.loglik_sum - p.mu * T - Compensator(p, ev, T);
    r.loglik_trace.push_back(ll);
    r.loglik = ll;
    r.iterations = it + 1;
    if (config.progress) config.progress(it + 1, ll);
    if (std::abs(ll - prev) < config.tolerance * std::abs(ll)) {
      r.converged = true;
      break;
    }
    prev = ll;
    // M-step (ECM). mu and sigma: closed form.
    HawkesParams q = p;
    q.mu = s.s_bg / T;
    if (shape.on && s.s_bg > 0) q.recent_weight = std::clamp(s.s_recent / s.s_bg, 0.0, 1.0);
    if (s.s_p > 1e-12) {
      q.rho = s.s_repeat / s.s_p;
      const double spread = s.s_p - s.s_repeat;
      if (spread > 1e-12) q.sigma_km = std::clamp(std::sqrt(s.s_r2 / (2 * spread)), r.sigma_floor_km, 2000.0);
    }
    if (!power) {
      // omega: maximise S_p log w - w S_dt - sum_j kappa_j (1 - exp(-w (T - t_j))).
      auto Q = [&](double w) {
        double comp = 0;
        for (const auto* e : ev) comp += p.kappa[static_cast<size_t>(e->cls)] * -std::expm1(-w * (T - e->t));
        return s.s_p * std::log(w) - w * s.s_dt - comp;
      };
      if (s.s_p > 1e-12) {
        double best_u = std::log(p.omega), best_q = Q(p.omega);
        for (int k = 0; k <= 40; ++k) {
          const double u = std::log(omega_lo) + (std::log(kOmegaMax) - std::log(omega_lo)) * k / 40.0;
          const double v = Q(std::exp(u));
          if (v > best_q) {
            best_q = v;
            best_u = u;
          }
        }
        double lo = std::max(std::log(omega_lo), best_u - 0.25), hi = std::min(std::log(kOmegaMax), best_u + 0.25);
        const double gr = (std::sqrt(5.0) - 1) / 2;
        for (int k = 0; k < 40; ++k) {
          const double a = hi - gr * (hi - lo), b = lo + gr * (hi - lo);
          if (Q(std::exp(a)) > Q(std::exp(b)))
            hi = b;
          else
            lo = a;
        }
        const double cand = std::exp((lo + hi) / 2);
        q.omega = Q(cand) >= best_q ? cand : std::exp(best_u);
      }
    } else if (s.s_p > 1e-12) {
      // (c, p): maximise sum p_ij log g(dt_ij) - sum_j kappa_j G(T - t_j) by
      // alternating golden-section searches on log c and log(p - 1), each
      // accepted only if it does not lower the objective. With
      // log g = log(p-1) - log c - p log(1 + dt/c) - log Z, the pair sum needs
      // one pass per value of c: A(c) = sum p_ij log(1 + dt_ij / c).
      std::vector<const ModelEvent*> recent;  // G(T - t_j) < 1 only for these
      for (const auto* e : ev)
        if (T - e->t < kPowerLawMaxLagDays) recent.push_back(e);
      double full_kappa = 0;
      for (const auto* e : ev)
        if (T - e->t >= kPowerLawMaxLagDays) full_kappa += p.kappa[static_cast<size_t>(e->cls)];
      auto A = [&](double c) {
        double a = 0;
        for (const auto& [w, dt] : s.pairs) a += w * std::log1p(dt / c);
        return a;
      };
      auto Q = [&](double c, double pw, double a) {
        HawkesParams h = p;
        h.c_days = c;
        h.p = pw;
        const double logz = std::log(-std::expm1((1 - pw) * std::log1p(kPowerLawMaxLagDays / c)));
        double v = s.s_p * (std::log(pw - 1) - std::log(c) - logz) - pw * a - full_kappa;
        for (const auto* e : recent) v -= p.kappa[static_cast<size_t>(e->cls)] * h.G(T - e->t);
        return v;
      };
      double c = p.c_days, pw = p.p, a = A(c), best = Q(c, pw, a);
      const double gr = (std::sqrt(5.0) - 1) / 2;
      for (int round = 0; round < 2; ++round) {
        for (int dim = 0; dim < 2; ++dim) {
          auto f = [&](double u) { return dim == 0 ? Q(std::exp(u), pw, A(std::exp(u))) : Q(c, 1 + std::exp(u), a); };
          const double u0 = dim == 0 ? std::log(c) : std::log(pw - 1);
          double lo = u0 - 1.5, hi = u0 + 1.5;
          for (int k = 0; k < (dim == 0 ? 18 : 30); ++k) {
            const double x1 = hi - gr * (hi - lo), x2 = lo + gr * (hi - lo);
            if (f(x1) > f(x2))
              hi = x2;
            else
              lo = x1;
          }
          const double u = (lo + hi) / 2;
          const double v = f(u);
          if (v > best) {
            best = v;
            if (dim == 0) {
              c = std::clamp(std::exp(u), kPowerCMin, kPowerCMax);
              a = A(c);
            } else {
              pw = std::clamp(1 + std::exp(u), kPowerPMin, kPowerPMax);
            }
          }
        }
      }
      q.c_days = c;
      q.p = pw;
    }
    // kappa: closed form given the new delay kernel.
    std::array<double, kNumClasses> denom{};
    for (const auto* e : ev) denom[static_cast<size_t>(e->cls)] += q.G(T - e->t);
    for (size_t c = 0; c < kNumClasses; ++c) q.kappa[c] = denom[c] > 0 ? s.s_trig[c] / denom[c] : 0;
    p = q;
  }
  r.params = p;

  // Diagnostics: background probabilities and realised offspring.
  {
    const double tcut = p.TimeCutDays(), cut2 = p.SpaceCutKm() * p.SpaceCutKm();
    NeighbourIndex idx(ev, p.SpaceCutKm());
    r.p_background.assign(ev.size(), 1);
    r.offspring.assign(ev.size(), 0);
    std::vector<std::pair<size_t, double>> contrib;
    std::array<double, kNumClasses> s_trig{};
    double s_bg = 0;
    for (size_t i = 0; i < ev.size(); ++i) {
      contrib.clear();
      const double moving = p.mu * p.recent_weight * recent[i];
      double lam = BackgroundRate(p, bg[i], recent[i]);
      idx.ForEachCandidate(i, tcut, [&](size_t j) {
        const double r2 = DistanceKm2(ev[i]->lat, ev[i]->lon, ev[j]->lat, ev[j]->lon);
        if (r2 > cut2) return;
        const double v = Trigger(p, ev[j]->cls, ev[i]->t - ev[j]->t, r2);
        lam += v;
        contrib.emplace_back(j, v);
      });
      r.p_background[i] = BackgroundRate(p, bg[i], recent[i]) / lam;
      r.recent_share += moving / lam;
      s_bg += r.p_background[i];
      for (const auto& [j, v] : contrib) {
        r.offspring[j] += v / lam;
        s_trig[static_cast<size_t>(ev[j]->cls)] += v / lam;
      }
    }
    std::array<double, kNumClasses> denom{};
    for (const auto* e : ev) denom[static_cast<size_t>(e->cls)] += p.G(T - e->t);
    for (size_t c = 0; c < kNumClasses; ++c) {
      r.class_share[c] = static_cast<double>(class_n[c]) / static_cast<double>(ev.size());
      r.branching_ratio += r.class_share[c] * p.kappa[c];
      // Poisson-count approximation: var(kappa_c) ~ S_c / denom_c².
      r.se_kappa[c] = denom[c] > 0 ? std::sqrt(s_trig[c]) / denom[c] : 0;
    }
    r.se_mu = std::sqrt(s_bg) / T;
    // The background's level over the window's last kNowDays.
    const double now_days = std::min(kNowDays, T);
    double bg_now = 0, imprecise_now = 0;
    for (size_t i = 0; i < ev.size(); ++i)
      if (ev[i]->t >= T - now_days) bg_now += r.p_background[i];
    for (const auto& e : events)
      if (!e.precise && e.t >= T - now_days) imprecise_now += 1;
    r.params.mu_now = bg_now / now_days;
    r.params.mu_imprecise_now = imprecise_now / now_days;
    r.recent_share /= static_cast<double>(ev.size());
  }
  r.at_bound = OnBounds(p, r.sigma_floor_km, omega_lo);
  if (!r.at_bound.empty()) r.converged = false;
  r.moving_background = shape.on ? "on" : "off";
  return r;
}

}  // namespace

Result<FitResult> FitHawkes(const std::vector<ModelEvent>& events, double T, const FitConfig& config) {
  if (config.threads > 0) omp_set_num_threads(config.threads);
  const auto ev = Precise(events);
  if (ev.size() < 10)
    return core::InvalidArgument("too few events to fit (" + std::to_string(ev.size()) +
                                 " with a day date and a town-level place; at least 10 are needed): widen --window");
  if (!(T > 0)) return core::InvalidArgument("empty fitting window");
  Background background = Background::Fit(events, config.bandwidth_km);
  const double h = background.bandwidth_km();
  RecentShape chosen;
  std::string why_off;
  if (config.moving_background && ev.size() > FitConfig::kMaxMovingBackgroundEvents) {
    why_off = "off: catalogue too large";
  } else if (config.moving_background) {
    // Held-out choice: fit on the first 75% of the window, score the rest.
    const double T0 = 0.75 * T;
    std::vector<ModelEvent> train;
    for (const auto& e : events)
      if (e.t < T0) train.push_back(e);
    int64_t n_train = 0, n_test = 0;
    for (const auto& e : events)
      if (e.precise) ++(e.t < T0 ? n_train : n_test);
    if (n_train >= 10 && n_test >= 10) {
      FitConfig sub = config;
      sub.progress = nullptr;  // the final fit reports; these choose its background
      sub.bandwidth_km = h;
      sub.max_iterations = 100;
      sub.tolerance = 1e-6;
      const Background btrain = Background::Fit(train, h);
      double best = -std::numeric_limits<double>::infinity();
      for (const double half_life : {0.0, 60.0, 180.0, 540.0}) {
        RecentShape shape;
        if (half_life > 0) shape = {true, std::log(2.0) / half_life, std::max(h, 30.0)};
        const FitResult f = FitEM(train, T0, sub, btrain, shape);
        const double score = HeldOutLogLikelihood(f.params, btrain, events, T0, T, nullptr);
        if (score > best) best = score, chosen = shape;
      }
    }
  }
  FitResult r = FitEM(events, T, config, std::move(background), chosen);
  if (!why_off.empty()) r.moving_background = why_off;
  return r;
}

double HeldOutLogLikelihood(const HawkesParams& p, const Background& b, const std::vector<ModelEvent>& events,
                            double T0, double T1, int64_t* n_scored) {
  const auto ev = Precise(events);
  const double tcut = p.TimeCutDays(), cut2 = p.SpaceCutKm() * p.SpaceCutKm();
  NeighbourIndex idx(ev, p.SpaceCutKm());
  std::vector<double> bg(ev.size());
  for (size_t i = 0; i < ev.size(); ++i) bg[i] = b.Density(ev[i]->lat, ev[i]->lon);
  const auto recent = RecentDensity(p, ev, bg);
  double ll = 0;
  int64_t n = 0;
  for (size_t i = 0; i < ev.size(); ++i) {
    if (ev[i]->t <= T0 || ev[i]->t > T1) continue;
    double lam = BackgroundRate(p, bg[i], recent[i]);
    idx.ForEachCandidate(i, tcut, [&](size_t j) {
      const double r2 = DistanceKm2(ev[i]->lat, ev[i]->lon, ev[j]->lat, ev[j]->lon);
      if (r2 <= cut2) lam += Trigger(p, ev[j]->cls, ev[i]->t - ev[j]->t, r2);
    });
    ll += std::log(std::max(lam, 1e-300));
    ++n;
  }
  // Compensator over (T0, T1]: background plus offspring of every event
  // before T1 that fall inside the interval.
  double comp = p.mu * (T1 - T0);
  for (const auto* e : ev) {
    if (e->t >= T1) continue;
    const double a = std::max(0.0, T0 - e->t), z = T1 - e->t;
    comp += p.kappa[static_cast<size_t>(e->cls)] * (p.G(z) - p.G(a));
  }
  if (n_scored) *n_scored = n;
  return ll - comp;
}

}  // namespace vigil::model

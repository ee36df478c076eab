#include "model/forward.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace vigil::model {

namespace {

constexpr double kKmPerDeg = 111.19492664455873;
constexpr double kPi = 3.14159265358979323846;

uint64_t SplitMix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The key of a stream: (seed, run) then (kind, index).
uint64_t Key(uint64_t a, uint64_t b) { return SplitMix(a ^ SplitMix(b + 0x632be59bd9b4e019ULL)); }

// Root kinds: each draws from its own family of streams.
enum Stream : uint64_t { kBackground = 1, kBackgroundRoot, kExtra, kExtraRoot, kPastRoot, kInjectedRoot };

}  // namespace

// A small generator per root (SplitMix64): cheap to seed, so every root can
// have its own.
class ForwardSimulator::Rng {
 public:
  using result_type = uint64_t;
  explicit Rng(uint64_t seed) : s_(seed) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() {
    s_ += 0x9e3779b97f4a7c15ULL;
    return SplitMix(s_);
  }
  double U() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }
  int Poisson(double mean) { return mean > 0 ? std::poisson_distribution<int>(mean)(*this) : 0; }
  // Two independent N(0, 1) draws (Box-Muller).
  void Normal2(double* a, double* b) {
    const double r = std::sqrt(-2 * std::log(1 - U())), th = 2 * kPi * U();
    *a = r * std::cos(th);
    *b = r * std::sin(th);
  }
  void Displace(double lat, double lon, double sd_km, double* olat, double* olon) {
    double a, b;
    Normal2(&a, &b);
    *olat = lat + a * sd_km / kKmPerDeg;
    *olon = lon + b * sd_km / (kKmPerDeg * std::max(0.05, std::cos(lat * kPi / 180)));
  }

 private:
  uint64_t s_;
};

ForwardSimulator::ForwardSimulator(const FitResult& fit, const std::vector<ModelEvent>& events, double T, double H,
                                   Changes changes, FatalitySamples fatalities)
    : fit_(&fit), events_(&events), T_(T), H_(H), changes_(std::move(changes)), fatalities_(std::move(fatalities)) {
  const HawkesParams& p = fit.params;
  for (size_t c = 0; c < kNumClasses; ++c) kappa_[c] = p.kappa[c] * std::max(0.0, changes_.productivity[c]);
  // Class shares: the fit's, else the precise events' (snapshots do not carry them).
  std::array<double, kNumClasses> share = fit.class_share;
  if (share[0] + share[1] + share[2] + share[3] <= 0) {
    for (const auto& e : events)
      if (e.precise) share[static_cast<size_t>(e.cls)] += 1;
    if (share[0] + share[1] + share[2] + share[3] <= 0) share.fill(1);
  }
  double acc = 0;
  for (size_t c = 0; c < kNumClasses; ++c) class_cdf_[c] = acc += share[c];
  for (auto& c : class_cdf_) c /= acc;
  const double mu = p.mu_now > 0 ? p.mu_now : p.mu;
  const double mu_imprecise = p.mu_now > 0 ? p.mu_imprecise_now : fit.mu_imprecise;
  rate_ = mu + mu_imprecise;
  // The moving background's points, weighted by recency at T.
  if (p.recent_weight > 0)
    for (const auto& e : events)
      if (e.precise && e.t < T) {
        recent_pts_.emplace_back(e.lat, e.lon);
        recent_cdf_.push_back((recent_cdf_.empty() ? 0 : recent_cdf_.back()) + std::exp(-p.omega_recent * (T - e.t)));
      }
  if (!recent_cdf_.empty() && recent_cdf_.back() >= 1 && rate_ > 0)
    mu_recent_share_ = mu * p.recent_weight / rate_;
  else
    recent_cdf_.clear();
  // Past events whose offspring may still land in the window.
  for (size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    if (!e.precise || e.t >= T) continue;
    const double a = p.G(T - e.t), b = p.G(T + H - e.t);
    if (b - a > 1e-9) past_.push_back({i, a, b});
  }
  for (const auto& bc : changes_.background)
    if (bc.factor > 1) max_scale_ *= bc.factor;
}

int ForwardSimulator::DrawClass(Rng& rng) const {
  const double r = rng.U();
  for (int c = 0; c < kNumClasses - 1; ++c)
    if (r < class_cdf_[static_cast<size_t>(c)]) return c;
  return kNumClasses - 1;
}

void ForwardSimulator::PlaceBackground(Rng& rng, double* lat, double* lon) const {
  const Background& bg = fit_->background;
  const auto& pts = bg.points();
  const Window& w = bg.window();
  if (!recent_cdf_.empty() && rng.U() < mu_recent_share_) {
    const auto at = static_cast<size_t>(std::lower_bound(recent_cdf_.begin(), recent_cdf_.end(),
                                                         rng.U() * recent_cdf_.back()) -
                                        recent_cdf_.begin());
    const auto& c = recent_pts_[std::min(at, recent_pts_.size() - 1)];
    rng.Displace(c.first, c.second, fit_->params.recent_km, lat, lon);
  } else if (pts.empty() || rng.U() < Background::kUniformShare) {
    *lat = w.south + rng.U() * (w.north - w.south);
    *lon = w.west + rng.U() * (w.east - w.west);
  } else {
    const auto& c = pts[std::min(pts.size() - 1, static_cast<size_t>(rng.U() * static_cast<double>(pts.size())))];
    rng.Displace(c.first, c.second, bg.bandwidth_km(), lat, lon);
  }
}

int ForwardSimulator::DrawFatalities(Rng& rng, int cls) const {
  const auto& f = fatalities_[static_cast<size_t>(cls)];
  if (f.empty()) return 0;
  return f[std::min(f.size() - 1, static_cast<size_t>(rng.U() * static_cast<double>(f.size())))];
}

double ForwardSimulator::Scale(double lat, double lon, double t) const {
  double s = 1;
  for (const auto& bc : changes_.background)
    if (t >= bc.t0 && t < bc.t1 && bc.contains(lat, lon)) s *= bc.factor;
  return s;
}

ForwardEvent ForwardSimulator::Child(Rng& rng, const ForwardEvent& parent, double t) const {
  const HawkesParams& p = fit_->params;
  ForwardEvent e;
  e.t = t;
  e.cls = DrawClass(rng);
  rng.Displace(parent.lat, parent.lon, rng.U() < p.rho ? p.repeat_km : p.sigma_km, &e.lat, &e.lon);
  e.fatalities = DrawFatalities(rng, e.cls);
  return e;
}

// Appends `root` and every generation of its offspring inside the window.
void ForwardSimulator::Emit(Rng& rng, ForwardEvent root, std::vector<ForwardEvent>* out) const {
  const size_t first = out->size();
  out->push_back(root);
  for (size_t k = first; k < out->size(); ++k) {
    const ForwardEvent parent = (*out)[k];
    for (int n = rng.Poisson(kappa_[static_cast<size_t>(parent.cls)]); n > 0; --n) {
      const double t = parent.t + fit_->params.GInverse(rng.U());
      ForwardEvent child = Child(rng, parent, t);
      if (t < T_ + H_) out->push_back(child);
    }
  }
}

void ForwardSimulator::Run(uint64_t seed, int run, std::vector<ForwardEvent>* out) const {
  out->clear();
  const uint64_t base = Key(seed, static_cast<uint64_t>(run));
  for (size_t k = 0; k < changes_.inject.size(); ++k) {
    const Injection& in = changes_.inject[k];
    if (in.t < T_ || in.t >= T_ + H_) continue;
    Rng rng(Key(Key(base, kInjectedRoot), k));
    ForwardEvent e{in.t, in.lat, in.lon, in.cls, in.fatalities, true};
    if (e.fatalities < 0) e.fatalities = DrawFatalities(rng, e.cls);
    Emit(rng, e, out);
  }
  // Background roots, thinned where a change lowers the background.
  Rng bg(Key(base, kBackground));
  for (int i = 0, n = bg.Poisson(rate_ * H_); i < n; ++i) {
    ForwardEvent e;
    e.t = T_ + bg.U() * H_;
    e.cls = DrawClass(bg);
    PlaceBackground(bg, &e.lat, &e.lon);
    const double keep = bg.U();
    if (!changes_.background.empty() && keep >= Scale(e.lat, e.lon, e.t)) continue;
    Rng rng(Key(Key(base, kBackgroundRoot), static_cast<uint64_t>(i)));
    e.fatalities = DrawFatalities(rng, e.cls);
    Emit(rng, e, out);
  }
  // Extra background where a change raises it.
  if (max_scale_ > 1) {
    Rng ex(Key(base, kExtra));
    for (int i = 0, n = ex.Poisson(rate_ * H_ * (max_scale_ - 1)); i < n; ++i) {
      ForwardEvent e;
      e.t = T_ + ex.U() * H_;
      e.cls = DrawClass(ex);
      PlaceBackground(ex, &e.lat, &e.lon);
      const double s = Scale(e.lat, e.lon, e.t);
      if (ex.U() * (max_scale_ - 1) >= s - 1) continue;
      Rng rng(Key(Key(base, kExtraRoot), static_cast<uint64_t>(i)));
      e.fatalities = DrawFatalities(rng, e.cls);
      Emit(rng, e, out);
    }
  }
  // Direct offspring of past events that land in the window, with theirs.
  const HawkesParams& p = fit_->params;
  for (const Past& pe : past_) {
    const ModelEvent& src = (*events_)[pe.index];
    const double m = kappa_[static_cast<size_t>(src.cls)] * (pe.b - pe.a);
    if (m < 1e-6) continue;
    Rng rng(Key(Key(base, kPastRoot), pe.index));
    const ForwardEvent parent{src.t, src.lat, src.lon, src.cls, 0, false};
    for (int n = rng.Poisson(m); n > 0; --n) {
      const double t = src.t + p.GInverse(pe.a + rng.U() * (pe.b - pe.a));
      Emit(rng, Child(rng, parent, t), out);
    }
  }
}

}  // namespace vigil::model

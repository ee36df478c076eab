// vigil::model — the space-time Hawkes (ETAS-type) model.
//
// Conditional intensity, events per day per km²:
//
//   lambda(t, x) = mu * b(x)  +  sum_{j: t_j < t} kappa[c_j] * g(t - t_j) * f(x - x_j)
//
//   b(x)  background density (model/background.h), integrates to 1;
//   g(s)  the triggering delay (days), integral 1: omega * exp(-omega * s)
//         by default (half-life ln 2 / omega), or a truncated power law;
//   f(r)  = (1 - rho) N2(r; sigma) + rho N2(r; repeat_km) (km), with
//         N2(r; s) = exp(-|r|² / (2 s²)) / (2 pi s²): where offspring fall,
//         integral 1 over the plane; rho is the share that strikes the same
//         place again, repeat_km the coordinates' own error (SigmaFloorKm);
//   kappa[c] the expected number of direct offspring of an event of class c.
//
// The moving background (docs/models.md): the background density itself
// follows recent activity, as one re-estimated on a rolling window:
//
//   mu * b(x)  becomes  mu * [(1 - w) b(x) + w d(x, t)],
//   d(x, t) = sum_{j: t_j < t} e^{-omega_recent (t - t_j)} N2(x - x_j; recent_km)
//             / sum_{j: t_j < t} e^{-omega_recent (t - t_j)}
//
// a kernel density of the events before t weighted by their recency (a
// half-life of months): where violence surged, the background stays higher
// for months than the long-run density says, and moves with the surges. Its
// shape (half-life; spread = the background's bandwidth) is chosen among a
// few candidates, or none, by held-out likelihood (the first 75% of the
// window fits, the last 25% scores); the weight w is then fitted with the
// rest by EM. It is not triggering: the branching ratio counts kappa only.
//
// Heaped coordinates: real catalogues repeat exact coordinates (most events
// sit on a few hundred villages), and a Gaussian f's likelihood grows without
// bound as sigma -> 0 on them. Those repeats are the repeat-location
// component's (rho); sigma is floored at the scale the coordinates can
// resolve (SigmaFloorKm); a fit that ends on that floor, or on any other
// bound of a search range, says so (FitResult::at_bound) and is not reported
// as converged.
//
// Log-likelihood of precise events on [0, T] (catalogue.h):
//
//   l = sum_i log lambda(t_i, x_i) - mu T - sum_j kappa[c_j] G(T - t_j)
//
// (the spatial integrals are 1; offspring falling outside the study area are
// counted as unobserved, the usual approximation when the area is large).
//
// Fitting is EM (Veen & Schoenberg 2008) in its ECM form: the E-step gives
// each event the probabilities of being background (p_ii) or the offspring of
// each earlier event j (p_ij); the M-step sets mu and sigma in closed form,
// then the delay kernel's parameters (omega; or c and p) by searching the
// expected complete-data log-likelihood, then kappa in closed form given them. Each conditional
// step cannot decrease that expectation, so the log-likelihood never
// decreases (tested). Kernels are truncated at 5 sigma and at 99.9% of g for
// the neighbour search (a spatial hash), so an iteration costs O(N k).
//
// Thread-safety: functions are pure; FitHawkes uses OpenMP threads.
#pragma once

#include <array>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/background.h"
#include "model/catalogue.h"

namespace vigil::model {

// The triggering delay kernel g (integral 1).
//   exponential: g(s) = omega exp(-omega s);
//   power-law (Omori-Utsu), truncated at kPowerLawMaxLagDays (120 days: the
//   published triggering effects in conflict data last 2-6 weeks) and renormalised:
//     g(s) = (p - 1) / c (1 + s / c)^-p / Z,  Z = 1 - (1 + L / c)^(1 - p),  0 <= s <= L.
enum class TemporalKernel { kExponential, kPowerLaw };
constexpr double kPowerLawMaxLagDays = 120;
constexpr double kNowDays = 365;
const char* KernelName(TemporalKernel k);
core::Result<TemporalKernel> ParseKernel(const std::string& s);

struct HawkesParams {
  double mu = 1;  // background events per day (precise events)
  std::array<double, kNumClasses> kappa{0.2, 0.2, 0.2, 0.2};
  TemporalKernel kernel = TemporalKernel::kExponential;
  double omega = 0.1;          // exponential: 1/days
  double c_days = 1, p = 1.5;  // power law: time scale (days) and exponent (> 1)
  double sigma_km = 15;
  // The repeat-location share: of an event's offspring, rho strike the same
  // place again (spread only by the coordinates' own error, repeat_km), the
  // rest fall around it with sigma_km:
  //   f(r) = (1 - rho) N2(r; sigma_km) + rho N2(r; repeat_km).
  double rho = 0;
  double repeat_km = 2.8;
  // The moving background: the weight w of the recency-weighted density
  // (0: off), its decay and its spread.
  double recent_weight = 0;
  double omega_recent = 0.0077;  // 1/days (half-life 90 days)
  double recent_km = 10;
  // The background rates over the window's last kNowDays (precise events
  // attributed to the background, and background-only events), per day: what
  // a forecast from the window's end uses when the level has moved. 0: mu.
  double mu_now = 0, mu_imprecise_now = 0;

  double g(double s) const;         // delay density at s >= 0 days
  double G(double s) const;         // integral of g over [0, s]
  double GInverse(double u) const;  // s with G(s) = u, u in [0, 1)
  double HalfLifeDays() const;      // median delay: G(s) = 1/2
  double TimeCutDays() const;       // 99.9% of g
  double SpaceCutKm() const { return 5 * sigma_km; }
  double RecentTimeCutDays() const { return std::log(1000.0) / omega_recent; }
  double RecentSpaceCutKm() const { return 5 * recent_km; }
};

// The smallest spatial scale the events' coordinates can resolve: an
// offspring's displacement carries both events' location errors, so
// sqrt(2 * mean(loc_km²)) over the precise events (2.8 km when all are
// town-level).
double SigmaFloorKm(const std::vector<ModelEvent>& events);

struct FitConfig {
  TemporalKernel kernel = TemporalKernel::kExponential;
  int max_iterations = 300;
  double tolerance = 1e-7;    // relative change of the log-likelihood
  double bandwidth_km = 0;    // background bandwidth; 0: cross-validated
  int threads = 0;            // 0: all cores
  double sigma_floor_km = 0;  // 0: SigmaFloorKm(events)
  // Choose (by held-out likelihood) and fit the recency-weighted density.
  // Off by default: on the messy simulator it was never chosen over the
  // triggering and the background's level (mu_now), and it costs four more
  // fits (docs/models.md).
  bool moving_background = false;
  bool repeat_location = true;  // fit the repeat-location share rho (else rho = 0)
  // Called after each EM iteration of the final fit with the iteration
  // (from 1) and its log-likelihood (not for the held-out sub-fits that
  // choose the background); for a progress line. May be empty.
  std::function<void(int iteration, double loglik)> progress;
  // Above this many precise events the moving background is off (its
  // neighbour sums grow with the catalogue's density; docs/models.md).
  static constexpr size_t kMaxMovingBackgroundEvents = 50000;
};

struct FitResult {
  HawkesParams params;
  Background background;
  double T = 0;  // window length, days
  double loglik = 0;
  std::vector<double> loglik_trace;  // after each iteration
  int iterations = 0;
  bool converged = false;
  int64_t n_events = 0, n_precise = 0, n_imprecise = 0;
  double mu_imprecise = 0;  // events/day that only feed the background
  // Diagnostics from the last E-step.
  double branching_ratio = 0;                     // expected direct offspring per precise event
  std::array<double, kNumClasses> class_share{};  // share of precise events per class
  std::array<double, kNumClasses> se_kappa{};
  double se_mu = 0;
  std::vector<double> p_background;  // per precise event, in catalogue order (long-run and moving)
  std::vector<double> offspring;     // realised expected offspring per precise event
  double sigma_floor_km = 0;
  // Parameters that ended on a bound of their search range ("sigma_km" on
  // its floor, "half_life_days", "c_days", "p"); empty when none did.
  std::vector<std::string> at_bound;
  double recent_share = 0;                // share of precise events the moving background explains
  std::string moving_background = "off";  // "on", "off" (not chosen), "off: catalogue too large"
};

// Fits the model to `events` (sorted by t, all in [0, T]). Fails with
// kInvalidArgument when there are fewer than 10 precise events.
core::Result<FitResult> FitHawkes(const std::vector<ModelEvent>& events, double T, const FitConfig& config);

// Log-likelihood of the precise events under (p, b) on [0, T]: the fast
// truncated evaluation, and the exact O(N²) one for checking.
double LogLikelihood(const HawkesParams& p, const Background& b, const std::vector<ModelEvent>& events, double T);
double LogLikelihoodBruteForce(const HawkesParams& p, const Background& b, const std::vector<ModelEvent>& events,
                               double T);

// Log-likelihood of held-out precise events in (T0, T1], with every earlier
// event (held-out ones included) as a possible parent. Per event: divide by
// the number of held-out precise events.
double HeldOutLogLikelihood(const HawkesParams& p, const Background& b, const std::vector<ModelEvent>& events,
                            double T0, double T1, int64_t* n_scored);

}  // namespace vigil::model

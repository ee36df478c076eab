// vigil::model — the fitted Hawkes process simulated forward over [T, T+H),
// as it stands (a forecast's Monte Carlo quantiles) or changed (a scenario:
// events injected, the background scaled in an area, a class's productivity
// changed; scenario/).
//
// A run's events grow from roots: background events (rate mu_now +
// mu_imprecise_now per day, placed by the fitted background density), the
// direct offspring of past events still active in the window, and injected
// events. Each root draws its whole cascade — its own place, class,
// fatalities and every generation of offspring inside the window — from its
// own random stream, keyed by (seed, run, root). So a scenario and its
// baseline run with the same seed share every root the changes do not reach:
// a change that changes nothing gives the baseline exactly, and the Monte
// Carlo error of a difference is the change's own, not that of two
// independent runs (common random numbers).
//
// Background changes thin (factor < 1: a root is kept with probability
// factor) or add (factor > 1: extra candidates from a stream of their own,
// kept with probability (factor - 1) / (max - 1)); factors of overlapping
// changes multiply. Productivity factors multiply kappa of events of that
// class, past ones included.
//
// Offspring classes are drawn from the fit's class shares (the precise
// events' shares when the fit does not carry them); fatalities from the
// given per-class lists (past events' fatalities), 0 when a list is empty.
//
// Thread-safety: Run is const and may be called from several threads.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "model/hawkes.h"

namespace vigil::model {

struct ForwardEvent {
  double t = 0;  // model time
  double lat = 0, lon = 0;
  int cls = 0;
  int fatalities = 0;
  bool injected = false;
};

// An event placed by hand: it happens, then triggers as its class does.
// fatalities < 0: drawn like any event of its class.
struct Injection {
  double t = 0, lat = 0, lon = 0;
  int cls = kBattles;
  int fatalities = -1;
};

// The background multiplied by `factor` where `contains` holds, over model
// time [t0, t1).
struct BackgroundChange {
  std::function<bool(double lat, double lon)> contains;
  double factor = 1;
  double t0 = -1e300, t1 = 1e300;
};

struct Changes {
  std::vector<Injection> inject;
  std::vector<BackgroundChange> background;
  std::array<double, kNumClasses> productivity{1, 1, 1, 1};
};

using FatalitySamples = std::array<std::vector<int>, kNumClasses>;

class ForwardSimulator {
 public:
  // `events` is the catalogue the fit came from (model time), T the start.
  ForwardSimulator(const FitResult& fit, const std::vector<ModelEvent>& events, double T, double H,
                   Changes changes = {}, FatalitySamples fatalities = {});

  // Run `run`'s events in [T, T+H), injected ones first; deterministic in
  // (seed, run).
  void Run(uint64_t seed, int run, std::vector<ForwardEvent>* out) const;

  double start() const { return T_; }
  double horizon() const { return H_; }

 private:
  class Rng;
  struct Past {
    size_t index;  // into events_
    double a, b;   // G(T - t), G(T + H - t)
  };
  int DrawClass(Rng& rng) const;
  void PlaceBackground(Rng& rng, double* lat, double* lon) const;
  int DrawFatalities(Rng& rng, int cls) const;
  double Scale(double lat, double lon, double t) const;
  void Emit(Rng& rng, ForwardEvent root, std::vector<ForwardEvent>* out) const;
  ForwardEvent Child(Rng& rng, const ForwardEvent& parent, double t) const;

  const FitResult* fit_;
  const std::vector<ModelEvent>* events_;
  double T_, H_;
  Changes changes_;
  FatalitySamples fatalities_;
  std::array<double, kNumClasses> kappa_{};
  std::array<double, kNumClasses> class_cdf_{};
  double rate_ = 0;  // background events per day
  double mu_recent_share_ = 0;
  std::vector<std::pair<double, double>> recent_pts_;
  std::vector<double> recent_cdf_;
  std::vector<Past> past_;
  double max_scale_ = 1;
};

}  // namespace vigil::model

// vigil::analysis — coordinated waves: several distant places struck by one
// actor (or by unattributed attackers) within one short window, more than
// that actor's own daily rhythm makes likely by chance.
//
// Contagion and coordination look alike in counts; they differ in space and
// time. Triggered events fall near their parent (the fitted spatial scale,
// tens of km) and follow it over days (the half-life). A wave is the other
// shape: places farther apart than that scale, struck inside a window
// shorter than the half-life. So within each window the actor's political
// violence events are joined when closer than `min_separation_km` (single
// link); each group is one "place". A window with k >= min_places places is
// a wave when P(N >= k) < max_p for N ~ Poisson(lambda), lambda the actor's
// mean number of places per window over the `baseline_days` before (floored
// at one place per baseline, so a first-ever offensive is not certain to be
// flagged by a zero rate). Formulas in docs/signals.md.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/event.h"

namespace vigil::analysis {

struct WaveOptions {
  double min_separation_km = 50;  // places closer than this are one place
  int window_days = 1;            // dates are days: 1 = the same day
  int min_places = 3;
  double max_p = 0.01;
  int baseline_days = 365;
};

struct WavePlace {
  std::string location, admin1, admin2;
  double latitude = 0, longitude = 0;
  std::vector<int64_t> event_ids;
};

struct Wave {
  std::string actor;
  core::Date start, end;
  std::vector<WavePlace> places;
  std::vector<int64_t> event_ids;  // all member events
  double span_km = 0;              // largest distance between two places
  double expected_places = 0;      // lambda
  double p_value = 1;
};

// Waves in [from, to] (window starts), oldest first. `events` may hold any
// history (the baseline reads the days before `from`) in any order.
std::vector<Wave> FindWaves(std::span<const core::Event> events, core::Date from, core::Date to,
                            const WaveOptions& o = {});

// P(N >= k), N ~ Poisson(lambda).
double PoissonTail(int k, double lambda);

}  // namespace vigil::analysis

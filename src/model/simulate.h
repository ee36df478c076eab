// vigil::model — simulating catalogues from the Hawkes model (branching
// construction): background events arrive as a Poisson process of rate mu
// per day, placed by a mixture of Gaussian hotspots and a uniform share over
// the window; each event of class c has Poisson(kappa[c]) direct offspring,
// delayed by the model's delay kernel g (exponential or power law) and displaced by N(0, sigma²) km in each
// direction; offspring have offspring in turn. Classes are drawn from
// class_probs. Deterministic for a given seed (std::mt19937_64, libstdc++).
//
// Realistic mess on request (what real catalogues look like, docs/models.md):
//  - villages: events happen at a fixed set of places (drawn once from the
//    background density), each event snapped to the nearest village within
//    snap_km, so exact coordinates repeat as they do in ACLED;
//  - repeat_share: the share of offspring struck at their parent's exact
//    place (the same target attacked again);
//  - surges: extra background rate in a region for a span of days, so the
//    background moves between regions over months;
//  - coverage_start_day: events before it are not reported (a source whose
//    coverage starts part-way through the period);
//  - heap_share of events moved to the centre of their 1-degree cell with
//    geo_precision 3 (centroid heaping), week_share dated to their week only;
//  - every event is dated to its day (ties).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/event.h"
#include "core/event_json.h"
#include "core/status.h"
#include "model/hawkes.h"

namespace vigil::model {

struct Hotspot {
  double lat = 0, lon = 0, sd_km = 30, weight = 1;
};

// Extra background events per day inside [start_day, end_day), placed
// around (lat, lon).
struct Surge {
  double lat = 0, lon = 0, sd_km = 40, rate = 0.5, start_day = 0, end_day = 0;
};

struct SimulationSpec {
  HawkesParams params;
  std::vector<Hotspot> hotspots;
  std::vector<Surge> surges;
  int villages = 0;  // 0: continuous coordinates
  double snap_km = 15;
  double repeat_share = 0;
  double coverage_start_day = 0;
  double week_share = 0;
  double uniform_share = 0.2;
  Window window{-12.25, 10.15, 4.25, 25.0};  // Mali's bounding box
  std::array<double, kNumClasses> class_probs{0.45, 0.2, 0.3, 0.05};
  double heap_share = 0;
};

// Reads a spec from JSON (docs/models.md, "vigil simulate"): {"mu": 2.0,
// "kappa": {"battles": 0.5, ...} or a number, "omega": 0.1 or
// "half_life_days": 7, "sigma_km": 15, "hotspots": [{"lat":..,"lon":..,
// "sd_km":..,"weight":..}], "uniform_share": 0.2, "class_probs": {...},
// "heap_share": 0.1, "window": [W,S,E,N], "villages": 400, "snap_km": 15,
// "repeat_share": 0.3, "coverage_start_day": 730, "week_share": 0.05,
// "surges": [{"lat":..,"lon":..,"sd_km":..,"rate":..,"start_day":..,
// "end_day":..}]}. Fails naming the bad field.
core::Result<SimulationSpec> SpecFromJson(const core::Json& j);

struct SimEvent {
  double t = 0;
  double lat = 0, lon = 0;
  int cls = 0;
  int64_t parent = -1;  // index of the parent, -1 for background
  bool heaped = false;
  bool week = false;  // dated to its week only
};

// Simulates [0, T) days. Fails with kInvalidArgument when the branching
// ratio is >= 1 (the process would explode) or a parameter is out of range.
core::Result<std::vector<SimEvent>> Simulate(const SimulationSpec& spec, double T, uint64_t seed);

// Simulated events as vigil events (source "simulated"), dated from `start`.
std::vector<core::Event> ToEvents(const std::vector<SimEvent>& sim, core::Date start, uint64_t seed);

}  // namespace vigil::model

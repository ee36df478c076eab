// vigil::analysis — diffusion: where violence is new, how much of the area
// it touches, and where its centre is moving.
//
// Onsets. A unit (an admin2 cercle, or a PRIO-GRID 0.5° cell) has an onset
// on the day of its first political violence in [from, to] when it had none
// in the `quiet_days` before that day. The data must cover those days: when
// the store's first event is less than `quiet_days` before, the unit is
// listed as "not judged" instead (a short history cannot show quiet).
//
// Diffusion share. Of the area's cells (`area_cells`, PRIO-GRID ids), the
// share with at least one political violence event in [from, to]: the
// diffusion figure of ACLED's Conflict Index, on 0.5° cells.
//
// Drift. The centroid of political violence per calendar quarter; the drift
// is the least-squares slope of the quarterly centroids (km east, km north)
// against the quarter index, so "a westward shift" is km per quarter and a
// bearing. Its interval comes from a bootstrap that resamples events within
// each quarter (fixed seed: the same data gives the same interval).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/event.h"

namespace vigil::analysis {

struct Onset {
  std::string kind;  // "admin2" or "cell"
  std::string unit;  // cercle name, or the cell's gid
  std::string admin1;
  core::Date first;
  int64_t events = 0;  // in [from, to]
  double latitude = 0, longitude = 0;
  bool judged = true;  // false: the history is too short to show quiet
};

struct DiffusionOptions {
  int quiet_days = 365;
};

struct Diffusion {
  std::vector<Onset> onsets;  // by date; judged ones and not-judged ones
  int64_t cells_with_violence = 0;
  int64_t area_cells = 0;
  double share = 0;  // cells_with_violence / area_cells (cells of the area only)
  core::Date history_start;
};

// `events`: all history up to `to`. `history_start`: the first day the data
// covers (the store's first event).
Diffusion ComputeDiffusion(std::span<const core::Event> events, core::Date from, core::Date to,
                           std::span<const int64_t> area_cells, core::Date history_start,
                           const DiffusionOptions& o = {});

struct DriftOptions {
  int min_events_per_quarter = 5;
  int bootstrap = 500;
  uint64_t seed = 1;
};

struct QuarterCentroid {
  std::string quarter;  // "2025-Q3"
  int64_t events = 0;
  double latitude = 0, longitude = 0;
};

struct Drift {
  std::vector<QuarterCentroid> quarters;  // those with enough events, oldest first
  bool measured = false;                  // at least two quarters
  double east_km_per_quarter = 0, north_km_per_quarter = 0;
  double speed_km_per_quarter = 0;
  double bearing_deg = 0;                                       // 0 north, 90 east, 270 west
  double east_lo = 0, east_hi = 0, north_lo = 0, north_hi = 0;  // 95% bootstrap
  double speed_lo = 0, speed_hi = 0;
};

// Centroid drift of the political violence in `events` (any order).
Drift ComputeDrift(std::span<const core::Event> events, const DriftOptions& o = {});

// "west", "north-west", ... for a bearing in degrees.
std::string CompassPoint(double bearing_deg);

}  // namespace vigil::analysis

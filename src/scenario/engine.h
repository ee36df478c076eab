// vigil::scenario — Monte Carlo runs of a scenario against its baseline.
//
// Both arms simulate the same fitted model forward from as_of over the
// scenario's weeks (model/forward.h), run r of each with the same random
// streams: the baseline unchanged, the scenario with the file's changes. An
// unchanged scenario gives the baseline exactly; a difference's Monte Carlo
// error is the standard error of the per-run differences (paired).
//
// Reported per region (admin1) and week, per region over the period (with
// P(at least K events) for each threshold K), for Mali (the regions' sum) and
// for the whole model area; and the cercles whose expected count changes most.
//
// Thread-safety: pure functions; RunArm uses OpenMP threads over runs, each
// run deterministic in (seed, run), so the figures do not depend on threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/json.h"
#include "model/forward.h"
#include "scenario/spec.h"

namespace vigil::scenario {

// The model a scenario changes, and where its outcomes are counted.
struct Inputs {
  const model::FitResult* fit = nullptr;
  const std::vector<model::ModelEvent>* catalogue = nullptr;
  core::Date window_start, as_of;
  model::FatalitySamples fatalities;
  const std::vector<model::Unit>* regions = nullptr;
  const std::vector<model::Unit>* cercles = nullptr;
  // OCHA's pcode of each cercle (for maps: GET /api/v1/boundaries/admin2's
  // adm2_pcode); may be empty.
  std::vector<std::string> cercle_codes;
};

struct Options {
  int runs = 1000;
  uint64_t seed = 1;
  // Scale-out (dist/world.h): this process computes the runs r with
  // r % shards == shard and leaves the others' slots at zero.
  int shard = 0, shards = 1;
  // Called as runs complete (done, total), from one thread; may be empty.
  std::function<void(int done, int total)> progress;
};

// One arm's outcomes, run by run.
struct Arm {
  int runs = 0, weeks = 0;
  size_t regions = 0, cercles = 0;
  std::vector<int32_t> region_events, region_fatalities;  // [run][region][week]
  std::vector<int32_t> cercle_events;                     // [run][cercle]
  std::vector<int32_t> total_events, total_fatalities;    // [run], the whole model area

  // Every array, in a fixed order (for summing shards' arms).
  std::vector<std::vector<int32_t>*> Arrays() {
    return {&region_events, &region_fatalities, &cercle_events, &total_events, &total_fatalities};
  }
};

// The file's changes as the simulator takes them: dates to model time, areas
// to membership tests over the units.
model::Changes ToChanges(const Spec& spec, const Inputs& in);

Arm RunArm(const Inputs& in, const model::Changes& changes, int weeks, const Options& opt);

struct Moments {
  double mean = 0, p10 = 0, p50 = 0, p90 = 0;
};
// Scenario minus baseline, with its Monte Carlo standard error.
struct Diff {
  double delta = 0, se = 0;
};
struct Compared {
  Moments base, scen;
  Diff diff;
};
struct AtLeast {
  int k = 1;
  double p_base = 0, p_scen = 0;
  Diff diff;
};
struct RegionWeek {
  std::string region;
  int week = 0;  // from 0
  core::Date from;
  Compared events, fatalities;
};
struct RegionRow {
  std::string region;  // a region, "Mali" or "model area"
  Compared events, fatalities;
  std::vector<AtLeast> at_least;
};
struct PlaceRow {
  std::string cercle;  // "Region / Cercle"
  std::string code;    // OCHA pcode, "" when unknown
  Compared events;
  AtLeast any;  // K = 1
};

struct Summary {
  std::string title, description;
  core::Date as_of, until;
  int weeks = 0, runs = 0;
  uint64_t seed = 0;
  int64_t snapshot_id = 0;
  int injected = 0;                  // events placed by hand (each run)
  std::vector<std::string> changes;  // one line per change, in the file's order
  std::vector<RegionRow> regions;    // each region (largest change first), "Mali", "model area"
  std::vector<RegionWeek> weekly;
  std::vector<PlaceRow> cercles;  // every cercle, in the units' order (the dashboard's map)
  std::vector<PlaceRow> places;   // the cercles whose expected count changes most, at most 15
  std::string spec_text;
};

// Compares the arms. `changes` lines and the header come from the spec.
Summary Summarise(const Spec& spec, const Inputs& in, const Arm& base, const Arm& scen);

// The change lines of a spec ("inject 7 battles on 2025-07-01 at Kayes, ...").
std::vector<std::string> DescribeChanges(const Spec& spec);

core::Json SummaryJson(const Summary& s);

}  // namespace vigil::scenario

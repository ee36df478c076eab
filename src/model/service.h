// vigil::model — the model's operations on an event store: fit (and keep an
// immutable snapshot), forecast, backtest. What `vigil fit`, `vigil
// forecast` and `vigil backtest` call.
//
// Nothing here reads the clock: everything is relative to `as_of`, and only
// events with date_start < as_of are used to fit or to forecast from it.
//
// Thread-safety: one call at a time per store.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/event_json.h"
#include "core/status.h"
#include "geo/reference.h"
#include "model/forecast.h"
#include "model/hawkes.h"
#include "model/metrics.h"
#include "store/store.h"

namespace vigil::model {

// Version 2: the repeat-location share, the moving background, bounds and
// status; windows clipped to coverage. Older snapshots are refitted.
constexpr int kSnapshotFormat = 2;

// A fit on fewer precise events is stored with a "thin" warning, printed by
// `vigil fit` and shown by the dashboard. From bench/bench_thin (docs/models.md,
// "Too few events"): below 100 events, 5-18% of fits on simulated
// catalogues recover the branching ratio, half-life or spatial scale badly;
// from 160, none of 20. Below 10, FitHawkes refuses.
constexpr int64_t kThinEvents = 100;

struct Selection {
  std::vector<std::string> event_types;                  // empty: political violence (Battles, ERV, VAC; all UCDP)
  std::vector<std::string> countries;                    // empty: all
  TemporalKernel kernel = TemporalKernel::kExponential;  // the model's delay kernel
  std::string Describe() const;                          // stable text, stored with snapshots
};

// The first date the data covers (store::EventStore::Coverage: the earliest
// first date among the sources), or, for events in memory, the earliest
// event's date. A window never starts before it (docs/models.md, "Coverage").
std::optional<core::Date> CoverageStart(const std::vector<store::SourceCoverage>& coverage);
std::optional<core::Date> CoverageStart(const std::vector<core::Event>& events);
// The window [start, as_of) actually used: as_of - window_days, or the
// coverage start when later. `clipped` says which.
core::Date WindowStart(core::Date as_of, int window_days, std::optional<core::Date> coverage, bool* clipped);

struct FitRequest {
  core::Date as_of;
  int window_days = 1826;                    // 5 years, clipped to coverage
  std::optional<core::Date> coverage_start;  // unset: from the events
  Selection selection;
  FitConfig config;
  bool save_snapshot = true;
};

struct FitOutcome {
  FitResult fit;
  std::vector<ModelEvent> catalogue;  // model time: days since window start
  core::Date window_start;
  int64_t snapshot_id = 0;
  bool from_snapshot = false;
  core::Json summary;  // parameters, errors, branching by class/admin1, ...
};

// Parses "5y", "18m", "90d", "12w" into days.
core::Result<int> ParseWindow(const std::string& s);

// Reads the selected events in [as_of - window, as_of) from the store.
core::Result<std::vector<core::Event>> LoadEvents(store::EventStore* store, const Selection& sel, core::Date from,
                                                  core::Date to);

// Fits the Hawkes model; saves a snapshot when asked.
core::Result<FitOutcome> Fit(store::EventStore* store, const FitRequest& req);
// Fits from events already in memory (no store; used by backtests and tests).
core::Result<FitOutcome> FitEvents(const std::vector<core::Event>& events, const FitRequest& req);

struct ForecastRequest {
  core::Date as_of;
  int horizon_days = 30;
  Level level = Level::kCell;
  std::optional<PointQuery> point;
  std::string model = "hawkes";  // hawkes, ratemix, historical, persistence, xgb, ensemble
  int window_days = 1826;
  std::optional<core::Date> coverage_start;  // unset: from the events
  Selection selection;
  int quantile_reps = 0;  // > 0: Monte Carlo p10/p50/p90 (hawkes only)
  uint64_t seed = 1;
};

struct ForecastRow {
  const Unit* unit = nullptr;
  UnitForecast f;
};

struct ForecastOutcome {
  std::vector<Unit> units;
  std::vector<UnitForecast> rows;  // aligned with units
  int64_t snapshot_id = 0;
  core::Json model_summary;
};

// Forecast from the store; a Hawkes forecast reuses the snapshot fitted with
// the same as_of, window, selection and data, or fits and saves one.
core::Result<ForecastOutcome> Forecast(store::EventStore* store, const geo::Reference& ref, const ForecastRequest& req);
// The same from events in memory (the backtest and the no-future test use it).
core::Result<ForecastOutcome> ForecastEvents(const std::vector<core::Event>& events, const geo::Reference& ref,
                                             const ForecastRequest& req, std::vector<Unit> units);

// The forecast of a stored snapshot: its fitted parameters applied to the
// selected events now stored in its window [window_start, as_of), for
// `horizon_days` after as_of. Never refits (what the HTTP API serves).
// With `quantile_reps` > 0, the rows carry Monte Carlo p10/p50/p90 of the
// count (ForecastQuantiles, seed 1: the same snapshot gives the same figures).
core::Result<ForecastOutcome> ForecastFromSnapshot(store::EventStore* store, const geo::Reference& ref,
                                                   const store::ModelSnapshot& snapshot, Level level, int horizon_days,
                                                   int quantile_reps = 0);
// The Hawkes forecast of a stored snapshot over units the caller made (road
// buffers, sites): one row set per horizon, the events loaded once.
core::Result<std::vector<std::vector<UnitForecast>>> ForecastUnitsFromSnapshot(store::EventStore* store,
                                                                               const store::ModelSnapshot& snapshot,
                                                                               const std::vector<Unit>& units,
                                                                               const std::vector<int>& horizons);
// The Hawkes forecast over units the caller made, for each horizon: from
// the latest stored snapshot when `as_of` is unset (kNotFound, "run vigil
// fit", when there is none), else from the model fitted at `as_of` (a
// matching stored snapshot reused, else fitted and saved).
struct UnitsForecast {
  core::Date as_of;
  int64_t snapshot_id = 0;
  std::vector<std::vector<UnitForecast>> rows;  // [horizon][unit]
};
core::Result<UnitsForecast> ForecastUnitsAt(store::EventStore* store, std::optional<core::Date> as_of,
                                            const std::vector<Unit>& units, const std::vector<int>& horizons);
// A fitted model with the catalogue it was fitted on: the model fitted at
// `as_of` (a matching stored snapshot reused, else fitted and saved), or the
// latest stored snapshot when `as_of` is unset (kNotFound, "run vigil fit",
// when there is none). What a scenario changes (scenario/).
struct SnapshotModel {
  FitResult fit;
  std::vector<ModelEvent> catalogue;  // model time: days since window_start
  core::Date window_start, as_of;
  int64_t snapshot_id = 0;
  Selection selection;
};
// `save`: store a model fitted here (off on all but one of several processes).
core::Result<SnapshotModel> LoadSnapshotModel(store::EventStore* store, std::optional<core::Date> as_of,
                                              bool save = true);
// The inverse of Selection::Describe().
core::Result<Selection> ParseSelection(const std::string& described);

struct BacktestRequest {
  core::Date from, to;  // origins from, from+step, ... < to
  int step_days = 30;
  int horizon_days = 30;
  Level level = Level::kCell;
  std::vector<std::string> models{"hawkes", "ratemix", "historical", "persistence"};
  int window_days = 1826;
  std::optional<core::Date> coverage_start;  // unset: from the events
  Selection selection;
  std::function<void(int done, int total)> progress;
  // Scale-out (dist/world.h): this process forecasts the origins k with
  // k % shards == shard, the others' predictions left at zero; `gather`
  // must then make the predictions whole where the report is read (sum the
  // shards' onto one process). Outcomes are counted for every origin.
  int shard = 0, shards = 1;
  std::function<void(std::vector<double>* predictions)> gather;
};

struct ModelScores {
  std::string model;
  Scores scores;
  double brier_skill_vs_persistence = 0;
};

struct Miss {
  core::Date origin;
  std::string unit;
  double expected = 0;
  int64_t observed = 0;
};

struct BacktestReport {
  int origins = 0;
  int64_t units = 0;
  std::vector<ModelScores> models;
  std::vector<Miss> largest_misses;  // of the first model
  core::Json ToJson() const;
};

core::Result<BacktestReport> Backtest(store::EventStore* store, const geo::Reference& ref, const BacktestRequest& req);
core::Result<BacktestReport> BacktestEvents(const std::vector<core::Event>& events, const geo::Reference& ref,
                                            const BacktestRequest& req);

}  // namespace vigil::model

// vigil::model — forecasts by unit and horizon, from the Hawkes model and
// from the baselines.
//
// A unit is a set of 0.1-degree boxes (a PRIO-GRID cell is 25 of them; an
// admin unit the boxes whose centre falls in it) or, at level `point`, the
// boxes of a 0.02-degree grid whose centre lies within the radius.
//
// Hawkes expected count in a unit over [T, T+H):
//   E = cascade * sum_boxes [ (mu + mu_imprecise) H B(box)
//        + sum_j kappa[c_j] (exp(-omega (T - t_j)) - exp(-omega (T + H - t_j))) F_j(box) ]
// with B the background mass and F_j the Gaussian mass of event j's offspring
// in the box; cascade = 1 / (1 - n phi) accounts for offspring of events that
// happen inside the window (n the branching ratio, phi = 1 - (1 - e^{-omega
// H}) / (omega H) the average share of their offspring still inside it).
// P(at least one) = 1 - exp(-E / cascade): clusters (roots: background events
// and direct offspring of past events) are Poisson; the in-window offspring of
// a root add to the count, not to the chance of a first event. (A Poisson
// 1 - exp(-E) overstates P(any) for clustered counts: measured on simulated
// catalogues, docs/models.md.)
//
// Baselines: `historical` E = H / W * (0.6 n_u + 0.4 mean of the 8 neighbouring
// cells' counts) + 1e-3 H / W (a smoothed long-run rate over the W-day
// window; neighbours at the unit's own level for cells, none for admin units);
// `persistence` E = the count in the last H days.
//
// Thread-safety: pure functions of their inputs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "geo/reference.h"
#include "model/hawkes.h"

namespace vigil::model {

enum class Level { kCell, kCell01, kAdmin1, kAdmin2, kPoint };
core::Result<Level> ParseLevel(const std::string& s);
const char* LevelName(Level l);

struct Box {
  double lat0, lon0, lat1, lon1;
};

struct Unit {
  std::string id;           // gid, "r<row>c<col>" for 0.1° cells, admin name, "point"
  int64_t gid = 0;          // PRIO-GRID gid (cell level), else 0
  double lat = 0, lon = 0;  // centre
  std::vector<Box> boxes;
  std::vector<int64_t> neighbours;  // indices of adjacent units (cells only)
};

struct PointQuery {
  double lat = 0, lon = 0, radius_km = 25;
};

// The 0.02° boxes whose centre lies within radius_km of the point, as one
// unit (the box centred on the point when the radius is smaller).
Unit PointUnit(const PointQuery& point);

// Units over Mali for a level: PRIO-GRID cells with a share of Mali; 0.1°
// boxes whose centre is in Mali; regions and cercles made of the boxes whose
// centre lies in OCHA's polygons of them (border slivers outside OCHA's
// outline belong to cells only). Fails for kPoint without a query.
core::Result<std::vector<Unit>> MakeUnits(Level level, const geo::Reference& ref,
                                          const std::optional<PointQuery>& point = std::nullopt);

// Index of the unit holding (lat, lon), or -1.
class UnitLocator {
 public:
  explicit UnitLocator(const std::vector<Unit>& units);
  int64_t Find(double lat, double lon) const;

 private:
  const std::vector<Unit>* units_;
  std::unordered_map<int64_t, int64_t> by_box_;
  bool point_ = false;
};

struct UnitForecast {
  double expected = 0;
  double p_any = 0;
  // Monte Carlo quantiles of the count (ForecastQuantiles), -1 when absent.
  double p10 = -1, p50 = -1, p90 = -1;
  // Events observed in the unit in the 30 days before the forecast's date
  // (ForecastFromSnapshot), -1 when not counted.
  int64_t observed_30d = -1;
};

// `fit` must come from events in [0, T] (T = as_of in model time).
std::vector<UnitForecast> ForecastHawkes(const FitResult& fit, const std::vector<ModelEvent>& events, double T,
                                         double horizon, const std::vector<Unit>& units);

// The same for several horizons in one pass over the boxes (the spatial
// masses are computed once): out[h][u].
std::vector<std::vector<UnitForecast>> ForecastHawkesHorizons(const FitResult& fit,
                                                              const std::vector<ModelEvent>& events, double T,
                                                              const std::vector<double>& horizons,
                                                              const std::vector<Unit>& units);

// Fills p10/p50/p90 of each unit's count by simulating the fitted process
// forward over [T, T+H) `reps` times (model/forward.h): background events (rate mu +
// mu_background_only, placed by the background density), offspring of past
// events still active, and offspring of offspring inside the window.
// Deterministic for a seed.
void ForecastQuantiles(const FitResult& fit, const std::vector<ModelEvent>& events, double T, double H,
                       const std::vector<Unit>& units, const UnitLocator& locate, int reps, uint64_t seed,
                       std::vector<UnitForecast>* rows);

// Counts of events per unit with t in [t0, t1).
std::vector<int64_t> CountByUnit(const std::vector<ModelEvent>& events, double t0, double t1,
                                 const std::vector<Unit>& units, const UnitLocator& locate);

std::vector<UnitForecast> ForecastHistorical(const std::vector<int64_t>& counts, double window_days, double horizon,
                                             const std::vector<Unit>& units);
std::vector<UnitForecast> ForecastPersistence(const std::vector<int64_t>& last_counts);

// The rate mix: E = H (0.5 n_recent / recent_days + 0.5 n_long / long_days),
// the unit's own counts over the last 90 and 730 days (each span clipped to
// the data's coverage by the caller); P(any) = 1 - exp(-E). The simple
// baseline every Hawkes forecast must beat (docs/models.md).
constexpr double kRateMixRecentDays = 90, kRateMixLongDays = 730;
std::vector<UnitForecast> ForecastRateMix(const std::vector<int64_t>& recent, double recent_days,
                                          const std::vector<int64_t>& long_run, double long_days, double horizon);

}  // namespace vigil::model

// vigil::model — how exposed each watched site is (docs/sites.md):
//
//   recent   — political violence (the events the forecasts count) within
//              the site's radius over the last 30 and 90 days, fatalities;
//   trend    — the last 90 days against the 90 before: conditional on the
//              total n + m, the last window's count is Binomial(n + m, 1/2)
//              when the rate has not changed; rising (falling) when the
//              upper (lower) tail is below alpha (0.05), else steady;
//   forecast — P(at least one event within the radius) and the expected
//              count over 7 and 30 days, from the Hawkes model over the
//              0.02° boxes whose centre lies within the radius;
//   threats  — the nearest political violence of the last 30 days within
//              100 km, with distance and bearing from the site;
//   corridors— the corridors with a hop within 25 km (or the radius, if
//              larger) of the site, with their status (geo/corridors.h).
//
// Everything is as of one date D and uses only events with date_start < D.
//
// Thread-safety: one call at a time per store.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "geo/sites.h"
#include "model/forecast.h"
#include "model/road_service.h"
#include "store/store.h"

namespace vigil::model {

struct SiteConfig {
  int short_days = 30, long_days = 90;
  std::vector<int> horizons{7, 30};
  double threat_km = 100;
  int threat_days = 30;
  size_t max_threats = 5;
  double serve_km = 25;
  double trend_alpha = 0.05;
};

struct SiteThreat {
  uint32_t event = 0;  // index into SiteReport::events
  double km = 0, bearing_deg = 0;
};

struct SiteCorridor {
  uint32_t status = 0;  // index into SiteReport::corridors.statuses
  double km = 0;        // from the site to its nearest hop
};

enum class Trend { kSteady, kRising, kFalling };
const char* TrendName(Trend t);

struct SiteExposure {
  geo::Site site;
  int events_short = 0, events_long = 0;  // within the radius, last 30 / 90 days
  int64_t fatalities_long = 0;
  int events_before = 0;  // in the 90 days before the last 90
  Trend trend = Trend::kSteady;
  double trend_p = 1;                   // the tail probability behind it
  std::vector<UnitForecast> forecast;   // per horizon; empty without a model
  std::vector<SiteThreat> threats;      // nearest first
  std::vector<SiteCorridor> corridors;  // nearest first
};

struct SiteReport {
  core::Date as_of;
  std::vector<int> horizons;
  int64_t snapshot_id = 0;             // 0: no forecast
  std::string forecast_note;           // why there is no forecast, when there is none
  std::vector<core::Event> events;     // what threats point into
  CorridorReport corridors;            // its statuses point into `roads`
  std::vector<SiteExposure> sites;     // in the order given
  std::shared_ptr<const Roads> roads;  // kept alive with the report
};

// As of `as_of` when given (the model fitted at that date, a stored snapshot
// reused), else as of the latest model snapshot, else the day after the
// newest stored event (then without a forecast, saying so). No horizons:
// no forecast, and no model is fitted.
core::Result<SiteReport> AssessSites(store::EventStore* store, std::shared_ptr<const Roads> roads,
                                     const std::vector<geo::Site>& sites, std::optional<core::Date> as_of,
                                     const SiteConfig& config = {});

// Trend of `recent` events against `before` in an equal window (the
// binomial test above); `p` receives the tail probability.
Trend TrendOf(int recent, int before, double alpha, double* p);

}  // namespace vigil::model

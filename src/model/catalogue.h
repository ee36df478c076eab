// vigil::model — events as the point-process models see them.
//
// Time is in days since `origin` (a date), continuous: an event dated to a
// day gets a deterministic position inside that day (a hash of its id), so
// same-day events are ordered without ties and a model can let the morning's
// attack trigger the evening's. Space is kilometres in a local projection
// (distances use the pair's mean latitude, see DistanceKm2).
//
// Messy data (docs/models.md): events whose date is not day-precise (week,
// month) or whose place is an admin centroid (geo_precision 3) are kept for
// the background density only: they neither trigger nor count as triggered.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/event.h"

namespace vigil::model {

// Event classes with their own productivity (kappa).
enum EventClass : int {
  kBattles = 0,
  kRemoteViolence = 1,  // Explosions/Remote violence
  kViolenceCivilians = 2,
  kOtherClass = 3,  // Strategic developments, protests, riots, other
  kNumClasses = 4,
};
EventClass ClassOf(const std::string& event_type);
const char* ClassName(int c);

struct ModelEvent {
  double t = 0;  // days since origin
  double lat = 0, lon = 0;
  int cls = kOtherClass;
  bool precise = true;  // day date and town-level place: may trigger and be triggered
  float loc_km = 2;     // how far the coordinates may be from the event (LocationScaleKm)
  int64_t gid = 0;
  std::string admin1;
};

// How far an event's coordinates may sit from where it happened, km (one
// standard deviation), by ACLED geo_precision: 1, the town itself (a town's
// or village's extent and its gazetteer point: 2 km); 2, near a town or in a
// part of a region (10 km); 3, a region's centroid (50 km). The Hawkes
// model's spatial scale is floored from these (hawkes.h, SigmaFloorKm).
double LocationScaleKm(int geo_precision);

// The default set of political-violence types the model fits and forecasts.
bool IsPoliticalViolence(const core::Event& e);

// Converts events with date_start in [from, to) to model events relative to
// `origin`, sorted by time. Duplicate reports (same day, same coordinates,
// same class) are collapsed to one.
std::vector<ModelEvent> PrepareCatalogue(const std::vector<core::Event>& events, core::Date origin, core::Date from,
                                         core::Date to);

// Squared distance in km² between two points (equirectangular at the mean
// latitude: within 0.1% of the geodesic below 100 km in the Sahel).
inline double DistanceKm2(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kKmPerDeg = 111.19492664455873;  // 6371.0088 km * pi / 180
  const double mean = (lat1 + lat2) * 0.5 * 0.017453292519943295;
  const double dx = (lon2 - lon1) * kKmPerDeg * std::cos(mean);
  const double dy = (lat2 - lat1) * kKmPerDeg;
  return dx * dx + dy * dy;
}

}  // namespace vigil::model

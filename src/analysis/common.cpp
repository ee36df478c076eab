#include "analysis/common.h"

#include <cmath>
#include <cstdio>

namespace vigil::analysis {

namespace {
constexpr double kKmPerDegLat = 110.574;
constexpr double kKmPerDegLonEquator = 111.320;
constexpr double kPi = 3.14159265358979323846;
}  // namespace

bool IsPoliticalViolence(const core::Event& e) {
  return e.event_type == "Battles" || e.event_type == "Explosions/Remote violence" ||
         e.event_type == "Violence against civilians";
}

std::string ActorGroup(const core::Event& e) {
  if (e.actor1.empty() || e.actor1.find("Unidentified") != std::string::npos) return "unattributed";
  return e.actor1;
}

bool IsStateActor(const std::string& actor) {
  return actor.rfind("Military Forces of", 0) == 0 || actor.rfind("Police Forces of", 0) == 0;
}

Km ToKm(double lat, double lon, double lat0, double lon0) {
  return {(lon - lon0) * kKmPerDegLonEquator * std::cos(lat0 * kPi / 180.0), (lat - lat0) * kKmPerDegLat};
}

double KmDistance(Km a, Km b) { return std::hypot(a.east - b.east, a.north - b.north); }

std::string QuarterOf(core::Date d) {
  char b[32];
  std::snprintf(b, sizeof b, "%04d-Q%d", d.year(), (d.month() - 1) / 3 + 1);
  return b;
}

}  // namespace vigil::analysis

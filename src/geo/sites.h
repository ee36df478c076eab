// vigil::geo — the sites a user watches (a mine, a cement plant, an office,
// a camp, a warehouse, a road project): what `vigil site add|import` reads,
// checks and hands to the site store.
//
// A site is a point with a radius: the events within the radius are the
// site's own, the forecast is P(at least one event within it). Names are
// unique (case-insensitive); types come from a fixed list (SiteTypes()).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vigil::geo {

struct Site {
  int64_t id = 0;  // set by the store
  std::string name, type, owner;
  double lat = 0, lon = 0;
  double radius_km = 10;
  std::string added_at;  // set by the store, ISO 8601 UTC
};

constexpr double kMaxSiteRadiusKm = 200;

// mine, plant, office, camp, warehouse, road_project.
const std::vector<std::string>& SiteTypes();

// Normalises the type (case, spaces and dashes: "Road project" ->
// road_project; empty -> office) and checks name (1..200 bytes of UTF-8),
// coordinates, radius (0, kMaxSiteRadiusKm] and owner. The message names
// the field and the fix.
core::Status ValidateSite(Site* site);

// Sites from a CSV file with a header naming at least name, lat (latitude)
// and lon (longitude, lng); type, owner and radius_km (radius) are optional
// (defaults: office, "", 10). Every row is checked: any bad row fails the
// whole file with its line number, so an import is all or nothing.
core::Result<std::vector<Site>> ParseSitesCsv(const std::string& path);
core::Result<std::vector<Site>> ParseSitesCsvText(std::string text);

// Sites from a GeoJSON FeatureCollection of Points whose properties carry
// name, type, owner and radius_km (the same defaults). Feature index in
// errors.
core::Result<std::vector<Site>> ParseSitesGeoJson(std::string_view text);

// Reads a CSV or GeoJSON file, chosen by its extension (.csv, .geojson,
// .json) or, failing that, by its first byte.
core::Result<std::vector<Site>> ReadSitesFile(const std::string& path);

// Compass bearing from one point to another, degrees clockwise from north,
// and its 16-point name (N, NNE, NE, ...).
double BearingDeg(double lat0, double lon0, double lat1, double lon1);
const char* CompassPoint(double bearing_deg);

}  // namespace vigil::geo

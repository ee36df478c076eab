// vigil::geo — reading polygon features from GeoJSON (RFC 7946, lon/lat).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace vigil::geo {

struct LonLat {
  double lon = 0, lat = 0;
};
using Ring = std::vector<LonLat>;

// A Polygon or MultiPolygon flattened to rings; point-in-polygon uses the
// even-odd rule over all rings, which handles holes and several parts.
struct PolygonFeature {
  std::map<std::string, std::string> properties;  // string-valued properties
  std::vector<Ring> rings;
  double min_lon = 0, min_lat = 0, max_lon = 0, max_lat = 0;
  std::string geometry_json;  // the geometry as read, for the database
};

// Reads every Polygon/MultiPolygon feature of a FeatureCollection file.
// Fails with kNotFound, kParse (not JSON, not a FeatureCollection) naming the
// file.
core::Result<std::vector<PolygonFeature>> ReadPolygonFeatures(const std::string& path);

bool PointInRings(const std::vector<Ring>& rings, double lon, double lat);

}  // namespace vigil::geo

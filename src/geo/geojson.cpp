#include "geo/geojson.h"

#include <algorithm>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

namespace vigil::geo {

namespace {

using nlohmann::json;

bool ReadRing(const json& coords, Ring* ring) {
  if (!coords.is_array()) return false;
  for (const auto& p : coords) {
    if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number()) return false;
    ring->push_back({p[0].get<double>(), p[1].get<double>()});
  }
  return ring->size() >= 3;
}

bool ReadPolygon(const json& coords, std::vector<Ring>* rings) {
  if (!coords.is_array()) return false;
  for (const auto& r : coords) {
    Ring ring;
    if (!ReadRing(r, &ring)) return false;
    rings->push_back(std::move(ring));
  }
  return true;
}

}  // namespace

core::Result<std::vector<PolygonFeature>> ReadPolygonFeatures(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::NotFound("cannot read " + path + " (check --data-dir or $VIGIL_DATA)");
  json doc = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return core::ParseError(path + " is not valid JSON");
  if (!doc.is_object() || doc.value("type", "") != "FeatureCollection" || !doc.contains("features"))
    return core::ParseError(path + " is not a GeoJSON FeatureCollection");
  std::vector<PolygonFeature> out;
  for (const auto& f : doc["features"]) {
    if (!f.is_object() || !f.contains("geometry") || !f["geometry"].is_object()) continue;
    const auto& g = f["geometry"];
    const std::string type = g.value("type", "");
    PolygonFeature pf;
    bool ok = false;
    if (type == "Polygon") {
      ok = ReadPolygon(g["coordinates"], &pf.rings);
    } else if (type == "MultiPolygon" && g["coordinates"].is_array()) {
      ok = true;
      for (const auto& poly : g["coordinates"]) ok = ok && ReadPolygon(poly, &pf.rings);
    }
    if (!ok || pf.rings.empty()) continue;
    if (f.contains("properties") && f["properties"].is_object())
      for (const auto& [k, v] : f["properties"].items())
        pf.properties[k] = v.is_string() ? v.get<std::string>() : v.dump();
    pf.min_lon = pf.min_lat = std::numeric_limits<double>::infinity();
    pf.max_lon = pf.max_lat = -std::numeric_limits<double>::infinity();
    for (const auto& r : pf.rings)
      for (const auto& p : r) {
        pf.min_lon = std::min(pf.min_lon, p.lon);
        pf.max_lon = std::max(pf.max_lon, p.lon);
        pf.min_lat = std::min(pf.min_lat, p.lat);
        pf.max_lat = std::max(pf.max_lat, p.lat);
      }
    pf.geometry_json = g.dump();
    out.push_back(std::move(pf));
  }
  if (out.empty()) return core::ParseError(path + " has no Polygon or MultiPolygon features");
  return out;
}

bool PointInRings(const std::vector<Ring>& rings, double lon, double lat) {
  bool inside = false;
  for (const auto& r : rings) {
    const size_t n = r.size();
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
      const LonLat& a = r[i];
      const LonLat& b = r[j];
      if ((a.lat > lat) != (b.lat > lat)) {
        const double x = (b.lon - a.lon) * (lat - a.lat) / (b.lat - a.lat) + a.lon;
        if (lon < x) inside = !inside;
      }
    }
  }
  return inside;
}

}  // namespace vigil::geo

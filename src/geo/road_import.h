// vigil::geo — a real road network from a file: LineString and
// MultiLineString features (an OpenStreetMap extract, a national roads layer),
// noded where lines share a vertex, into a RoadNetwork.
//
// Any format GDAL/OGR reads (GeoPackage, Shapefile, GeoJSON, FlatGeobuf...)
// is converted to GeoJSON in WGS84 by GDAL's `ogr2ogr` (Debian gdal-bin; run
// without a shell), then read here. (GDAL's C++ library is not linked: on
// Debian 12 libgdal-dev conflicts with the libboost1.81-dev the server is
// built with.)
//
// Noding: every line endpoint is a node, and so is every vertex that two or
// more lines share (coordinates equal to 1e-7°, about 1 cm); a line is cut at
// its interior nodes. Each piece is an edge whose km is its drawn length. The
// route of an edge is the feature's `route_field` property (default: the
// first of `ref`, `route`, `name`, `highway` that is set), else "road".
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "geo/gazetteer.h"
#include "geo/roads.h"

namespace vigil::geo {

struct RoadImportOptions {
  std::string layer;        // OGR layer (default: the first)
  std::string route_field;  // property naming a line's road
  size_t max_features = 5'000'000;
  // When set, a populated place within name_within_km of a junction names
  // it (with its GeoNames id and admin1): the nearest junction to each place
  // takes the name; every other junction keeps its "LAT,LON" name.
  const Gazetteer* gazetteer = nullptr;
  double name_within_km = 3.0;
};

struct RoadImportSummary {
  int64_t features = 0, lines = 0, skipped = 0;  // skipped: not lines, or < 2 points
  int64_t nodes = 0, edges = 0, named = 0;       // named: junctions given a town's name
  double km = 0;
  std::string first_skip;  // why the first skipped feature was skipped
};

// Reads a GeoJSON FeatureCollection's lines into a network. Fails with kParse
// for text that is not GeoJSON, kInvalidArgument for coordinates out of range
// (naming the feature) or a file with no line at all.
core::Result<RoadNetwork> NetworkFromGeoJson(std::string_view geojson, const RoadImportOptions& options,
                                             RoadImportSummary* summary);

// The file as GeoJSON through ogr2ogr (reprojected to EPSG:4326). Fails with
// kNotFound when the file or ogr2ogr is missing, kParse with ogr2ogr's message
// when GDAL cannot read it.
core::Result<std::string> ReadWithOgr(const std::string& path, const std::string& layer);

// ReadWithOgr, then NetworkFromGeoJson (GeoJSON files are read directly).
core::Result<RoadNetwork> ImportRoadNetwork(const std::string& path, const RoadImportOptions& options,
                                            RoadImportSummary* summary);

// A network as compact JSON and back: what the database keeps.
std::string NetworkToJson(const RoadNetwork& net);
core::Result<RoadNetwork> NetworkFromJson(std::string_view json);

}  // namespace vigil::geo

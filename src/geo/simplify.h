// vigil::geo — simplifying a coverage (polygons that tile an area without
// overlapping, such as the cercles of a country) so that neighbours keep
// one shared border, as TopoJSON does.
//
// Each ring is cut into arcs at its junctions (the vertices where the set
// of polygons owning the adjacent edges changes); every arc is simplified
// once (Douglas–Peucker, keeping its two ends) and each polygon that has it
// uses the same result, so a simplified border never opens a gap or an
// overlap between neighbours. Shared borders must share their vertices
// exactly in the input (OCHA's and Natural Earth's polygons do); where they
// do not, each polygon is simplified alone. A ring that would fall under
// four points keeps its original vertices.
//
// Why not GEOS: Debian 12's GEOS (3.11) simplifies one geometry at a time
// (GEOSTopologyPreserveSimplify keeps a polygon valid but not its border
// with the next); coverage simplification arrived in GEOS 3.12.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "core/json.h"
#include "core/status.h"
#include "geo/geojson.h"

namespace vigil::geo {

// A Polygon or MultiPolygon: polygons, each its outer ring then its holes;
// rings closed (last point = first).
struct Geometry {
  std::vector<std::vector<Ring>> polygons;
};

// Reads a GeoJSON Polygon or MultiPolygon geometry; kParse otherwise.
core::Result<Geometry> ParseGeometry(const core::Json& geometry);

// `tolerance` in degrees (the greatest distance a dropped vertex may lie
// from the simplified line). The output is aligned with `coverage`.
std::vector<Geometry> SimplifyCoverage(const std::vector<Geometry>& coverage, double tolerance);

// As GeoJSON (a Polygon when there is one part), coordinates rounded to
// `decimals` places.
core::Json GeometryToJson(const Geometry& g, int decimals);

}  // namespace vigil::geo

// vigil::geo — which polygon contains a point, fast.
//
// PolygonIndex puts polygons on a regular grid (0.1° by default). A grid cell
// that no polygon edge crosses is wholly inside one polygon (or none), so a
// lookup there is one array read; only points in cells crossed by an edge
// run an exact point-in-polygon test on the candidate polygons.
//
// Thread-safety: immutable after Build(); lookups are safe from any thread.
#pragma once

#include <cstdint>
#include <vector>

#include "geo/geojson.h"

namespace vigil::geo {

class PolygonIndex {
 public:
  PolygonIndex() = default;
  // `polygons` must outlive the index. cell_deg > 0.
  static PolygonIndex Build(const std::vector<PolygonFeature>* polygons, double cell_deg = 0.1);
  // Index into the polygons vector of the polygon containing (lon, lat), or
  // -1 when none does. On a shared edge either neighbour may be returned.
  int Find(double lon, double lat) const;
  bool empty() const { return polygons_ == nullptr || polygons_->empty(); }

 private:
  const std::vector<PolygonFeature>* polygons_ = nullptr;
  double cell_ = 0.1, lon0_ = 0, lat0_ = 0;
  int nx_ = 0, ny_ = 0;
  // Per cell: >= 0 polygon wholly covering it, -1 none, -2 edge cell (look
  // in edge_candidates_).
  std::vector<int32_t> cell_owner_;
  std::vector<std::vector<int32_t>> edge_candidates_;  // per cell, for -2 cells
};

}  // namespace vigil::geo

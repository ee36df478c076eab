#include "geo/admin.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vigil::geo {

PolygonIndex PolygonIndex::Build(const std::vector<PolygonFeature>* polygons, double cell_deg) {
  PolygonIndex idx;
  idx.polygons_ = polygons;
  idx.cell_ = cell_deg;
  if (polygons->empty()) return idx;
  double min_lon = std::numeric_limits<double>::infinity(), min_lat = min_lon;
  double max_lon = -min_lon, max_lat = -min_lon;
  for (const auto& p : *polygons) {
    min_lon = std::min(min_lon, p.min_lon);
    min_lat = std::min(min_lat, p.min_lat);
    max_lon = std::max(max_lon, p.max_lon);
    max_lat = std::max(max_lat, p.max_lat);
  }
  idx.lon0_ = std::floor(min_lon / cell_deg) * cell_deg;
  idx.lat0_ = std::floor(min_lat / cell_deg) * cell_deg;
  idx.nx_ = static_cast<int>(std::ceil((max_lon - idx.lon0_) / cell_deg)) + 1;
  idx.ny_ = static_cast<int>(std::ceil((max_lat - idx.lat0_) / cell_deg)) + 1;
  const size_t ncells = static_cast<size_t>(idx.nx_) * static_cast<size_t>(idx.ny_);
  idx.cell_owner_.assign(ncells, -1);
  idx.edge_candidates_.resize(ncells);

  auto cx = [&](double lon) {
    return std::clamp(static_cast<int>(std::floor((lon - idx.lon0_) / cell_deg)), 0, idx.nx_ - 1);
  };
  auto cy = [&](double lat) {
    return std::clamp(static_cast<int>(std::floor((lat - idx.lat0_) / cell_deg)), 0, idx.ny_ - 1);
  };

  // Mark cells touched by an edge's bounding box (conservative).
  for (size_t pi = 0; pi < polygons->size(); ++pi) {
    for (const auto& ring : (*polygons)[pi].rings) {
      for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const int x0 = cx(std::min(ring[i].lon, ring[j].lon)), x1 = cx(std::max(ring[i].lon, ring[j].lon));
        const int y0 = cy(std::min(ring[i].lat, ring[j].lat)), y1 = cy(std::max(ring[i].lat, ring[j].lat));
        for (int y = y0; y <= y1; ++y)
          for (int x = x0; x <= x1; ++x) {
            const size_t c = static_cast<size_t>(y) * static_cast<size_t>(idx.nx_) + static_cast<size_t>(x);
            auto& cand = idx.edge_candidates_[c];
            if (cand.empty() || cand.back() != static_cast<int32_t>(pi)) cand.push_back(static_cast<int32_t>(pi));
            idx.cell_owner_[c] = -2;
          }
      }
    }
  }
  // Edge cells also need polygons that cover them without an edge in them:
  // add every polygon whose bbox covers the cell.
  for (int y = 0; y < idx.ny_; ++y)
    for (int x = 0; x < idx.nx_; ++x) {
      const size_t c = static_cast<size_t>(y) * static_cast<size_t>(idx.nx_) + static_cast<size_t>(x);
      if (idx.cell_owner_[c] != -2) continue;
      const double lon = idx.lon0_ + (x + 0.5) * cell_deg, lat = idx.lat0_ + (y + 0.5) * cell_deg;
      for (size_t pi = 0; pi < polygons->size(); ++pi) {
        const auto& p = (*polygons)[pi];
        if (lon + cell_deg < p.min_lon || lon - cell_deg > p.max_lon || lat + cell_deg < p.min_lat ||
            lat - cell_deg > p.max_lat)
          continue;
        auto& cand = idx.edge_candidates_[c];
        if (std::find(cand.begin(), cand.end(), static_cast<int32_t>(pi)) == cand.end())
          cand.push_back(static_cast<int32_t>(pi));
      }
    }
  // Interior cells: the first polygon containing the cell centre owns it.
  // One scanline per row of cell centres: the ring edges crossing it, in
  // order, tell which centres are inside (the even-odd rule of
  // PointInRings, with the same arithmetic), instead of testing every
  // centre against every edge.
  std::vector<std::vector<double>> crossings;
  for (size_t pi = 0; pi < polygons->size(); ++pi) {
    const auto& p = (*polygons)[pi];
    const int ya = cy(p.min_lat), yb = cy(p.max_lat);
    crossings.assign(static_cast<size_t>(yb - ya + 1), {});
    for (const auto& ring : p.rings) {
      const size_t n = ring.size();
      for (size_t i = 0, j = n - 1; i < n; j = i++) {
        const LonLat& a = ring[i];
        const LonLat& b = ring[j];
        for (int y = cy(std::min(a.lat, b.lat)); y <= cy(std::max(a.lat, b.lat)); ++y) {
          const double lat = idx.lat0_ + (y + 0.5) * cell_deg;
          if ((a.lat > lat) != (b.lat > lat) && y >= ya && y <= yb)
            crossings[static_cast<size_t>(y - ya)].push_back((b.lon - a.lon) * (lat - a.lat) / (b.lat - a.lat) + a.lon);
        }
      }
    }
    for (int y = ya; y <= yb; ++y) {
      auto& xs = crossings[static_cast<size_t>(y - ya)];
      if (xs.empty()) continue;
      std::sort(xs.begin(), xs.end());
      size_t left = 0;  // crossings at or left of the centre
      for (int x = cx(xs.front()); x <= cx(xs.back()); ++x) {
        const double lon = idx.lon0_ + (x + 0.5) * cell_deg;
        while (left < xs.size() && xs[left] <= lon) ++left;
        const size_t c = static_cast<size_t>(y) * static_cast<size_t>(idx.nx_) + static_cast<size_t>(x);
        if (((xs.size() - left) & 1) && idx.cell_owner_[c] == -1) idx.cell_owner_[c] = static_cast<int32_t>(pi);
      }
    }
  }
  return idx;
}

int PolygonIndex::Find(double lon, double lat) const {
  if (empty()) return -1;
  const double fx = (lon - lon0_) / cell_, fy = (lat - lat0_) / cell_;
  if (fx < 0 || fy < 0 || fx >= nx_ || fy >= ny_) return -1;
  const size_t c =
      static_cast<size_t>(static_cast<int>(fy)) * static_cast<size_t>(nx_) + static_cast<size_t>(static_cast<int>(fx));
  const int32_t owner = cell_owner_[c];
  if (owner != -2) return owner;
  for (int32_t pi : edge_candidates_[c]) {
    const auto& p = (*polygons_)[static_cast<size_t>(pi)];
    if (lon < p.min_lon || lon > p.max_lon || lat < p.min_lat || lat > p.max_lat) continue;
    if (PointInRings(p.rings, lon, lat)) return pi;
  }
  return -1;
}

}  // namespace vigil::geo

// vigil::core — PRIO-GRID 0.5° cell arithmetic (Tollefsen, Strand & Buhaug
// 2012), so forecasts line up with UCDP and ViEWS:
//   row = floor((lat + 90) / 0.5) + 1,  col = floor((lon + 180) / 0.5) + 1,
//   gid = (row - 1) * 720 + col.
// A point on a cell's west or south edge belongs to that cell; lat 90 and
// lon 180 fold into the last row/column.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace vigil::core {

constexpr double kPrioCellDeg = 0.5;

inline int PrioRow(double lat) {
  int r = static_cast<int>(std::floor((lat + 90.0) / kPrioCellDeg)) + 1;
  return r > 360 ? 360 : (r < 1 ? 1 : r);
}
inline int PrioCol(double lon) {
  int c = static_cast<int>(std::floor((lon + 180.0) / kPrioCellDeg)) + 1;
  return c > 720 ? 720 : (c < 1 ? 1 : c);
}
inline int64_t PrioGid(double lat, double lon) { return static_cast<int64_t>(PrioRow(lat) - 1) * 720 + PrioCol(lon); }
inline int PrioGidRow(int64_t gid) { return static_cast<int>((gid - 1) / 720) + 1; }
inline int PrioGidCol(int64_t gid) { return static_cast<int>((gid - 1) % 720) + 1; }
// Cell centre.
inline double PrioLat(int64_t gid) { return -90.0 + (PrioGidRow(gid) - 0.5) * kPrioCellDeg; }
inline double PrioLon(int64_t gid) { return -180.0 + (PrioGidCol(gid) - 0.5) * kPrioCellDeg; }

// All cells that intersect [west, east] x [south, north]; empty if the box
// would cover more than `max_cells` cells.
inline std::vector<int64_t> PrioCellsInBox(double west, double south, double east, double north,
                                           size_t max_cells = 4096) {
  std::vector<int64_t> out;
  const int r0 = PrioRow(south), r1 = PrioRow(north), c0 = PrioCol(west), c1 = PrioCol(east);
  if (r1 < r0 || c1 < c0) return out;
  if (static_cast<size_t>(r1 - r0 + 1) * static_cast<size_t>(c1 - c0 + 1) > max_cells) return out;
  for (int r = r0; r <= r1; ++r)
    for (int c = c0; c <= c1; ++c) out.push_back(static_cast<int64_t>(r - 1) * 720 + c);
  return out;
}

}  // namespace vigil::core

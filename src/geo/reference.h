// vigil::geo — the bundled reference data, loaded once: gazetteer, OCHA admin
// polygons of Mali (2017 frame: 8 regions + Bamako, 50 cercles), Natural
// Earth country outlines, and the PRIO-GRID cells of the Sahel window.
//
// Reverse geocoding: a point inside Mali gets its OCHA cercle and region
// (admin1 spelled as GeoNames spells it: "Ségou", not OCHA's "Segou"); a
// point in Burkina Faso or Niger gets its country from Natural Earth and its
// admin1/admin2 from the nearest GeoNames populated place within 75 km
// (those countries have no bundled polygons yet); every point gets its
// PRIO-GRID gid.
//
// Thread-safety: immutable after Load(); share as shared_ptr<const>.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "geo/admin.h"
#include "geo/gazetteer.h"
#include "geo/geojson.h"

namespace vigil::geo {

struct AdminInfo {
  std::string country;
  std::string admin1, admin2;
  std::string admin1_pcode, admin2_pcode;
  int64_t gid = 0;
};

struct GridCell {
  int64_t gid = 0;
  int row = 0, col = 0;
  double xmin = 0, ymin = 0, xmax = 0, ymax = 0, lon = 0, lat = 0;
  std::string country;
  double mali_area_share = 0;
};

class Reference {
 public:
  // Loads everything under data_dir (see docs/data-formats.md for the
  // files). Fails with kNotFound naming the missing file.
  static core::Result<std::shared_ptr<const Reference>> Load(const std::string& data_dir);

  const Gazetteer& gazetteer() const { return gazetteer_; }
  AdminInfo Reverse(double lat, double lon) const;
  const std::vector<PolygonFeature>& admin1() const { return adm1_; }
  const std::vector<PolygonFeature>& admin2() const { return adm2_; }
  const std::vector<PolygonFeature>& countries() const { return countries_; }
  const std::vector<GridCell>& grid() const { return grid_; }
  // FNV-1a over the bytes of every file read: changes when the data does.
  const std::string& fingerprint() const { return fingerprint_; }
  const std::string& data_dir() const { return data_dir_; }

 private:
  Reference() = default;
  Gazetteer gazetteer_;
  std::vector<PolygonFeature> adm1_, adm2_, countries_;
  PolygonIndex adm2_index_, country_index_;
  std::vector<GridCell> grid_;
  std::string fingerprint_, data_dir_;
};

}  // namespace vigil::geo

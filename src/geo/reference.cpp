#include "geo/reference.h"

#include <cstdio>
#include <fstream>
#include <future>
#include <sstream>

#include "core/csv.h"
#include "core/priogrid.h"
#include "core/strings.h"

namespace vigil::geo {

using core::Result;

namespace {

uint64_t HashFile(const std::string& path, uint64_t h) {
  std::ifstream in(path, std::ios::binary);
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    for (std::streamsize i = 0; i < in.gcount(); ++i) {
      h ^= static_cast<unsigned char>(buf[i]);
      h *= 1099511628211ULL;
    }
  }
  return h;
}

Result<std::vector<GridCell>> ReadGrid(const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(core::CsvReader r, core::CsvReader::Open(path));
  VIGIL_ASSIGN_OR_RETURN(bool any, r.Next());
  if (!any || r.size() < 11 || r[0] != "gid") return core::ParseError(path + ": unexpected header");
  std::vector<GridCell> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, r.Next());
    if (!row) break;
    GridCell c;
    int64_t row_i = 0, col_i = 0;
    bool ok = core::ParseInt64(r[0], &c.gid) && core::ParseInt64(r[1], &row_i) && core::ParseInt64(r[2], &col_i) &&
              core::ParseDouble(r[3], &c.xmin) && core::ParseDouble(r[4], &c.ymin) &&
              core::ParseDouble(r[5], &c.xmax) && core::ParseDouble(r[6], &c.ymax) && core::ParseDouble(r[7], &c.lon) &&
              core::ParseDouble(r[8], &c.lat);
    if (!ok) return core::ParseError(path + ":" + std::to_string(r.line()) + ": bad grid row");
    c.row = static_cast<int>(row_i);
    c.col = static_cast<int>(col_i);
    c.country = r[9];
    core::ParseDouble(r[10], &c.mali_area_share);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

Result<std::shared_ptr<const Reference>> Reference::Load(const std::string& data_dir) {
  std::shared_ptr<Reference> ref(new Reference());
  ref->data_dir_ = data_dir;
  // The gazetteer and the files' fingerprint load on another core while
  // this thread reads the boundaries and the grid.
  auto gazetteer = std::async(std::launch::async, [&data_dir] { return Gazetteer::Load(data_dir); });
  auto fingerprint = std::async(std::launch::async, [&data_dir] {
    uint64_t h = 1469598103934665603ULL;
    for (const char* f : {"gazetteer/geonames_ML.csv", "gazetteer/geonames_BF.csv", "gazetteer/geonames_NE.csv",
                          "gazetteer/geonames_admin_codes.csv", "gazetteer/aliases.csv",
                          "boundaries/ocha_mli_adm2_2017.geojson", "boundaries/ocha_mli_adm1_2017.geojson",
                          "boundaries/ne10m_mali_neighbours_adm0.geojson", "grid/priogrid_sahel.csv"})
      h = HashFile(data_dir + "/" + f, h);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return std::string(buf);
  });
  // Both tasks finish before this function returns, whatever it returns.
  struct Join {
    std::future<Result<Gazetteer>>& g;
    std::future<std::string>& f;
    ~Join() {
      if (g.valid()) g.wait();
      if (f.valid()) f.wait();
    }
  } join{gazetteer, fingerprint};
  const std::string b = data_dir + "/boundaries/";
  VIGIL_ASSIGN_OR_RETURN(ref->adm1_, ReadPolygonFeatures(b + "ocha_mli_adm1_2017.geojson"));
  VIGIL_ASSIGN_OR_RETURN(ref->adm2_, ReadPolygonFeatures(b + "ocha_mli_adm2_2017.geojson"));
  VIGIL_ASSIGN_OR_RETURN(ref->countries_, ReadPolygonFeatures(b + "ne10m_mali_neighbours_adm0.geojson"));
  VIGIL_ASSIGN_OR_RETURN(ref->grid_, ReadGrid(data_dir + "/grid/priogrid_sahel.csv"));
  VIGIL_ASSIGN_OR_RETURN(ref->gazetteer_, gazetteer.get());
  // OCHA spells regions without accents; use the gazetteer's spelling.
  for (auto* polys : {&ref->adm1_, &ref->adm2_})
    for (auto& p : *polys) {
      const std::string canon = ref->gazetteer_.CanonicalAdmin1(p.properties["adm1"]);
      if (!canon.empty()) p.properties["adm1"] = canon;
    }
  ref->adm2_index_ = PolygonIndex::Build(&ref->adm2_, 0.1);
  ref->country_index_ = PolygonIndex::Build(&ref->countries_, 0.1);
  ref->fingerprint_ = fingerprint.get();
  return std::shared_ptr<const Reference>(std::move(ref));
}

AdminInfo Reference::Reverse(double lat, double lon) const {
  AdminInfo info;
  info.gid = core::PrioGid(lat, lon);
  const int a2 = adm2_index_.Find(lon, lat);
  if (a2 >= 0) {
    const auto& p = adm2_[static_cast<size_t>(a2)].properties;
    info.country = "Mali";
    auto get = [&](const char* k) {
      auto it = p.find(k);
      return it == p.end() ? std::string() : it->second;
    };
    info.admin1 = get("adm1");
    info.admin2 = get("adm2");
    info.admin1_pcode = get("adm1_pcode");
    info.admin2_pcode = get("adm2_pcode");
    return info;
  }
  const int c = country_index_.Find(lon, lat);
  if (c >= 0) {
    const auto& p = countries_[static_cast<size_t>(c)].properties;
    auto it = p.find("name");
    info.country = it == p.end() ? std::string() : it->second;
  }
  if (info.country == "Burkina Faso" || info.country == "Niger" || info.country == "Mali") {
    if (const Place* near = gazetteer_.NearestPopulated(lat, lon, 75.0)) {
      info.admin1 = near->admin1;
      info.admin2 = near->admin2;
    }
  }
  return info;
}

}  // namespace vigil::geo

#include "ingest/setup.h"

namespace vigil::ingest {

core::Result<InitReport> InitDatabase(store::EventStore* store, const geo::Reference& ref) {
  InitReport r;
  VIGIL_ASSIGN_OR_RETURN(r.version_before, store->Migrate());
  VIGIL_ASSIGN_OR_RETURN(r.version_after, store->Version());
  VIGIL_ASSIGN_OR_RETURN(std::string fp, store->ReferenceFingerprint());
  if (fp != ref.fingerprint()) {
    std::vector<store::PlaceRow> places;
    places.reserve(ref.gazetteer().places().size());
    for (const auto& p : ref.gazetteer().places()) {
      store::PlaceRow row;
      row.geonameid = p.id;
      row.name = p.name;
      row.asciiname = p.asciiname;
      row.alternatenames = p.alternatenames;
      row.latitude = p.lat;
      row.longitude = p.lon;
      row.feature_class = std::string(1, p.feature_class);
      row.feature_code = p.feature_code;
      row.country_code = p.country_code;
      row.admin1_name = p.admin1;
      row.admin2_name = p.admin2;
      row.population = p.population;
      row.origin = p.from_aliases ? "alias" : "geonames";
      places.push_back(std::move(row));
    }
    std::vector<store::AdminUnitRow> units;
    auto prop = [](const geo::PolygonFeature& f, const char* k) {
      auto it = f.properties.find(k);
      return it == f.properties.end() ? std::string() : it->second;
    };
    for (const auto& f : ref.admin1())
      units.push_back({prop(f, "adm1_pcode"), prop(f, "adm1"), "ML", "Mali", 1, f.min_lon, f.min_lat, f.max_lon,
                       f.max_lat, f.geometry_json});
    for (const auto& f : ref.admin2())
      units.push_back({prop(f, "adm2_pcode"), prop(f, "adm2"), prop(f, "adm1_pcode"), "Mali", 2, f.min_lon, f.min_lat,
                       f.max_lon, f.max_lat, f.geometry_json});
    std::vector<store::GridCellRow> cells;
    for (const auto& c : ref.grid())
      cells.push_back(
          {c.gid, c.row, c.col, c.xmin, c.ymin, c.xmax, c.ymax, c.lon, c.lat, c.country, c.mali_area_share});
    VIGIL_RETURN_IF_ERROR(store->ReplaceReference(places, units, cells, ref.fingerprint()));
    r.reference_loaded = true;
  }
  VIGIL_ASSIGN_OR_RETURN(r.places, store->CountReference("places"));
  VIGIL_ASSIGN_OR_RETURN(r.admin_units, store->CountReference("admin_units"));
  VIGIL_ASSIGN_OR_RETURN(r.grid_cells, store->CountReference("grid_cells"));
  return r;
}

}  // namespace vigil::ingest

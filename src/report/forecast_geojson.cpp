#include "report/forecast_geojson.h"

#include <algorithm>

namespace vigil::report {

using core::Json;

namespace {

bool IsAdmin(model::Level level) { return level == model::Level::kAdmin1 || level == model::Level::kAdmin2; }

// The p-code most of the unit's boxes fall in ("" outside Mali's polygons).
std::string PcodeOf(const model::Unit& u, model::Level level, const geo::Reference& ref) {
  std::map<std::string, int> votes;
  for (const auto& b : u.boxes) {
    const geo::AdminInfo a = ref.Reverse((b.lat0 + b.lat1) / 2, (b.lon0 + b.lon1) / 2);
    const std::string& p = level == model::Level::kAdmin1 ? a.admin1_pcode : a.admin2_pcode;
    if (!p.empty()) ++votes[p];
  }
  std::string pcode;
  int best = 0;
  for (const auto& [p, n] : votes)
    if (n > best) pcode = p, best = n;
  return pcode;
}

Json BoxOf(const model::Unit& u) {
  double s = 90, n = -90, w = 180, e = -180;
  for (const auto& b : u.boxes)
    s = std::min(s, b.lat0), n = std::max(n, b.lat1), w = std::min(w, b.lon0), e = std::max(e, b.lon1);
  return {{"type", "Polygon"}, {"coordinates", {{{w, s}, {e, s}, {e, n}, {w, n}, {w, s}}}}};
}

}  // namespace

Json ForecastProperties(const model::Unit& u, const model::UnitForecast& f, model::Level level,
                        const geo::Reference& ref, const ForecastFeatureOptions& o) {
  Json props{{"unit", u.id}, {"expected_count", f.expected}, {"p_any", f.p_any}};
  if (o.quantiles) props["p10"] = f.p10, props["p50"] = f.p50, props["p90"] = f.p90;
  if (f.observed_30d >= 0) props["observed_30d"] = f.observed_30d;
  if (level == model::Level::kCell) {
    props["gid"] = u.gid;
    if (o.admin_names) {
      const geo::AdminInfo a = ref.Reverse(u.lat, u.lon);
      props["admin1"] = a.admin1;
      props["admin2"] = a.admin2;
    }
  }
  if (IsAdmin(level) && !u.boxes.empty()) props["pcode"] = PcodeOf(u, level, ref);
  return props;
}

Json ForecastFeature(const model::Unit& u, const model::UnitForecast& f, model::Level level, const geo::Reference& ref,
                     const ForecastFeatureOptions& o) {
  Json props = ForecastProperties(u, f, level, ref, o);
  Json geom = {{"type", "Point"}, {"coordinates", {u.lon, u.lat}}};
  if (level == model::Level::kCell && !u.boxes.empty()) geom = BoxOf(u);
  if (IsAdmin(level) && o.admin_geometry && props.contains("pcode")) {
    auto it = o.admin_geometry->find(props["pcode"].get<std::string>());
    if (it != o.admin_geometry->end()) geom = Json::parse(it->second);
  }
  return {{"type", "Feature"}, {"geometry", geom}, {"properties", props}};
}

}  // namespace vigil::report

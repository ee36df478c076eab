#include "geo/sites.h"

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "core/csv.h"
#include "core/event.h"
#include "core/json.h"
#include "core/strings.h"

namespace vigil::geo {

using core::Result;
using core::Status;

const std::vector<std::string>& SiteTypes() {
  static const std::vector<std::string> kTypes = {"mine", "plant", "office", "camp", "warehouse", "road_project"};
  return kTypes;
}

namespace {

std::string TypeKey(std::string_view s) {
  std::string k = core::AsciiLower(core::Trim(s));
  for (char& c : k)
    if (c == ' ' || c == '-') c = '_';
  return k;
}

std::string TypeList() {
  std::string out;
  for (const auto& t : SiteTypes()) out += (out.empty() ? "" : ", ") + t;
  return out;
}

Result<double> Number(std::string_view field, std::string_view text) {
  double v;
  if (!core::ParseDouble(core::Trim(text), &v) || !std::isfinite(v))
    return core::InvalidArgument(std::string(field) + " '" + std::string(text) + "' is not a number");
  return v;
}

}  // namespace

Status ValidateSite(Site* s) {
  s->name = std::string(core::Trim(s->name));
  if (s->name.empty()) return core::InvalidArgument("a site needs a name");
  if (s->name.size() > 200 || !core::IsValidUtf8(s->name))
    return core::InvalidArgument("site name must be at most 200 bytes of UTF-8");
  if (!core::IsValidUtf8(s->owner) || s->owner.size() > 200)
    return core::InvalidArgument("owner must be at most 200 bytes of UTF-8");
  s->type = s->type.empty() ? "office" : TypeKey(s->type);
  bool known = false;
  for (const auto& t : SiteTypes()) known = known || t == s->type;
  if (!known) return core::InvalidArgument("site type '" + s->type + "' is not one of " + TypeList());
  if (!core::ValidLatLon(s->lat, s->lon))
    return core::InvalidArgument("coordinates " + std::to_string(s->lat) + "," + std::to_string(s->lon) +
                                 " are out of range (latitude -90..90, longitude -180..180)");
  if (s->lat == 0 && s->lon == 0)
    return core::InvalidArgument("coordinates 0,0 are a placeholder, not a site; give the real position");
  if (!(s->radius_km > 0 && s->radius_km <= kMaxSiteRadiusKm))
    return core::InvalidArgument("radius must be in (0, " + std::to_string(static_cast<int>(kMaxSiteRadiusKm)) +
                                 "] km");
  return Status::Ok();
}

Result<std::vector<Site>> ParseSitesCsvText(std::string text) {
  auto csv = core::CsvReader::FromString(std::move(text));
  VIGIL_ASSIGN_OR_RETURN(bool any, csv.Next());
  if (!any)
    return core::InvalidArgument("the sites file is empty; it needs a header: name,type,owner,lat,lon,radius_km");
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < csv.size(); ++i) {
    std::string k = core::AsciiLower(core::Trim(csv[i]));
    if (k == "latitude") k = "lat";
    if (k == "longitude" || k == "lng") k = "lon";
    if (k == "radius") k = "radius_km";
    col.emplace(k, i);
  }
  for (const char* need : {"name", "lat", "lon"})
    if (!col.count(need))
      return core::InvalidArgument(std::string("the header has no '") + need +
                                   "' column (expected name,type,owner,lat,lon,radius_km)");
  auto get = [&](const char* k) -> std::string_view {
    auto it = col.find(k);
    return it == col.end() ? std::string_view() : core::Trim(csv[it->second]);
  };
  std::vector<Site> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, csv.Next());
    if (!row) break;
    if (csv.size() == 1 && core::Trim(csv[0]).empty()) continue;  // blank line
    const std::string where = "line " + std::to_string(csv.line()) + ": ";
    Site s;
    s.name = std::string(get("name"));
    s.type = std::string(get("type"));
    s.owner = std::string(get("owner"));
    auto lat = Number("lat", get("lat"));
    auto lon = Number("lon", get("lon"));
    if (!lat.ok()) return core::InvalidArgument(where + lat.status().message());
    if (!lon.ok()) return core::InvalidArgument(where + lon.status().message());
    s.lat = *lat;
    s.lon = *lon;
    if (!get("radius_km").empty()) {
      auto r = Number("radius_km", get("radius_km"));
      if (!r.ok()) return core::InvalidArgument(where + r.status().message());
      s.radius_km = *r;
    }
    if (auto st = ValidateSite(&s); !st.ok()) return core::InvalidArgument(where + st.message());
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<Site>> ParseSitesGeoJson(std::string_view text) {
  VIGIL_ASSIGN_OR_RETURN(core::Json doc, core::ParseJson(text));
  if (!doc.is_object() || doc.value("type", "") != "FeatureCollection" || !doc.contains("features") ||
      !doc["features"].is_array())
    return core::InvalidArgument("expected a GeoJSON FeatureCollection of Points");
  std::vector<Site> out;
  size_t i = 0;
  for (const auto& f : doc["features"]) {
    const std::string where = "feature " + std::to_string(i++) + ": ";
    if (!f.is_object() || !f.contains("geometry") || !f["geometry"].is_object() ||
        f["geometry"].value("type", "") != "Point" || !f["geometry"].contains("coordinates") ||
        !f["geometry"]["coordinates"].is_array() || f["geometry"]["coordinates"].size() < 2 ||
        !f["geometry"]["coordinates"][0].is_number() || !f["geometry"]["coordinates"][1].is_number())
      return core::InvalidArgument(where + "not a Point with [lon, lat] coordinates");
    const core::Json props = f.contains("properties") && f["properties"].is_object() ? f["properties"] : core::Json();
    auto str = [&](const char* k) {
      return props.is_object() && props.contains(k) && props[k].is_string() ? props[k].get<std::string>()
                                                                            : std::string();
    };
    Site s;
    s.lon = f["geometry"]["coordinates"][0].get<double>();
    s.lat = f["geometry"]["coordinates"][1].get<double>();
    s.name = str("name");
    s.type = str("type");
    s.owner = str("owner");
    if (props.is_object() && props.contains("radius_km")) {
      if (!props["radius_km"].is_number()) return core::InvalidArgument(where + "radius_km is not a number");
      s.radius_km = props["radius_km"].get<double>();
    }
    if (auto st = ValidateSite(&s); !st.ok()) return core::InvalidArgument(where + st.message());
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<Site>> ReadSitesFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > (64u << 20)) return core::TooLarge(path + " is over 64 MiB; split it");
  const std::string lower = core::AsciiLower(path);
  auto ends = [&](const char* suf) {
    const std::string x(suf);
    return lower.size() >= x.size() && lower.compare(lower.size() - x.size(), x.size(), x) == 0;
  };
  const std::string_view body = core::Trim(text);
  const bool json = ends(".geojson") || ends(".json") || (!ends(".csv") && !body.empty() && body[0] == '{');
  auto r = json ? ParseSitesGeoJson(text) : ParseSitesCsvText(std::move(text));
  if (!r.ok()) return Status(r.status().code(), path + ": " + r.status().message());
  return r;
}

double BearingDeg(double lat0, double lon0, double lat1, double lon1) {
  constexpr double k = 3.14159265358979323846 / 180;
  const double y = std::sin((lon1 - lon0) * k) * std::cos(lat1 * k);
  const double x =
      std::cos(lat0 * k) * std::sin(lat1 * k) - std::sin(lat0 * k) * std::cos(lat1 * k) * std::cos((lon1 - lon0) * k);
  const double b = std::atan2(y, x) / k;
  return b < 0 ? b + 360 : b;
}

const char* CompassPoint(double bearing_deg) {
  static const char* kPoints[] = {"N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
                                  "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"};
  const int i = static_cast<int>(std::floor(std::fmod(bearing_deg + 11.25, 360.0) / 22.5));
  return kPoints[(i % 16 + 16) % 16];
}

}  // namespace vigil::geo

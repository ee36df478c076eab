#include <cstdio>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/event_json.h"
#include "core/strings.h"
#include "geo/gazetteer.h"

namespace vigil::cli {

namespace {

struct GeocodeCliOptions {
  std::string name, admin1, near, country, format = "table";
  size_t limit = 10;
};

int Run(const Globals& g, const GeocodeCliOptions& o) {
  auto fmt = ParseFormat(o.format, {Format::kTable, Format::kJson});
  if (!fmt.ok()) return Fail(fmt.status());
  geo::GeocodeOptions opt;
  opt.admin1 = o.admin1;
  opt.country = o.country;
  opt.limit = o.limit;
  if (!o.near.empty()) {
    auto ll = ParseLatLon(o.near);
    if (!ll.ok()) return Fail(core::InvalidArgument("--near: " + ll.status().message()));
    opt.near = *ll;
  }
  if (!o.country.empty() && geo::CountryIso2(o.country).empty())
    return Fail(core::InvalidArgument("--country '" + o.country + "' is not Mali, Burkina Faso or Niger"));
  auto ref = LoadReference(g);
  if (!ref.ok()) return Fail(ref.status());
  const auto& gaz = (*ref)->gazetteer();
  if (!o.admin1.empty() && gaz.CanonicalAdmin1(o.admin1).empty())
    return Fail(core::NotFound("--admin1 '" + o.admin1 + "' is not a region of Mali, Burkina Faso or Niger"));
  auto cands = gaz.Geocode(o.name, opt);
  // GeoNames leaves many places' cercle blank: the bundled polygons (or, in
  // Burkina Faso and Niger, the nearest place) give it.
  auto admin2_of = [&](const geo::Place& p) {
    return p.admin2.empty() ? (*ref)->Reverse(p.lat, p.lon).admin2 : p.admin2;
  };
  if (*fmt == Format::kJson) {
    core::Json arr = core::Json::array();
    for (const auto& c : cands) {
      const auto& p = *c.place;
      arr.push_back({{"name", p.name},
                     {"geonameid", p.id},
                     {"latitude", p.lat},
                     {"longitude", p.lon},
                     {"country", geo::CountryName(p.country_code)},
                     {"admin1", p.admin1},
                     {"admin2", admin2_of(p)},
                     {"admin2_from", p.admin2.empty() ? "polygon" : "geonames"},
                     {"feature_code", p.feature_code},
                     {"match", geo::MatchKindName(c.match)},
                     {"matched_name", c.matched_name},
                     {"score", c.score},
                     {"distance_km", c.distance_km >= 0 ? core::Json(c.distance_km) : core::Json(nullptr)},
                     {"note", p.note}});
    }
    std::printf("%s\n", core::Json{{"query", o.name}, {"candidates", arr}}.dump().c_str());
  } else {
    std::printf("%s %s %10s %11s %s %s %s %s %6s\n", Cell("#", 2).c_str(), Cell("name", 22).c_str(), "lat", "lon",
                Cell("admin1", 12).c_str(), Cell("admin2", 18).c_str(), Cell("country", 12).c_str(),
                Cell("feature", 9).c_str(), "score");
    int i = 0;
    for (const auto& c : cands) {
      const auto& p = *c.place;
      std::printf("%s %s %10.5f %11.5f %s %s %s %s %6.3f%s\n", Cell(std::to_string(++i), 2).c_str(),
                  Cell(p.name, 22).c_str(), p.lat, p.lon, Cell(p.admin1, 12).c_str(), Cell(admin2_of(p), 18).c_str(),
                  Cell(geo::CountryName(p.country_code), 12).c_str(),
                  Cell(p.feature_code + (c.match == geo::MatchKind::kFuzzy ? "~" : ""), 9).c_str(), c.score,
                  c.distance_km >= 0 ? ("  " + std::to_string(static_cast<int>(c.distance_km)) + " km").c_str() : "");
      if (!p.note.empty()) std::printf("   note: %s\n", core::EscapeControl(p.note).c_str());
    }
  }
  if (cands.empty()) {
    std::fprintf(stderr, "vigil: no place matches '%s' (check the spelling, or drop --country)\n", o.name.c_str());
    return core::ExitCode(core::Code::kNotFound);
  }
  return 0;
}

}  // namespace

void AddGeocode(CLI::App& app, Globals& g, int& rc) {
  auto o = std::make_shared<GeocodeCliOptions>();
  auto* cmd = app.add_subcommand("geocode", "ranked candidate places for a name (Mali, Burkina Faso, Niger)");
  cmd->add_option("name", o->name, "place name, any accents or case")->required();
  cmd->add_option("--admin1", o->admin1, "region hint: candidates there rank first");
  cmd->add_option("--near", o->near, "LAT,LON: candidates near this point rank first");
  cmd->add_option("--country", o->country, "only this country");
  cmd->add_option("--limit", o->limit, "at most this many candidates (default 10)");
  cmd->add_option("--format", o->format, "table or json");
  cmd->callback([&g, &rc, o] { rc = Run(g, *o); });
}

}  // namespace vigil::cli

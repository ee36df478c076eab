// vigil site add|import|list|show|remove (docs/sites.md).
#include <cstdio>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/json.h"
#include "model/road_json.h"
#include "model/road_service.h"
#include "model/site_exposure.h"
#include "model/site_json.h"
#include "model/site_store.h"

namespace vigil::cli {

namespace {

using core::Json;

struct SiteFlags {
  std::string name, type, owner, at, file, format = "table", as_of, lang = "en";
  double lat = 1000, lon = 1000, radius_km = 10;
  bool replace = false, exposure = false;
};

core::Result<std::unique_ptr<model::SiteStore>> Sites(const Globals& g) { return model::SiteStore::Open(ResolveStateDb(g)); }

// Exposure of `sites` as of --as-of (or the latest model snapshot).
core::Result<model::SiteReport> Expose(const Globals& g, const std::vector<geo::Site>& sites, const SiteFlags& f) {
  std::optional<core::Date> date;
  if (!f.as_of.empty()) {
    auto d = core::Date::Parse(f.as_of);
    if (!d.ok()) return core::InvalidArgument("--as-of: " + d.status().message());
    date = *d;
  }
  VIGIL_ASSIGN_OR_RETURN(std::string dir, ResolveDataDir(g));
  VIGIL_ASSIGN_OR_RETURN(auto roads, model::LoadRoadsFor(dir, ResolveStateDb(g)));
  VIGIL_ASSIGN_OR_RETURN(auto st, OpenStore(g));
  return model::AssessSites(st.get(), roads, sites, date);
}

int Added(const std::vector<geo::Site>& sites, const std::vector<int64_t>& ids, bool replace) {
  for (size_t i = 0; i < sites.size(); ++i)
    std::printf("%s site %lld: %s (%s, %.4f,%.4f, radius %.1f km)\n", replace ? "stored" : "added",
                static_cast<long long>(ids[i]), sites[i].name.c_str(), sites[i].type.c_str(), sites[i].lat,
                sites[i].lon, sites[i].radius_km);
  return 0;
}

int RunAdd(const Globals& g, const SiteFlags& f) {
  geo::Site s;
  s.name = f.name;
  s.type = f.type;
  s.owner = f.owner;
  if (!f.at.empty()) {
    auto ll = ParseLatLon(f.at);
    if (!ll.ok()) return Fail(ll.status());
    s.lat = ll->first, s.lon = ll->second;
  } else {
    if (f.lat == 1000 || f.lon == 1000) return Fail(core::InvalidArgument("give the site's position: --at LAT,LON"));
    s.lat = f.lat, s.lon = f.lon;
  }
  s.radius_km = f.radius_km;
  if (auto st = geo::ValidateSite(&s); !st.ok()) return Fail(st);
  auto store = Sites(g);
  if (!store.ok()) return Fail(store.status());
  auto ids = (*store)->Add({s}, f.replace);
  if (!ids.ok()) return Fail(ids.status());
  return Added({s}, *ids, f.replace);
}

int RunImport(const Globals& g, const SiteFlags& f) {
  auto sites = geo::ReadSitesFile(f.file);
  if (!sites.ok()) return Fail(sites.status());
  auto store = Sites(g);
  if (!store.ok()) return Fail(store.status());
  auto ids = (*store)->Add(*sites, f.replace);
  if (!ids.ok()) return Fail(ids.status());
  if (!g.quiet) Added(*sites, *ids, f.replace);
  std::printf("%zu sites from %s\n", sites->size(), f.file.c_str());
  return 0;
}

void PrintExposureRow(const model::SiteReport& rep, const model::SiteExposure& x) {
  std::string worst = "-";
  for (const auto& c : x.corridors) {
    const auto& st = rep.corridors.statuses[c.status];
    if (st.state != geo::CorridorState::kOpen) {
      worst = st.corridor->id + " " + geo::CorridorStateName(st.state);
      break;
    }
  }
  if (worst == "-" && !x.corridors.empty()) worst = "open";
  char p7[16] = "-", p30[16] = "-";
  if (x.forecast.size() >= 2) {
    std::snprintf(p7, sizeof p7, "%.1f%%", 100 * x.forecast[0].p_any);
    std::snprintf(p30, sizeof p30, "%.1f%%", 100 * x.forecast[1].p_any);
  }
  std::printf("%4lld %s %s %5d %5d %-8s %7s %7s  %s\n", static_cast<long long>(x.site.id),
              Cell(x.site.name, 28).c_str(), Cell(x.site.type, 12).c_str(), x.events_short, x.events_long,
              model::TrendName(x.trend), p7, p30, worst.c_str());
}

int RunList(const Globals& g, const SiteFlags& f) {
  auto fmt = ParseFormat(f.format, {Format::kTable, Format::kJson, Format::kGeojson});
  if (!fmt.ok()) return Fail(fmt.status());
  auto store = Sites(g);
  if (!store.ok()) return Fail(store.status());
  auto sites = (*store)->List();
  if (!sites.ok()) return Fail(sites.status());
  std::optional<model::SiteReport> rep;
  if (f.exposure && !sites->empty()) {
    auto r = Expose(g, *sites, f);
    if (!r.ok()) return Fail(r.status());
    rep = std::move(*r);
  }
  const bool fr = f.lang == "fr";
  if (*fmt != Format::kTable) {
    Json arr = Json::array();
    for (size_t i = 0; i < sites->size(); ++i) {
      Json props = rep ? model::SiteExposureJson(*rep, rep->sites[i], fr) : model::SiteJson((*sites)[i]);
      arr.push_back(*fmt == Format::kGeojson ? model::SiteFeature((*sites)[i], std::move(props)) : std::move(props));
    }
    Json out = *fmt == Format::kGeojson ? model::FeatureCollection(arr) : Json{{"sites", arr}};
    if (rep) out["as_of"] = rep->as_of.ToIso();
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }
  if (sites->empty()) {
    std::printf("no sites yet: `vigil site add NAME --at LAT,LON --type mine` or `vigil site import FILE`\n");
    return 0;
  }
  if (rep) {
    std::printf("Site exposure as of %s%s\n\n", rep->as_of.ToIso().c_str(),
                rep->snapshot_id ? "" : " (no forecast: run `vigil fit` first)");
    std::printf("%4s %s %s %5s %5s %-8s %7s %7s  %s\n", "id", Cell("site", 28).c_str(), Cell("type", 12).c_str(), "30d",
                "90d", "trend", "P(7d)", "P(30d)", "corridors");
    for (const auto& x : rep->sites) PrintExposureRow(*rep, x);
    return 0;
  }
  std::printf("%4s %s %s %s %9s %9s %7s\n", "id", Cell("site", 28).c_str(), Cell("type", 12).c_str(),
              Cell("owner", 20).c_str(), "lat", "lon", "radius");
  for (const auto& s : *sites)
    std::printf("%4lld %s %s %s %9.4f %9.4f %5.1fkm\n", static_cast<long long>(s.id), Cell(s.name, 28).c_str(),
                Cell(s.type, 12).c_str(), Cell(s.owner, 20).c_str(), s.lat, s.lon, s.radius_km);
  return 0;
}

const char* const kTrendFr[] = {"stable", "en hausse", "en baisse"};  // Trend's order

void PrintShow(const model::SiteReport& rep, const model::SiteExposure& x, bool fr) {
  const auto& s = x.site;
  std::printf("%s (%s%s%s), %.4f,%.4f, radius %.1f km — %s %s\n\n", s.name.c_str(), s.type.c_str(),
              s.owner.empty() ? "" : ", ", s.owner.c_str(), s.lat, s.lon, s.radius_km, fr ? "au" : "as of",
              rep.as_of.ToIso().c_str());
  std::printf(fr ? "Violence politique dans le rayon : %d en 30 jours, %d en 90 jours (%lld morts) ; %d les 90 jours "
                   "d'avant : %s (p = %.3f)\n"
                 : "Political violence within the radius: %d in 30 days, %d in 90 days (%lld killed); %d in the 90 "
                   "days before: %s (p = %.3f)\n",
              x.events_short, x.events_long, static_cast<long long>(x.fatalities_long), x.events_before,
              fr ? kTrendFr[static_cast<int>(x.trend)] : model::TrendName(x.trend), x.trend_p);
  if (x.forecast.empty())
    std::printf(fr ? "Prévision : aucune (%s)\n" : "Forecast: none (%s)\n", rep.forecast_note.c_str());
  for (size_t h = 0; h < x.forecast.size(); ++h)
    std::printf(fr ? "Prévision à %d jours : P(au moins un événement dans le rayon) %.1f %%, %.2f attendus (modèle "
                     "%lld)\n"
                   : "Forecast over %d days: P(at least one event within the radius) %.1f%%, %.2f expected (model "
                     "snapshot %lld)\n",
                rep.horizons[h], 100 * x.forecast[h].p_any, x.forecast[h].expected,
                static_cast<long long>(rep.snapshot_id));
  std::printf(fr ? "\nMenaces récentes les plus proches (30 jours, 100 km) :\n"
                 : "\nNearest recent threats (30 days, within 100 km):\n");
  if (x.threats.empty()) std::printf(fr ? "  aucune\n" : "  none\n");
  for (const auto& t : x.threats) {
    const auto& e = rep.events[t.event];
    std::printf("  %s %5.1f km %-3s %s, %s (%s)\n", e.date_start.ToIso().c_str(), t.km,
                geo::CompassPoint(t.bearing_deg), e.location.c_str(), e.sub_event_type.c_str(), e.actor1.c_str());
  }
  std::printf(fr ? "\nCorridors qui desservent le site :\n" : "\nCorridors serving the site:\n");
  if (x.corridors.empty()) std::printf(fr ? "  aucun à moins de 25 km\n" : "  none within 25 km\n");
  const char* fr_state[] = {"ouvert", "perturbé", "bloqué"};
  for (const auto& c : x.corridors) {
    const auto& st = rep.corridors.statuses[c.status];
    std::printf("  %s %5.1f km  %s  %s\n", Cell(st.corridor->id, 12).c_str(), c.km,
                Cell(fr ? fr_state[static_cast<int>(st.state)] : geo::CorridorStateName(st.state), 10).c_str(),
                (fr ? st.reason_fr : st.reason_en).c_str());
  }
}

int RunShow(const Globals& g, const SiteFlags& f) {
  auto fmt = ParseFormat(f.format, {Format::kTable, Format::kJson, Format::kGeojson});
  if (!fmt.ok()) return Fail(fmt.status());
  if (f.lang != "en" && f.lang != "fr") return Fail(core::InvalidArgument("--lang must be en or fr"));
  auto store = Sites(g);
  if (!store.ok()) return Fail(store.status());
  auto site = (*store)->Find(f.name);
  if (!site.ok()) return Fail(site.status());
  if (!*site) return Fail(core::NotFound("no site '" + f.name + "'; see `vigil site list`"));
  auto rep = Expose(g, {**site}, f);
  if (!rep.ok()) return Fail(rep.status());
  const bool fr = f.lang == "fr";
  if (*fmt == Format::kTable) {
    PrintShow(*rep, rep->sites[0], fr);
    return 0;
  }
  Json props = model::SiteExposureJson(*rep, rep->sites[0], fr);
  std::printf("%s\n", (*fmt == Format::kGeojson ? model::SiteFeature(**site, props) : props).dump().c_str());
  return 0;
}

int RunRemove(const Globals& g, const SiteFlags& f) {
  auto store = Sites(g);
  if (!store.ok()) return Fail(store.status());
  if (auto st = (*store)->Remove(f.name); !st.ok()) return Fail(st);
  std::printf("removed site %s\n", f.name.c_str());
  return 0;
}

}  // namespace

void AddSite(CLI::App& app, Globals& g, int& rc) {
  auto* site =
      app.add_subcommand("site", "watched sites (mines, plants, offices...) and their exposure (docs/sites.md)");
  site->require_subcommand(1);
  std::string types;
  for (const auto& t : geo::SiteTypes()) types += (types.empty() ? "" : ", ") + t;
  {
    auto o = std::make_shared<SiteFlags>();
    auto* cmd = site->add_subcommand("add", "add a site");
    cmd->add_option("NAME", o->name, "a unique name")->required();
    cmd->add_option("--at", o->at, "LAT,LON of the site");
    cmd->add_option("--lat", o->lat, "latitude (instead of --at)")->default_str("");
    cmd->add_option("--lon", o->lon, "longitude (instead of --at)")->default_str("");
    cmd->add_option("--type", o->type, types + " (default office)");
    cmd->add_option("--owner", o->owner, "who runs it");
    cmd->add_option("--radius-km", o->radius_km, "the site's area of concern (default 10 km)");
    cmd->add_flag("--replace", o->replace, "update a site of the same name instead of failing");
    cmd->callback([&g, &rc, o] { rc = RunAdd(g, *o); });
  }
  {
    auto o = std::make_shared<SiteFlags>();
    auto* cmd = site->add_subcommand("import", "add sites from CSV (name,type,owner,lat,lon,radius_km) or GeoJSON");
    cmd->add_option("FILE", o->file, "a .csv or .geojson file; all its sites are added, or none")->required();
    cmd->add_flag("--replace", o->replace, "update sites of the same name instead of failing");
    cmd->callback([&g, &rc, o] { rc = RunImport(g, *o); });
  }
  {
    auto o = std::make_shared<SiteFlags>();
    auto* cmd = site->add_subcommand("list", "the sites, with --exposure their recent events, forecast and corridors");
    cmd->add_flag("--exposure", o->exposure, "add each site's exposure");
    cmd->add_option("--as-of", o->as_of, "YYYY-MM-DD for --exposure (default: the latest model snapshot)");
    cmd->add_option("--lang", o->lang, "en (default) or fr");
    cmd->add_option("--format", o->format, "table (default), json or geojson");
    cmd->callback([&g, &rc, o] { rc = RunList(g, *o); });
  }
  {
    auto o = std::make_shared<SiteFlags>();
    auto* cmd = site->add_subcommand("show", "one site's exposure");
    cmd->add_option("SITE", o->name, "site id or name")->required();
    cmd->add_option("--as-of", o->as_of, "YYYY-MM-DD (default: the latest model snapshot)");
    cmd->add_option("--lang", o->lang, "en (default) or fr");
    cmd->add_option("--format", o->format, "table (default), json or geojson");
    cmd->callback([&g, &rc, o] { rc = RunShow(g, *o); });
  }
  {
    auto o = std::make_shared<SiteFlags>();
    auto* cmd = site->add_subcommand("remove", "remove a site");
    cmd->add_option("SITE", o->name, "site id or name")->required();
    cmd->callback([&g, &rc, o] { rc = RunRemove(g, *o); });
  }
}

}  // namespace vigil::cli

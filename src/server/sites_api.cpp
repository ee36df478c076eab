// /api/v1/sites (docs/http.md, docs/sites.md): the watched sites as GeoJSON
// with their exposure, the same figures as `vigil site list --exposure` and
// `vigil site show`; analysts add (POST) and remove (DELETE) them.
#include "core/json.h"
#include "core/strings.h"
#include "model/road_json.h"
#include "model/road_service.h"
#include "model/site_exposure.h"
#include "model/site_json.h"
#include "model/site_store.h"
#include "server/internal.h"

namespace vigil::server {

using core::Json;
using core::Status;

namespace {

struct SiteApiState {
  std::shared_ptr<const model::Roads> roads;
  Status load_error;
};

core::Result<bool> French(const Request& req) {
  if (!req.has_param("lang")) return false;
  const std::string lang = Param(req, "lang");
  if (lang != "en" && lang != "fr") return core::InvalidArgument("lang must be en or fr");
  return lang == "fr";
}

core::Result<std::optional<core::Date>> AsOf(const Request& req) {
  if (!req.has_param("as_of")) return std::optional<core::Date>();
  auto d = core::Date::Parse(Param(req, "as_of"));
  if (!d.ok()) return core::InvalidArgument("as_of: " + d.status().message());
  return std::optional<core::Date>(*d);
}

// The API never fits a model: as_of picks the dates of the counts, threats
// and corridors; the forecast is the latest snapshot's, when it was fitted
// at that date, else none.
core::Result<model::SiteReport> Expose(Ctx& c, const SiteApiState& ss, const std::vector<geo::Site>& sites) {
  if (!ss.roads) return core::Unavailable("the road network did not load: " + ss.load_error.message());
  VIGIL_ASSIGN_OR_RETURN(auto as_of, AsOf(c.req));
  std::optional<core::Date> use = std::nullopt;
  if (as_of) {
    VIGIL_ASSIGN_OR_RETURN(auto snap, c.conn->store->LatestSnapshot("hawkes"));
    if (!snap || snap->as_of != *as_of) {
      model::SiteConfig cfg;
      cfg.horizons.clear();  // no forecast, counts only
      VIGIL_ASSIGN_OR_RETURN(auto rep, model::AssessSites(c.conn->store.get(), ss.roads, sites, as_of, cfg));
      rep.forecast_note = "no model snapshot fitted at " + as_of->ToIso() + " (the API does not fit; `vigil fit`)";
      return rep;
    }
  }
  return model::AssessSites(c.conn->store.get(), ss.roads, sites, use);
}

Status ListSites(Ctx& c, const State& st, const SiteApiState& ss) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"as_of", "lang", "exposure"}));
  VIGIL_ASSIGN_OR_RETURN(bool fr, French(c.req));
  const std::string exposure = c.req.has_param("exposure") ? Param(c.req, "exposure") : "true";
  if (exposure != "true" && exposure != "false") return core::InvalidArgument("exposure must be true or false");
  VIGIL_ASSIGN_OR_RETURN(auto store, model::SiteStore::Open(st.opt.state_db));
  VIGIL_ASSIGN_OR_RETURN(auto sites, store->List());
  std::optional<model::SiteReport> rep;
  if (exposure == "true" && !sites.empty()) {
    auto r = Expose(c, ss, sites);
    if (!r.ok() && r.status().code() != core::Code::kNotFound) return r.status();
    if (r.ok()) rep = std::move(*r);
  }
  Json fs = Json::array();
  for (size_t i = 0; i < sites.size(); ++i)
    fs.push_back(model::SiteFeature(
        sites[i], rep ? model::SiteExposureJson(*rep, rep->sites[i], fr) : model::SiteJson(sites[i])));
  Json doc = model::FeatureCollection(std::move(fs));
  if (rep) doc["as_of"] = rep->as_of.ToIso();
  SendJson(c.res, 200, doc, "application/geo+json");
  return Status::Ok();
}

core::Result<geo::Site> SiteOf(Ctx& c, const State& st) {
  VIGIL_ASSIGN_OR_RETURN(auto store, model::SiteStore::Open(st.opt.state_db));
  const std::string& key = c.req.matches[1];
  VIGIL_ASSIGN_OR_RETURN(auto site, store->Find(key));
  if (!site) return core::NotFound("no site '" + key + "'");
  return *site;
}

Status GetSite(Ctx& c, const State& st, const SiteApiState& ss) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"as_of", "lang"}));
  VIGIL_ASSIGN_OR_RETURN(bool fr, French(c.req));
  VIGIL_ASSIGN_OR_RETURN(geo::Site site, SiteOf(c, st));
  VIGIL_ASSIGN_OR_RETURN(auto rep, Expose(c, ss, {site}));
  SendJson(c.res, 200, model::SiteFeature(site, model::SiteExposureJson(rep, rep.sites[0], fr)),
           "application/geo+json");
  return Status::Ok();
}

// A GeoJSON Feature or FeatureCollection of Points; all are added, or none.
Status PostSites(Ctx& c, const State& st) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"replace"}));
  const std::string ct = c.req.get_header_value("Content-Type");
  if (!core::StartsWith(ct, "application/geo+json") && !core::StartsWith(ct, "application/json"))
    return core::InvalidArgument("send the sites as application/geo+json (a Feature or a FeatureCollection)");
  if (c.req.body.size() > (1 << 20)) return core::TooLarge("a sites body over 1 MiB is refused; split it");
  if (!core::IsValidUtf8(c.req.body)) return core::InvalidArgument("the body is not valid UTF-8");
  VIGIL_ASSIGN_OR_RETURN(Json j, core::ParseJson(c.req.body, {.max_depth = 8, .max_bytes = 1 << 20}));
  if (j.is_object() && j.value("type", "") == "Feature") j = Json{{"type", "FeatureCollection"}, {"features", {j}}};
  VIGIL_ASSIGN_OR_RETURN(auto sites, geo::ParseSitesGeoJson(j.dump()));
  if (sites.empty()) return core::InvalidArgument("no sites in the body");
  const bool replace = Param(c.req, "replace") == "true";
  VIGIL_ASSIGN_OR_RETURN(auto store, model::SiteStore::Open(st.opt.state_db));
  VIGIL_ASSIGN_OR_RETURN(auto ids, store->Add(sites, replace));
  Json fs = Json::array();
  for (size_t i = 0; i < sites.size(); ++i) {
    sites[i].id = ids[i];
    fs.push_back(model::SiteFeature(sites[i], model::SiteJson(sites[i])));
  }
  c.audit_target = "sites";
  c.audit_detail = std::to_string(sites.size()) + " site(s), first '" + sites[0].name + "'";
  SendJson(c.res, 201, model::FeatureCollection(std::move(fs)), "application/geo+json");
  return Status::Ok();
}

Status DeleteSite(Ctx& c, const State& st) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {}));
  VIGIL_ASSIGN_OR_RETURN(geo::Site site, SiteOf(c, st));
  VIGIL_ASSIGN_OR_RETURN(auto store, model::SiteStore::Open(st.opt.state_db));
  VIGIL_RETURN_IF_ERROR(store->Remove(std::to_string(site.id)));
  c.audit_target = "site:" + std::to_string(site.id);
  c.audit_detail = site.name;
  c.res.status = 204;
  return Status::Ok();
}

}  // namespace

void AddSiteRoutes(State& st, const RouteFn& route) {
  auto ss = std::make_shared<SiteApiState>();
  auto roads = model::LoadRoadsFor(st.ref->data_dir(), st.opt.state_db);
  if (roads.ok())
    ss->roads = *roads;
  else
    ss->load_error = roads.status();
  route("GET", "/api/v1/sites", "/api/v1/sites", Access::kRead, [ss, &st](Ctx& c) { return ListSites(c, st, *ss); });
  route("POST", "/api/v1/sites", "/api/v1/sites", Access::kWrite, [&st](Ctx& c) { return PostSites(c, st); });
  route("GET", "/api/v1/sites/{id}", "/api/v1/sites/{id}", Access::kRead,
        [ss, &st](Ctx& c) { return GetSite(c, st, *ss); });
  route("DELETE", "/api/v1/sites/{id}", "/api/v1/sites/{id}", Access::kWrite,
        [&st](Ctx& c) { return DeleteSite(c, st); });
}

}  // namespace vigil::server

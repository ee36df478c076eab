// OGC API - Features - Part 1: Core, under /ogc, with the GeoJSON encoding.
// Three collections: `events` (the store, keyset-paged), `roads` (the hops
// of the active road network) and `sites` (the watched sites), the last two
// small and paged by offset. Readable by GDAL's OAPIF driver and QGIS.
#include <algorithm>
#include <cmath>
#include <functional>

#include "core/strings.h"
#include "geo/simplify.h"
#include "model/road_json.h"
#include "model/road_service.h"
#include "model/site_json.h"
#include "model/site_store.h"
#include "server/internal.h"

namespace vigil::server {

using core::Json;
using core::Result;
using core::Status;

namespace {

std::string BaseUrl(const Request& req) {
  std::string host = req.get_header_value("Host");
  if (host.empty() || host.size() > 255) host = "127.0.0.1";
  for (char ch : host)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == ':' || ch == '-' || ch == '[' ||
          ch == ']'))
      return "http://127.0.0.1";
  const std::string proto = req.get_header_value("X-Forwarded-Proto") == "https" ? "https" : "http";
  return proto + "://" + host;
}

bool WantsHtml(const Request& req) { return req.has_param("f") && req.get_param_value("f") == "html"; }

Status CheckFormat(const Request& req) {
  if (req.has_param("f")) {
    const std::string f = req.get_param_value("f");
    if (f != "json" && f != "geojson")
      return core::InvalidArgument("f must be json (this server encodes JSON and GeoJSON only)");
  }
  return Status::Ok();
}

Json Link(const std::string& href, const std::string& rel, const std::string& type, const std::string& title) {
  return Json{{"href", href}, {"rel", rel}, {"type", type}, {"title", title}};
}

Json EventsCollection(const std::string& base) {
  return Json{
      {"id", "events"},
      {"title", "Political violence events"},
      {"description", "Events of the vigil store (ACLED, UCDP, reports), one feature per event."},
      {"itemType", "feature"},
      {"crs", {"http://www.opengis.net/def/crs/OGC/1.3/CRS84"}},
      {"extent",
       {{"spatial", {{"bbox", {{-18.0, 4.0, 24.0, 28.0}}}, {"crs", "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}},
        {"temporal",
         {{"interval", {{nullptr, nullptr}}}, {"trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}}}}},
      {"links",
       {Link(base + "/ogc/collections/events/items?f=json", "items", "application/geo+json", "Events"),
        Link(base + "/ogc/collections/events?f=json", "self", "application/json", "This collection")}}};
}

// datetime: an instant, or an interval "a/b" with ".." or "" for open ends.
Status ParseDatetime(const std::string& s, store::EventFilter* f) {
  auto date_of = [](std::string_view v) -> Result<core::Date> {
    std::string d(v.substr(0, 10));  // date-times are cut to their date
    auto r = core::Date::Parse(d);
    if (!r.ok() || (v.size() > 10 && v[10] != 'T' && v[10] != 't'))
      return core::InvalidArgument(
          "datetime '" + std::string(v) +
          "' is not RFC 3339 (e.g. 2025-07-01, 2025-07-01T00:00:00Z, or a/b with .. for open)");
    return *r;
  };
  const size_t slash = s.find('/');
  if (slash == std::string::npos) {
    VIGIL_ASSIGN_OR_RETURN(core::Date d, date_of(s));
    f->from = d;
    f->to = d;
    return Status::Ok();
  }
  const std::string a = s.substr(0, slash), b = s.substr(slash + 1);
  if ((a.empty() || a == "..") && (b.empty() || b == "..")) return Status::Ok();
  if (!a.empty() && a != "..") {
    VIGIL_ASSIGN_OR_RETURN(f->from, date_of(a));
  }
  if (!b.empty() && b != "..") {
    VIGIL_ASSIGN_OR_RETURN(f->to, date_of(b));
  }
  if (f->from && f->to && *f->to < *f->from) return core::InvalidArgument("datetime interval ends before it starts");
  return Status::Ok();
}

std::string NowIso() {
  char ts[32];
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return ts;
}

// bbox=minLon,minLat,maxLon,maxLat in CRS84 (a 3D box's heights ignored).
Result<store::BBox> ParseBBox(const Request& req) {
  if (req.has_param("bbox-crs") && req.get_param_value("bbox-crs") != "http://www.opengis.net/def/crs/OGC/1.3/CRS84")
    return core::InvalidArgument("bbox-crs: only CRS84 is supported");
  const std::string bbox = req.get_param_value("bbox");  // Split returns views into it
  auto parts = core::Split(bbox, ',');
  store::BBox b;
  if (parts.size() == 6) parts = {parts[0], parts[1], parts[3], parts[4]};
  if (parts.size() != 4 || !core::ParseDouble(parts[0], &b.west) || !core::ParseDouble(parts[1], &b.south) ||
      !core::ParseDouble(parts[2], &b.east) || !core::ParseDouble(parts[3], &b.north))
    return core::InvalidArgument("bbox expects minLon,minLat,maxLon,maxLat");
  if (b.west < -180 || b.east > 180 || b.south < -90 || b.north > 90 || b.south > b.north)
    return core::InvalidArgument("bbox is out of range");
  if (b.west > b.east) return core::InvalidArgument("bbox crossing the antimeridian is not supported");
  return b;
}

Status Items(Ctx& c) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"f", "bbox", "datetime", "limit", "cursor", "bbox-crs"}));
  VIGIL_RETURN_IF_ERROR(CheckFormat(c.req));
  VIGIL_ASSIGN_OR_RETURN(int64_t limit, IntParam(c.req, "limit", 10, 1, 10000));
  store::EventFilter f;
  f.newest_first = false;  // stable order for paging: by date, then id
  if (c.req.has_param("bbox")) {
    VIGIL_ASSIGN_OR_RETURN(f.bbox, ParseBBox(c.req));
  }
  if (c.req.has_param("datetime")) VIGIL_RETURN_IF_ERROR(ParseDatetime(c.req.get_param_value("datetime"), &f));
  if (c.req.has_param("cursor")) {
    VIGIL_ASSIGN_OR_RETURN(f.after_key, ParseCursor(c.req.get_param_value("cursor")));
  }
  f.limit = limit + 1;
  std::vector<core::Event> events;
  VIGIL_RETURN_IF_ERROR(c.conn->store->ForEachEvent(f, [&](const core::Event& e) {
    events.push_back(e);
    return true;
  }));
  const bool more = static_cast<int64_t>(events.size()) > limit;
  if (more) events.resize(static_cast<size_t>(limit));
  const std::string base = BaseUrl(c.req);
  std::string query = "f=json&limit=" + std::to_string(limit);
  if (c.req.has_param("bbox")) query += "&bbox=" + core::PercentEncode(c.req.get_param_value("bbox"));
  if (c.req.has_param("datetime")) query += "&datetime=" + core::PercentEncode(c.req.get_param_value("datetime"));
  Json links = Json::array();
  links.push_back(Link(base + "/ogc/collections/events/items?" + query, "self", "application/geo+json", "This page"));
  if (more) {
    const auto& last = events.back();
    links.push_back(Link(
        base + "/ogc/collections/events/items?" + query + "&cursor=" + MakeCursor(last.date_start.ToIso(), last.id),
        "next", "application/geo+json", "Next page"));
  }
  links.push_back(Link(base + "/ogc/collections/events?f=json", "collection", "application/json", "The collection"));
  std::string body = "{\"type\":\"FeatureCollection\",\"features\":[";
  for (size_t i = 0; i < events.size(); ++i) {
    if (i) body += ',';
    core::AppendEventFeature(&body, events[i]);
  }
  body += "],\"numberReturned\":" + std::to_string(events.size()) + ",\"timeStamp\":\"" + NowIso() +
          "\",\"links\":" + links.dump() + "}";
  c.res.set_content(body, "application/geo+json");
  return Status::Ok();
}

// ---- small collections: roads and sites ----

// A collection small enough to build whole per request (a few thousand
// features at most): filtered by bbox (a feature whose envelope meets it),
// paged by offset.
struct Layer {
  std::string id, title, description;
  std::function<Result<std::vector<Json>>(Ctx&)> features;  // each with an "id"
};

Json LayerCollection(const Layer& l, const std::string& base) {
  return Json{{"id", l.id},
              {"title", l.title},
              {"description", l.description},
              {"itemType", "feature"},
              {"crs", {"http://www.opengis.net/def/crs/OGC/1.3/CRS84"}},
              {"links",
               {Link(base + "/ogc/collections/" + l.id + "/items?f=json", "items", "application/geo+json", l.title),
                Link(base + "/ogc/collections/" + l.id + "?f=json", "self", "application/json", "This collection")}}};
}

// The envelope of a geometry's coordinates, nested at any depth.
void Envelope(const Json& coords, store::BBox* b) {
  if (coords.is_array() && coords.size() >= 2 && coords[0].is_number() && coords[1].is_number()) {
    const double x = coords[0], y = coords[1];
    b->west = std::min(b->west, x), b->east = std::max(b->east, x);
    b->south = std::min(b->south, y), b->north = std::max(b->north, y);
    return;
  }
  if (coords.is_array())
    for (const auto& c : coords) Envelope(c, b);
}

bool Meets(const Json& feature, const store::BBox& q) {
  store::BBox e{180, 90, -180, -90};
  Envelope(feature["geometry"]["coordinates"], &e);
  return e.west <= q.east && e.east >= q.west && e.south <= q.north && e.north >= q.south;
}

Status LayerItems(Ctx& c, const Layer& l) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"f", "bbox", "bbox-crs", "limit", "offset"}));
  VIGIL_RETURN_IF_ERROR(CheckFormat(c.req));
  VIGIL_ASSIGN_OR_RETURN(int64_t limit, IntParam(c.req, "limit", 10, 1, 10000));
  VIGIL_ASSIGN_OR_RETURN(int64_t offset, IntParam(c.req, "offset", 0, 0, 1000000000));
  std::optional<store::BBox> bbox;
  if (c.req.has_param("bbox")) {
    VIGIL_ASSIGN_OR_RETURN(bbox, ParseBBox(c.req));
  }
  VIGIL_ASSIGN_OR_RETURN(auto all, l.features(c));
  Json page = Json::array();
  int64_t matched = 0;
  for (auto& f : all) {
    if (bbox && !Meets(f, *bbox)) continue;
    if (matched++ >= offset && static_cast<int64_t>(page.size()) < limit) page.push_back(std::move(f));
  }
  const std::string base = BaseUrl(c.req), items = base + "/ogc/collections/" + l.id + "/items?";
  std::string query = "f=json&limit=" + std::to_string(limit);
  if (bbox) query += "&bbox=" + core::PercentEncode(c.req.get_param_value("bbox"));
  Json links = Json::array();
  links.push_back(
      Link(items + query + "&offset=" + std::to_string(offset), "self", "application/geo+json", "This page"));
  if (offset + limit < matched)
    links.push_back(
        Link(items + query + "&offset=" + std::to_string(offset + limit), "next", "application/geo+json", "Next page"));
  links.push_back(
      Link(base + "/ogc/collections/" + l.id + "?f=json", "collection", "application/json", "The collection"));
  const size_t returned = page.size();
  SendJson(c.res, 200,
           Json{{"type", "FeatureCollection"},
                {"features", std::move(page)},
                {"numberMatched", matched},
                {"numberReturned", returned},
                {"timeStamp", NowIso()},
                {"links", links}},
           "application/geo+json");
  return Status::Ok();
}

Status LayerItem(Ctx& c, const Layer& l) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"f"}));
  VIGIL_RETURN_IF_ERROR(CheckFormat(c.req));
  VIGIL_ASSIGN_OR_RETURN(auto all, l.features(c));
  for (auto& f : all)
    if (f["id"].dump() == c.req.matches[1] || (f["id"].is_string() && f["id"] == c.req.matches[1])) {
      const std::string base = BaseUrl(c.req);
      f["links"] = {
          Link(base + "/ogc/collections/" + l.id + "/items/" + c.req.matches[1] + "?f=json", "self",
               "application/geo+json", "This feature"),
          Link(base + "/ogc/collections/" + l.id + "?f=json", "collection", "application/json", "The collection")};
      SendJson(c.res, 200, f, "application/geo+json");
      return Status::Ok();
    }
  return core::NotFound("no feature '" + c.req.matches[1] + "' in " + l.id);
}

std::vector<Layer> MakeLayers(const State& st) {
  std::vector<Layer> out;
  auto roads = model::LoadRoadsFor(st.ref->data_dir(), st.opt.state_db);
  std::shared_ptr<const model::Roads> net = roads.ok() ? *roads : nullptr;
  const Status road_error = roads.ok() ? Status::Ok() : roads.status();
  out.push_back({"roads", "Road hops", "The hops of the active road network (docs/corridors.md), one LineString each.",
                 [net, road_error](Ctx&) -> Result<std::vector<Json>> {
                   if (!net) return core::Unavailable("the road network did not load: " + road_error.message());
                   std::vector<Json> fs;
                   for (uint32_t e = 0; e < net->net.edges().size(); ++e) {
                     Json f = model::LineFeature(net->net, {e}, model::EdgeJson(net->net, e));
                     f["id"] = e;
                     fs.push_back(std::move(f));
                   }
                   return fs;
                 }});
  const std::string db = st.opt.state_db;
  out.push_back({"sites", "Watched sites", "Mines, plants, offices... with their radius (docs/sites.md).",
                 [db](Ctx&) -> Result<std::vector<Json>> {
                   VIGIL_ASSIGN_OR_RETURN(auto store, model::SiteStore::Open(db));
                   VIGIL_ASSIGN_OR_RETURN(auto sites, store->List());
                   std::vector<Json> fs;
                   for (const auto& s : sites) fs.push_back(model::SiteFeature(s, model::SiteJson(s)));
                   return fs;
                 }});
  return out;
}

}  // namespace

void AddOgcRoutes(State& st, const RouteFn& route) {
  auto layers = std::make_shared<const std::vector<Layer>>(MakeLayers(st));
  auto landing = [](Ctx& c) {
    VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"f"}));
    if (WantsHtml(c.req)) return core::InvalidArgument("f=html is not offered; use f=json");
    VIGIL_RETURN_IF_ERROR(CheckFormat(c.req));
    const std::string base = BaseUrl(c.req);
    SendJson(c.res, 200,
             Json{{"title", "vigil - Sahel conflict events"},
                  {"description", "OGC API - Features access to vigil's event store."},
                  {"links",
                   {Link(base + "/ogc?f=json", "self", "application/json", "This document"),
                    Link(base + "/ogc/api?f=json", "service-desc", "application/vnd.oai.openapi+json;version=3.0",
                         "The API definition"),
                    Link(base + "/ogc/conformance?f=json", "conformance", "application/json", "Conformance classes"),
                    Link(base + "/ogc/collections?f=json", "data", "application/json", "Collections")}}});
    return Status::Ok();
  };
  route("GET", "/ogc", "/ogc", Access::kRead, landing);
  route("GET", "/ogc/", "/ogc", Access::kRead, landing);
  route("GET", "/ogc/conformance", "/ogc/conformance", Access::kRead, [](Ctx& c) {
    VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"f"}));
    VIGIL_RETURN_IF_ERROR(CheckFormat(c.req));
    SendJson(c.res, 200,
             Json{{"conformsTo",
                   {"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"}}});
    return Status::Ok();
  });
  route("GET", "/ogc/collections", "/ogc/collections", Access::kRead, [layers](Ctx& c) {
    VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"f"}));
    VIGIL_RETURN_IF_ERROR(CheckFormat(c.req));
    const std::string base = BaseUrl(c.req);
    Json collections = {EventsCollection(base)};
    for (const auto& l : *layers) collections.push_back(LayerCollection(l, base));
    SendJson(c.res, 200,
             Json{{"links", {Link(base + "/ogc/collections?f=json", "self", "application/json", "Collections")}},
                  {"collections", collections}});
    return Status::Ok();
  });
  route("GET", "/ogc/collections/events", "/ogc/collections/events", Access::kRead, [](Ctx& c) {
    VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"f"}));
    VIGIL_RETURN_IF_ERROR(CheckFormat(c.req));
    SendJson(c.res, 200, EventsCollection(BaseUrl(c.req)));
    return Status::Ok();
  });
  route("GET", "/ogc/collections/events/items", "/ogc/collections/events/items", Access::kRead, Items);
  route("GET", "/ogc/collections/events/items/{id}", "/ogc/collections/events/items/{id}", Access::kRead, [](Ctx& c) {
    VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"f"}));
    VIGIL_RETURN_IF_ERROR(CheckFormat(c.req));
    int64_t id = 0;
    if (!core::ParseInt64(c.req.matches[1], &id) || id <= 0)
      return core::NotFound("no feature '" + c.req.matches[1] + "'");
    VIGIL_ASSIGN_OR_RETURN(core::Event e, c.conn->store->GetEvent(id));
    Json j = EventFeature(e);
    const std::string base = BaseUrl(c.req);
    j["links"] = {Link(base + "/ogc/collections/events/items/" + std::to_string(id) + "?f=json", "self",
                       "application/geo+json", "This feature"),
                  Link(base + "/ogc/collections/events?f=json", "collection", "application/json", "The collection")};
    SendJson(c.res, 200, j, "application/geo+json");
    return Status::Ok();
  });
  for (size_t i = 0; i < layers->size(); ++i) {
    const std::string path = "/ogc/collections/" + (*layers)[i].id;
    route("GET", path, path, Access::kRead, [layers, i](Ctx& c) {
      VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"f"}));
      VIGIL_RETURN_IF_ERROR(CheckFormat(c.req));
      SendJson(c.res, 200, LayerCollection((*layers)[i], BaseUrl(c.req)));
      return Status::Ok();
    });
    route("GET", path + "/items", path + "/items", Access::kRead,
          [layers, i](Ctx& c) { return LayerItems(c, (*layers)[i]); });
    route("GET", path + "/items/{id}", path + "/items/{id}", Access::kRead,
          [layers, i](Ctx& c) { return LayerItem(c, (*layers)[i]); });
  }
  // Registered after the collections' routes: the router tries routes in order.
  auto no_collection = [](Ctx& c) {
    return core::NotFound("no collection '" + c.req.matches[1] + "' (the collections are events, roads and sites)");
  };
  route("GET", "/ogc/collections/{other}", "/ogc/collections/{other}", Access::kRead, no_collection);
  route("GET", "/ogc/collections/{other}/items", "/ogc/collections/{other}", Access::kRead, no_collection);
  route("GET", "/ogc/api", "/ogc/api", Access::kRead, [](Ctx& c) {
    VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"f"}));
    auto param = [](const char* name, const char* in, Json schema, const char* desc) {
      return Json{{"name", name},
                  {"in", in},
                  {"required", std::string(in) == "path"},
                  {"schema", schema},
                  {"description", desc}};
    };
    Json items_params = {
        param("bbox", "query", {{"type", "array"}, {"items", {{"type", "number"}}}},
              "minLon,minLat,maxLon,maxLat (CRS84)"),
        param("datetime", "query", {{"type", "string"}}, "instant or interval a/b (.. open)"),
        param("limit", "query", {{"type", "integer"}, {"minimum", 1}, {"maximum", 10000}, {"default", 10}},
              "features per page"),
        param("cursor", "query", {{"type", "string"}}, "paging token from a next link"),
        param("f", "query", {{"type", "string"}, {"enum", {"json"}}}, "encoding")};
    Json layer_params = {
        items_params[0],
        param("limit", "query", {{"type", "integer"}, {"minimum", 1}, {"maximum", 10000}, {"default", 10}},
              "features per page"),
        param("offset", "query", {{"type", "integer"}, {"minimum", 0}, {"default", 0}}, "features to skip"),
        items_params[4]};
    Json doc{
        {"openapi", "3.0.3"},
        {"info", {{"title", "vigil OGC API - Features"}, {"version", "1.0.0"}}},
        {"paths",
         {{"/ogc", {{"get", {{"summary", "Landing page"}, {"responses", {{"200", {{"description", "ok"}}}}}}}}},
          {"/ogc/conformance",
           {{"get", {{"summary", "Conformance classes"}, {"responses", {{"200", {{"description", "ok"}}}}}}}}},
          {"/ogc/collections",
           {{"get", {{"summary", "Collections"}, {"responses", {{"200", {{"description", "ok"}}}}}}}}},
          {"/ogc/collections/events/items",
           {{"get",
             {{"summary", "Events"},
              {"parameters", items_params},
              {"responses",
               {{"200", {{"description", "GeoJSON FeatureCollection"}}},
                {"400", {{"description", "bad parameter"}}}}}}}}},
          {"/ogc/collections/roads/items",
           {{"get",
             {{"summary", "Road hops"},
              {"parameters", layer_params},
              {"responses", {{"200", {{"description", "GeoJSON FeatureCollection"}}}}}}}}},
          {"/ogc/collections/sites/items",
           {{"get",
             {{"summary", "Watched sites"},
              {"parameters", layer_params},
              {"responses", {{"200", {{"description", "GeoJSON FeatureCollection"}}}}}}}}},
          {"/ogc/collections/events/items/{featureId}",
           {{"get",
             {{"summary", "One event"},
              {"parameters", {param("featureId", "path", {{"type", "integer"}}, "event id")}},
              {"responses",
               {{"200", {{"description", "GeoJSON Feature"}}}, {"404", {{"description", "no such event"}}}}}}}}}}}};
    SendJson(c.res, 200, doc, "application/vnd.oai.openapi+json;version=3.0");
    return Status::Ok();
  });
}

// ------------------------------------------------------------- boundaries

// Each level's polygons simplified as one coverage (geo/simplify.h), so
// neighbouring units keep one shared border on the map.
namespace {

// The `n` most populous places of the gazetteer as GeoJSON points, largest
// first, with their population and rank (the dashboard labels them by zoom).
std::string TownsGeoJson(const geo::Reference& ref, size_t n) {
  std::vector<const geo::Place*> towns;
  for (const auto& pl : ref.gazetteer().places())
    if (pl.feature_class == 'P' && pl.population > 0 && !pl.from_aliases) towns.push_back(&pl);
  std::stable_sort(towns.begin(), towns.end(), [](const geo::Place* a, const geo::Place* b) {
    return a->population != b->population ? a->population > b->population : a->id < b->id;
  });
  if (towns.size() > n) towns.resize(n);
  Json fc{{"type", "FeatureCollection"}, {"features", Json::array()}};
  for (size_t i = 0; i < towns.size(); ++i) {
    const auto* t = towns[i];
    const double lon = std::round(t->lon * 1e3) / 1e3, lat = std::round(t->lat * 1e3) / 1e3;
    fc["features"].push_back({{"type", "Feature"},
                              {"properties", {{"name", t->name}, {"population", t->population}, {"rank", i}}},
                              {"geometry", {{"type", "Point"}, {"coordinates", {lon, lat}}}}});
  }
  return fc.dump();
}

}  // namespace

void BuildBoundaries(State& st) {
  auto build = [&](const std::vector<geo::PolygonFeature>& feats, double tol, const char* code_key) {
    std::vector<geo::Geometry> parsed;
    std::vector<const geo::PolygonFeature*> kept;
    for (const auto& f : feats) {
      auto g = geo::ParseGeometry(Json::parse(f.geometry_json, nullptr, false));
      if (!g.ok()) continue;
      parsed.push_back(std::move(*g));
      kept.push_back(&f);
    }
    const auto simple = geo::SimplifyCoverage(parsed, tol);
    Json fc{{"type", "FeatureCollection"}, {"features", Json::array()}};
    for (size_t i = 0; i < kept.size(); ++i) {
      Json geom = geo::GeometryToJson(simple[i], 3);
      Json props = Json::object();
      for (const auto& [k, v] : kept[i]->properties) props[k] = v;
      if (code_key) {
        auto it = kept[i]->properties.find(code_key);
        if (it != kept[i]->properties.end()) st.admin_geometry[it->second] = geom.dump();
      }
      fc["features"].push_back({{"type", "Feature"}, {"properties", props}, {"geometry", geom}});
    }
    return fc.dump();
  };
  st.boundaries["admin0"] = build(st.ref->countries(), 0.02, nullptr);
  st.boundaries["admin1"] = build(st.ref->admin1(), 0.01, "adm1_pcode");
  st.boundaries["admin2"] = build(st.ref->admin2(), 0.005, "adm2_pcode");
  st.boundaries["towns"] = TownsGeoJson(*st.ref, 300);
}

}  // namespace vigil::server

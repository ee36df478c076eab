// /api/v1/roads, /api/v1/corridors, /api/v1/route (docs/http.md,
// docs/corridors.md): the same figures as `vigil roads|corridors|route`.
#include <mutex>

#include "core/strings.h"
#include "model/road_json.h"
#include "model/road_service.h"
#include "server/internal.h"

namespace vigil::server {

using core::Json;
using core::Status;

namespace {

// The road network, loaded once, and the segment risk of the latest
// snapshot, recomputed when the snapshot or the stored events change.
struct RoadState {
  std::shared_ptr<const model::Roads> roads;
  Status load_error;
  std::mutex mu;
  int64_t snapshot_id = -1, data_version = -1;
  std::shared_ptr<const model::RoadRiskReport> risk;
};

core::Result<const model::Roads*> Network(RoadState& rs) {
  if (!rs.roads) return core::Unavailable("the road network did not load: " + rs.load_error.message());
  return rs.roads.get();
}

core::Result<std::shared_ptr<const model::RoadRiskReport>> Risk(RoadState& rs, Ctx& c) {
  VIGIL_ASSIGN_OR_RETURN(const model::Roads* roads, Network(rs));
  VIGIL_ASSIGN_OR_RETURN(auto snap, c.conn->store->LatestSnapshot("hawkes"));
  if (!snap) return core::NotFound("no model snapshot yet: fit one with 'vigil fit' to get road risk and routes");
  VIGIL_ASSIGN_OR_RETURN(int64_t version, c.conn->store->DataVersion());
  {
    std::lock_guard<std::mutex> lock(rs.mu);
    if (rs.risk && rs.snapshot_id == snap->id && rs.data_version == version) return rs.risk;
  }
  VIGIL_ASSIGN_OR_RETURN(auto rep, model::RoadRiskFromStore(c.conn->store.get(), *roads));
  auto shared = std::make_shared<const model::RoadRiskReport>(std::move(rep));
  std::lock_guard<std::mutex> lock(rs.mu);
  rs.risk = shared;
  rs.snapshot_id = snap->id;
  rs.data_version = version;
  return shared;
}

core::Result<bool> FrenchParam(const Request& req) {
  if (!req.has_param("lang")) return false;
  const std::string lang = Param(req, "lang");
  if (lang != "en" && lang != "fr") return core::InvalidArgument("lang must be en or fr");
  return lang == "fr";
}

Status GetRoads(Ctx& c, RoadState& rs) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"horizon"}));
  VIGIL_ASSIGN_OR_RETURN(const model::Roads* roads, Network(rs));
  const auto& net = roads->net;
  std::shared_ptr<const model::RoadRiskReport> risk;
  size_t h = 0;
  if (c.req.has_param("horizon")) {
    VIGIL_ASSIGN_OR_RETURN(int64_t horizon, IntParam(c.req, "horizon", 7, 1, 30));
    VIGIL_ASSIGN_OR_RETURN(risk, Risk(rs, c));
    h = risk->risk.HorizonIndex(static_cast<int>(horizon));
  }
  Json fs = Json::array();
  for (uint32_t e = 0; e < net.edges().size(); ++e) {
    Json props = model::EdgeJson(net, e);
    if (risk) {
      const auto& f = risk->risk.edges[h][e];
      props["p_any"] = f.p_any;
      props["expected"] = f.expected;
      props["per_100km"] = f.expected / net.edges()[e].km * 100;
    }
    fs.push_back(model::LineFeature(net, {e}, std::move(props)));
  }
  Json doc = model::FeatureCollection(std::move(fs));
  doc["source"] = "bundled";
  if (risk) {
    doc["as_of"] = risk->risk.as_of.ToIso();
    doc["horizon_days"] = risk->risk.horizons[h];
    doc["snapshot_id"] = risk->risk.snapshot_id;
  }
  SendJson(c.res, 200, doc, "application/geo+json");
  return Status::Ok();
}

Status GetCorridors(Ctx& c, RoadState& rs) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"as_of", "lang"}));
  VIGIL_ASSIGN_OR_RETURN(const model::Roads* roads, Network(rs));
  VIGIL_ASSIGN_OR_RETURN(bool fr, FrenchParam(c.req));
  core::Date as_of;
  if (c.req.has_param("as_of")) {
    auto d = core::Date::Parse(Param(c.req, "as_of"));
    if (!d.ok()) return core::InvalidArgument("as_of: " + d.status().message());
    as_of = *d;
  } else {
    store::EventFilter f;
    f.limit = 1;
    VIGIL_ASSIGN_OR_RETURN(auto newest, c.conn->store->QueryEvents(f));
    if (newest.empty()) return core::NotFound("no events yet: corridor status needs events");
    as_of = newest.front().date_start + 1;
  }
  VIGIL_ASSIGN_OR_RETURN(auto rep, model::AssessCorridorsFromStore(c.conn->store.get(), *roads, as_of));
  Json fs = Json::array();
  for (const auto& s : rep.statuses)
    fs.push_back(model::LineFeature(roads->net, s.corridor->edges, model::CorridorStatusJson(rep, s, fr)));
  Json doc = model::FeatureCollection(std::move(fs));
  doc["as_of"] = as_of.ToIso();
  SendJson(c.res, 200, doc, "application/geo+json");
  return Status::Ok();
}

Status GetRoute(Ctx& c, RoadState& rs, const State& st) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"from", "to", "horizon", "risk_weight", "alternatives", "avoid"}));
  if (!c.req.has_param("from") || !c.req.has_param("to"))
    return core::InvalidArgument("route needs from and to (town names or lat,lon)");
  VIGIL_ASSIGN_OR_RETURN(const model::Roads* roads, Network(rs));
  const auto& net = roads->net;
  double snap_from = 0, snap_to = 0;
  model::RouteRequest req;
  VIGIL_ASSIGN_OR_RETURN(req.from, model::ResolveTown(net, &st.ref->gazetteer(), Param(c.req, "from"), &snap_from));
  VIGIL_ASSIGN_OR_RETURN(req.to, model::ResolveTown(net, &st.ref->gazetteer(), Param(c.req, "to"), &snap_to));
  VIGIL_ASSIGN_OR_RETURN(int64_t horizon, IntParam(c.req, "horizon", 7, 1, 30));
  VIGIL_ASSIGN_OR_RETURN(int64_t alternatives, IntParam(c.req, "alternatives", 2, 0, 5));
  VIGIL_ASSIGN_OR_RETURN(int64_t weight, IntParam(c.req, "risk_weight", 1000, 0, 1000000));
  req.horizon_days = static_cast<int>(horizon);
  req.alternatives = static_cast<int>(alternatives);
  req.risk_weight = static_cast<double>(weight);
  if (c.req.has_param("avoid")) {
    std::vector<std::string> avoid;
    for (auto a : core::Split(Param(c.req, "avoid"), ','))
      if (!core::Trim(a).empty()) avoid.emplace_back(core::Trim(a));
    VIGIL_ASSIGN_OR_RETURN(req.avoid_edges, model::ResolveAvoid(net, avoid));
  }
  VIGIL_ASSIGN_OR_RETURN(auto risk, Risk(rs, c));
  VIGIL_ASSIGN_OR_RETURN(auto options, model::PlanRoutes(net, risk->risk, req));
  Json fs = Json::array();
  for (size_t i = 0; i < options.size(); ++i)
    fs.push_back(model::LineFeature(net, options[i].path.edges, model::RouteOptionJson(net, *risk, options[i], i + 1)));
  Json doc = model::FeatureCollection(std::move(fs));
  doc["as_of"] = risk->risk.as_of.ToIso();
  doc["horizon_days"] = risk->risk.horizons[risk->risk.HorizonIndex(req.horizon_days)];
  doc["risk_weight_km"] = req.risk_weight;
  doc["snapshot_id"] = risk->risk.snapshot_id;
  doc["snap_km"] = {{"from", snap_from}, {"to", snap_to}};
  SendJson(c.res, 200, doc, "application/geo+json");
  return Status::Ok();
}

}  // namespace

void AddRoadRoutes(State& st, const RouteFn& route) {
  auto rs = std::make_shared<RoadState>();
  auto roads = model::LoadRoadsFor(st.ref->data_dir(), st.opt.state_db);
  if (roads.ok())
    rs->roads = *roads;
  else
    rs->load_error = roads.status();
  route("GET", "/api/v1/roads", "/api/v1/roads", Access::kRead, [rs](Ctx& c) { return GetRoads(c, *rs); });
  route("GET", "/api/v1/corridors", "/api/v1/corridors", Access::kRead, [rs](Ctx& c) { return GetCorridors(c, *rs); });
  route("GET", "/api/v1/route", "/api/v1/route", Access::kRead, [rs, &st](Ctx& c) { return GetRoute(c, *rs, st); });
}

}  // namespace vigil::server

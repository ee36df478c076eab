// vigil roads list|show|risk, vigil corridors, vigil route (docs/corridors.md).
#include <algorithm>
#include <cstdio>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/json.h"
#include "geo/road_import.h"
#include "model/road_json.h"
#include "model/road_service.h"
#include "model/road_store.h"

namespace vigil::cli {

namespace {

using core::Json;
using model::EdgeJson;
using model::EvidenceJson;
using model::FeatureCollection;
using model::LineFeature;
using model::SegmentLabel;

// The network imported into the database, else the bundled one.
core::Result<std::shared_ptr<const model::Roads>> Roads(const Globals& g) {
  VIGIL_ASSIGN_OR_RETURN(std::string dir, ResolveDataDir(g));
  return model::LoadRoadsFor(dir, ResolveStateDb(g));
}

// The road risk from the latest snapshot, or fitted at `as_of` when given.
core::Result<model::RoadRiskReport> LoadRisk(const Globals& g, const model::Roads& roads, const std::string& as_of) {
  VIGIL_ASSIGN_OR_RETURN(auto st, OpenStore(g));
  std::optional<core::Date> date;
  if (!as_of.empty()) {
    auto d = core::Date::Parse(as_of);
    if (!d.ok()) return core::InvalidArgument("--as-of: " + d.status().message());
    date = *d;
  }
  return model::RoadRiskFromStore(st.get(), roads, {}, date);
}

// ---- roads list / show ----

struct RoadsFlags {
  std::string route, format = "table";
  bool towns = false;
  int horizon = 7, top = 20;
  std::string as_of;
};

int RunList(const Globals& g, const RoadsFlags& f) {
  auto fmt = ParseFormat(f.format, {Format::kTable, Format::kJson, Format::kGeojson});
  if (!fmt.ok()) return Fail(fmt.status());
  auto roads = Roads(g);
  if (!roads.ok()) return Fail(roads.status());
  const auto& net = (*roads)->net;
  if (*fmt == Format::kGeojson) {
    Json fs = Json::array();
    for (const auto& r : net.routes())
      fs.push_back(LineFeature(net, r.edges, {{"route", r.id}, {"name", r.name}, {"km", r.km}}));
    std::printf("%s\n", FeatureCollection(fs).dump().c_str());
    return 0;
  }
  if (*fmt == Format::kJson) {
    Json routes = Json::array(), towns = Json::array(), corridors = Json::array();
    for (const auto& r : net.routes()) {
      Json names = Json::array();
      for (uint32_t n : r.nodes) names.push_back(net.nodes()[n].name);
      routes.push_back({{"route", r.id}, {"name", r.name}, {"km", r.km}, {"towns", names}});
    }
    for (const auto& c : net.corridors())
      if (!c.is_route)
        corridors.push_back({{"corridor", c.id}, {"name_en", c.name_en}, {"name_fr", c.name_fr}, {"km", c.km}});
    for (const auto& n : net.nodes())
      towns.push_back(
          {{"name", n.name}, {"geonameid", n.place_id}, {"lat", n.lat}, {"lon", n.lon}, {"admin1", n.admin1}});
    std::printf("%s\n", Json{{"source", net.source()},
                             {"routes", routes},
                             {"corridors", corridors},
                             {"towns", towns},
                             {"edges", net.edges().size()},
                             {"segments", net.segments().size()},
                             {"km", net.TotalKm()}}
                            .dump()
                            .c_str());
    return 0;
  }
  if (f.towns) {
    std::printf("%s %s %9s %9s %s\n", Cell("town", 24).c_str(), Cell("admin1", 12).c_str(), "lat", "lon", "roads");
    for (const auto& n : net.nodes())
      std::printf("%s %s %9.4f %9.4f %zu\n", Cell(n.name, 24).c_str(), Cell(n.admin1, 12).c_str(), n.lat, n.lon,
                  n.edges.size());
    return 0;
  }
  std::printf("%s %7s %5s  %s\n", Cell("route", 12).c_str(), "km", "towns", "name");
  for (const auto& r : net.routes())
    std::printf("%s %7.0f %5zu  %s\n", Cell(r.id, 12).c_str(), r.km, r.nodes.size(), r.name.c_str());
  std::printf("\n%s %7s  %s\n", Cell("corridor", 12).c_str(), "km", "name");
  for (const auto& c : net.corridors())
    if (!c.is_route) std::printf("%s %7.0f  %s\n", Cell(c.id, 12).c_str(), c.km, c.name_en.c_str());
  std::printf("\n%zu towns, %zu hops, %zu segments of about %.0f km, %.0f road km (%s)\n", net.nodes().size(),
              net.edges().size(), net.segments().size(), geo::kDefaultSegmentKm, net.TotalKm(), net.source().c_str());
  if (net.source().rfind("bundled", 0) == 0)
    std::printf(
        "Hops are straight lines between towns; road km are published figures where they pass the check, "
        "else the straight line x %.2f (docs/corridors.md).\n",
        geo::kRoadFactor);
  else
    std::printf("An imported network: hops follow its drawn lines (`vigil roads use-bundled` goes back).\n");
  return 0;
}

int RunShow(const Globals& g, const RoadsFlags& f) {
  auto fmt = ParseFormat(f.format, {Format::kTable, Format::kJson, Format::kGeojson});
  if (!fmt.ok()) return Fail(fmt.status());
  auto roads = Roads(g);
  if (!roads.ok()) return Fail(roads.status());
  const auto& net = (*roads)->net;
  const geo::Corridor* c = net.FindCorridor(f.route);
  if (!c) return Fail(core::NotFound("no route or corridor '" + f.route + "'; see `vigil roads list`"));
  if (*fmt == Format::kGeojson) {
    Json fs = Json::array();
    for (uint32_t e : c->edges) fs.push_back(LineFeature(net, {e}, EdgeJson(net, e)));
    std::printf("%s\n", FeatureCollection(fs).dump().c_str());
    return 0;
  }
  if (*fmt == Format::kJson) {
    Json hops = Json::array();
    for (uint32_t e : c->edges) hops.push_back(EdgeJson(net, e));
    std::printf("%s\n",
                Json{{"id", c->id}, {"name_en", c->name_en}, {"name_fr", c->name_fr}, {"km", c->km}, {"hops", hops}}
                    .dump()
                    .c_str());
    return 0;
  }
  std::printf("%s  %s (%.0f km)\n\n", c->id.c_str(), c->name_en.c_str(), c->km);
  std::printf("%-5s %s %7s %8s %4s  %s\n", "edge", Cell("hop", 34).c_str(), "km", "straight", "segs", "road km from");
  for (uint32_t e : c->edges) {
    const auto& ed = net.edges()[e];
    std::printf("%-5s %s %7.1f %8.1f %4u  %s%s%s\n", ("e" + std::to_string(e)).c_str(),
                Cell(net.EdgeName(e), 34).c_str(), ed.km, ed.straight_km, ed.segments, geo::KmSourceName(ed.km_source),
                ed.km_note.empty() ? "" : ": ", ed.km_note.c_str());
  }
  return 0;
}

int RunRisk(const Globals& g, const RoadsFlags& f) {
  auto fmt = ParseFormat(f.format, {Format::kTable, Format::kJson, Format::kGeojson});
  if (!fmt.ok()) return Fail(fmt.status());
  auto roads = Roads(g);
  if (!roads.ok()) return Fail(roads.status());
  auto rep = LoadRisk(g, **roads, f.as_of);
  if (!rep.ok()) return Fail(rep.status());
  const auto& net = (*roads)->net;
  const auto& risk = rep->risk;
  const size_t h = risk.HorizonIndex(f.horizon);
  std::vector<uint32_t> order(net.segments().size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return risk.segments[h][a].roots > risk.segments[h][b].roots; });
  if (*fmt == Format::kGeojson) {
    Json fs = Json::array();
    for (uint32_t s = 0; s < net.segments().size(); ++s) {
      const auto& sg = net.segments()[s];
      fs.push_back({{"type", "Feature"},
                    {"geometry", {{"type", "LineString"}, {"coordinates", {{sg.lon0, sg.lat0}, {sg.lon1, sg.lat1}}}}},
                    {"properties", model::SegmentRiskJson(net, *rep, s, false)}});
    }
    Json fc = FeatureCollection(fs);
    fc["as_of"] = risk.as_of.ToIso();
    fc["snapshot_id"] = risk.snapshot_id;
    std::printf("%s\n", fc.dump().c_str());
    return 0;
  }
  if (*fmt == Format::kJson) {
    Json arr = Json::array();
    for (size_t i = 0; i < order.size() && static_cast<int>(i) < f.top; ++i)
      arr.push_back(model::SegmentRiskJson(net, *rep, order[i], true));
    std::printf(
        "%s\n",
        Json{{"as_of", risk.as_of.ToIso()}, {"snapshot_id", risk.snapshot_id}, {"segments", arr}}.dump().c_str());
    return 0;
  }
  std::printf("Road risk as of %s (model snapshot %lld; %zu segments, %zu boxes of 0.02° in the %.0f km buffers)\n",
              risk.as_of.ToIso().c_str(), static_cast<long long>(risk.snapshot_id), net.segments().size(),
              risk.boxes.units.size(), risk.buffer_km);
  std::printf("Riskiest segments over %d days:\n\n", risk.horizons[h]);
  std::printf("%6s %s %s %7s %9s %7s %7s %9s\n", "seg", Cell("hop", 30).c_str(), Cell("routes", 14).c_str(), "P(any)",
              "expected", "model", "road", "per100km");
  for (size_t i = 0; i < order.size() && static_cast<int>(i) < f.top; ++i) {
    const uint32_t s = order[i];
    const auto& sg = net.segments()[s];
    const auto& fg = risk.segments[h][s];
    std::string routes;
    for (const auto& r : net.edges()[sg.edge].routes) routes += (routes.empty() ? "" : ",") + r;
    std::printf("%6u %s %s %7.3f %9.3f %7.3f %7.3f %9.3f\n", s, Cell(net.EdgeName(sg.edge), 30).c_str(),
                Cell(routes, 14).c_str(), fg.p_any, fg.expected, fg.model_expected, fg.road_expected,
                fg.expected / sg.km * 100);
  }
  return 0;
}

// ---- roads import / use-bundled ----

struct ImportFlags {
  std::string file, layer, route_field, name, format = "table";
};

int RunImport(const Globals& g, const ImportFlags& f) {
  auto fmt = ParseFormat(f.format, {Format::kTable, Format::kJson});
  if (!fmt.ok()) return Fail(fmt.status());
  auto rs = model::RoadStore::Open(ResolveStateDb(g));
  if (!rs.ok()) return Fail(rs.status());
  geo::RoadImportOptions opt;
  opt.layer = f.layer;
  opt.route_field = f.route_field;
  auto ref = LoadReference(g);
  if (!ref.ok()) return Fail(ref.status());
  opt.gazetteer = &(*ref)->gazetteer();
  geo::RoadImportSummary sum;
  auto net = geo::ImportRoadNetwork(f.file, opt, &sum);
  if (!net.ok()) return Fail(net.status());
  model::StoredRoadNetwork meta;
  meta.name = f.name.empty() ? f.file : f.name;
  meta.source_path = f.file;
  meta.fingerprint = std::to_string(sum.features) + " features, " + std::to_string(sum.lines) + " lines";
  auto id = (*rs)->Replace(meta, *net);
  if (!id.ok()) return Fail(id.status());
  if (*fmt == Format::kJson) {
    std::printf("%s\n", Json{{"network_id", *id},
                             {"features", sum.features},
                             {"lines", sum.lines},
                             {"skipped", sum.skipped},
                             {"towns", sum.nodes},
                             {"named", sum.named},
                             {"edges", sum.edges},
                             {"segments", net->segments().size()},
                             {"km", sum.km}}
                            .dump()
                            .c_str());
    return 0;
  }
  std::printf(
      "imported %s as road network %lld: %lld features, %lld lines, %lld nodes (%lld named after a town within "
      "%.0f km), %lld edges, %zu segments, %.0f km\n",
      f.file.c_str(), static_cast<long long>(*id), static_cast<long long>(sum.features),
      static_cast<long long>(sum.lines), static_cast<long long>(sum.nodes), static_cast<long long>(sum.named),
      opt.name_within_km, static_cast<long long>(sum.edges), net->segments().size(), sum.km);
  if (sum.skipped > 0)
    std::printf("skipped %lld features (first: %s)\n", static_cast<long long>(sum.skipped), sum.first_skip.c_str());
  std::printf("vigil roads, corridors and route now use it; `vigil roads use-bundled` goes back.\n");
  return 0;
}

int RunUseBundled(const Globals& g) {
  auto rs = model::RoadStore::Open(ResolveStateDb(g));
  if (!rs.ok()) return Fail(rs.status());
  if (auto s = (*rs)->UseBundled(); !s.ok()) return Fail(s);
  std::printf("the bundled road network is in use again (imported networks stay stored)\n");
  return 0;
}

// ---- corridors ----

struct CorridorFlags {
  std::string as_of, format = "table", lang = "en";
  bool all = false;
};

int RunCorridors(const Globals& g, const CorridorFlags& f) {
  auto fmt = ParseFormat(f.format, {Format::kTable, Format::kJson, Format::kGeojson});
  if (!fmt.ok()) return Fail(fmt.status());
  if (f.lang != "en" && f.lang != "fr") return Fail(core::InvalidArgument("--lang must be en or fr"));
  auto roads = Roads(g);
  if (!roads.ok()) return Fail(roads.status());
  auto st = OpenStore(g);
  if (!st.ok()) return Fail(st.status());
  core::Date as_of;
  if (f.as_of.empty()) {
    // The day after the newest stored event.
    store::EventFilter ef;
    ef.limit = 1;
    auto newest = (*st)->QueryEvents(ef);
    if (!newest.ok()) return Fail(newest.status());
    if (newest->empty()) return Fail(core::NotFound("no events in the database: import some first (vigil ingest)"));
    as_of = newest->front().date_start + 1;
  } else {
    auto d = core::Date::Parse(f.as_of);
    if (!d.ok()) return Fail(core::InvalidArgument("--as-of: " + d.status().message()));
    as_of = *d;
  }
  auto rep = model::AssessCorridorsFromStore(st->get(), **roads, as_of);
  if (!rep.ok()) return Fail(rep.status());
  const auto& net = (*roads)->net;
  const bool fr = f.lang == "fr";
  if (*fmt != Format::kTable) {
    Json arr = Json::array();
    for (const auto& s : rep->statuses) {
      if (*fmt == Format::kGeojson)
        arr.push_back(LineFeature(net, s.corridor->edges, model::CorridorStatusJson(*rep, s, fr)));
      else
        arr.push_back(model::CorridorStatusJson(*rep, s, fr));
    }
    Json out = *fmt == Format::kGeojson ? FeatureCollection(arr) : Json{{"corridors", arr}};
    out["as_of"] = as_of.ToIso();
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }
  std::printf(fr ? "État des corridors au %s (événements antérieurs à cette date)\n\n"
                 : "Corridor status as of %s (events before that date)\n\n",
              as_of.ToIso().c_str());
  std::printf("%s %s %5s  %s\n", Cell(fr ? "corridor" : "corridor", 12).c_str(),
              Cell(fr ? "état" : "status", 10).c_str(), "conf", fr ? "pourquoi" : "why");
  const char* fr_state[] = {"ouvert", "perturbé", "bloqué"};
  for (const auto& s : rep->statuses) {
    if (!f.all && s.corridor->is_route && s.state == geo::CorridorState::kOpen) continue;
    std::printf("%s %s %5.2f  %s\n", Cell(s.corridor->id, 12).c_str(),
                Cell(fr ? fr_state[static_cast<int>(s.state)] : geo::CorridorStateName(s.state), 10).c_str(),
                s.confidence, (fr ? s.reason_fr : s.reason_en).c_str());
    size_t shown = 0;
    for (const auto& e : s.evidence) {
      if (s.state == geo::CorridorState::kOpen || ++shown > 3) break;
      const auto& x = rep->events[e.event];
      std::printf("%24s %s %s, %s (%s)\n", "", x.date_start.ToIso().c_str(), x.location.c_str(),
                  x.sub_event_type.c_str(), e.why.c_str());
    }
  }
  if (!f.all)
    std::printf(fr ? "\n(routes ouvertes omises : --all les montre)\n"
                   : "\n(open routes left out: --all shows them)\n");
  return 0;
}

// ---- route ----

struct RouteFlags {
  std::string from, to, as_of, format = "table";
  int horizon = 7, alternatives = 2;
  double risk_weight = 1000;
  std::vector<std::string> avoid;
};

int RunRoute(const Globals& g, const RouteFlags& f) {
  auto fmt = ParseFormat(f.format, {Format::kTable, Format::kJson, Format::kGeojson});
  if (!fmt.ok()) return Fail(fmt.status());
  auto roads = Roads(g);
  if (!roads.ok()) return Fail(roads.status());
  const auto& net = (*roads)->net;
  auto ref = LoadReference(g);
  if (!ref.ok()) return Fail(ref.status());
  double snap_from = 0, snap_to = 0;
  auto from = model::ResolveTown(net, &(*ref)->gazetteer(), f.from, &snap_from);
  if (!from.ok()) return Fail(from.status());
  auto to = model::ResolveTown(net, &(*ref)->gazetteer(), f.to, &snap_to);
  if (!to.ok()) return Fail(to.status());
  auto avoid = model::ResolveAvoid(net, f.avoid);
  if (!avoid.ok()) return Fail(avoid.status());
  auto rep = LoadRisk(g, **roads, f.as_of);
  if (!rep.ok()) return Fail(rep.status());
  model::RouteRequest req;
  req.from = *from;
  req.to = *to;
  req.horizon_days = f.horizon;
  req.risk_weight = f.risk_weight;
  req.alternatives = f.alternatives;
  req.avoid_edges = *avoid;
  auto options = model::PlanRoutes(net, rep->risk, req);
  if (!options.ok()) return Fail(options.status());
  const auto& risk = rep->risk;
  const int horizon = risk.horizons[risk.HorizonIndex(f.horizon)];
  if (*fmt != Format::kTable) {
    Json arr = Json::array();
    for (size_t i = 0; i < options->size(); ++i) {
      const auto& o = (*options)[i];
      arr.push_back(*fmt == Format::kGeojson
                        ? LineFeature(net, o.path.edges, model::RouteOptionJson(net, *rep, o, i + 1))
                        : model::RouteOptionJson(net, *rep, o, i + 1));
    }
    Json out = *fmt == Format::kGeojson ? FeatureCollection(arr) : Json{{"routes", arr}};
    out["as_of"] = risk.as_of.ToIso();
    out["horizon_days"] = horizon;
    out["risk_weight_km"] = f.risk_weight;
    out["snapshot_id"] = risk.snapshot_id;
    out["snap_km"] = {{"from", snap_from}, {"to", snap_to}};
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }
  std::printf(
      "Routes from %s to %s, risk over %d days from %s (model snapshot %lld), risk weight %.0f km per "
      "expected incident\n",
      net.nodes()[*from].name.c_str(), net.nodes()[*to].name.c_str(), horizon, risk.as_of.ToIso().c_str(),
      static_cast<long long>(risk.snapshot_id), f.risk_weight);
  if (snap_from > 0.5 || snap_to > 0.5)
    std::printf("(snapped to the network: start %.1f km, destination %.1f km away)\n", snap_from, snap_to);
  for (size_t i = 0; i < options->size(); ++i) {
    const auto& o = (*options)[i];
    std::string towns;
    for (uint32_t n : o.path.nodes) towns += (towns.empty() ? "" : " > ") + net.nodes()[n].name;
    std::printf("\n%zu. %.0f km, %.3f expected incidents, P(at least one) %.1f%%\n   %s\n", i + 1, o.km,
                o.figure.expected, 100 * o.figure.p_any, towns.c_str());
    for (const auto& w : o.worst) {
      std::printf("   worst: %s (P %.1f%%): %s\n", SegmentLabel(net, w.segment).c_str(), 100 * w.figure.p_any,
                  w.why.c_str());
      for (const auto& e : EvidenceJson(net, *rep, w.segment, 2))
        std::printf("          %s %s, %s (%.0f km)\n", e["date"].get<std::string>().c_str(),
                    e["location"].get<std::string>().c_str(), e["sub_event_type"].get<std::string>().c_str(),
                    e["distance_km"].get<double>());
    }
  }
  return 0;
}

}  // namespace

void AddRoads(CLI::App& app, Globals& g, int& rc) {
  auto* roads = app.add_subcommand("roads", "the road network: routes, hops, segment risk (docs/corridors.md)");
  roads->require_subcommand(1);
  {
    auto o = std::make_shared<RoadsFlags>();
    auto* cmd = roads->add_subcommand("list", "routes and corridors of the network");
    cmd->add_flag("--towns", o->towns, "list the towns instead");
    cmd->add_option("--format", o->format, "table (default), json or geojson");
    cmd->callback([&g, &rc, o] { rc = RunList(g, *o); });
  }
  {
    auto o = std::make_shared<RoadsFlags>();
    auto* cmd = roads->add_subcommand("show", "one route or corridor: its hops, road km and where they come from");
    cmd->add_option("ROUTE", o->route, "route id (RN1) or corridor id / name (BKO-DKR)")->required();
    cmd->add_option("--format", o->format, "table (default), json or geojson");
    cmd->callback([&g, &rc, o] { rc = RunShow(g, *o); });
  }
  {
    auto o = std::make_shared<ImportFlags>();
    auto* cmd = roads->add_subcommand("import", "replace the bundled network by a real one (lines in any GDAL format)");
    cmd->add_option("FILE", o->file, "GeoJSON, GeoPackage, Shapefile... of LineStrings (read through GDAL's ogr2ogr)")
        ->required();
    cmd->add_option("--layer", o->layer, "layer to read (default: the first)");
    cmd->add_option("--route-field", o->route_field, "property naming each line's road (default ref, route, name)");
    cmd->add_option("--name", o->name, "a name for this network (default: the file)");
    cmd->add_option("--format", o->format, "table (default) or json");
    cmd->callback([&g, &rc, o] { rc = RunImport(g, *o); });
  }
  roads->add_subcommand("use-bundled", "go back to the bundled network")->callback([&g, &rc] {
    rc = RunUseBundled(g);
  });
  {
    auto o = std::make_shared<RoadsFlags>();
    auto* cmd = roads->add_subcommand("risk", "P(at least one incident) per 5 km segment, from the model snapshot");
    cmd->add_option("--horizon", o->horizon, "days: 1, 7 (default) or 30");
    cmd->add_option("--top", o->top, "segments listed (table, json; default 20)");
    cmd->add_option("--as-of", o->as_of, "fit (or reuse) the model at this date instead of the latest snapshot");
    cmd->add_option("--format", o->format, "table (default), json, or geojson (every segment)");
    cmd->callback([&g, &rc, o] { rc = RunRisk(g, *o); });
  }
  {
    auto o = std::make_shared<CorridorFlags>();
    auto* cmd = app.add_subcommand("corridors", "open / disrupted / blockaded, with confidence and evidence");
    cmd->add_option("--as-of", o->as_of, "YYYY-MM-DD (default: the day after the newest event)");
    cmd->add_option("--lang", o->lang, "en (default) or fr");
    cmd->add_flag("--all", o->all, "also list the routes that are open");
    cmd->add_option("--format", o->format, "table (default), json or geojson");
    cmd->callback([&g, &rc, o] { rc = RunCorridors(g, *o); });
  }
  {
    auto o = std::make_shared<RouteFlags>();
    auto* cmd = app.add_subcommand("route", "least-risk route between two towns and its alternatives");
    cmd->add_option("FROM", o->from, "town name or LAT,LON (snapped to the nearest town)")->required();
    cmd->add_option("TO", o->to, "town name or LAT,LON")->required();
    cmd->add_option("--as-of", o->as_of, "fit (or reuse) the model at this date instead of the latest snapshot");
    cmd->add_option("--horizon", o->horizon, "days of risk: 1, 7 (default) or 30");
    cmd->add_option("--risk-weight", o->risk_weight, "km of detour worth one expected incident (default 1000)");
    cmd->add_option("--alternatives", o->alternatives, "routes besides the best (default 2)");
    cmd->add_option("--avoid", o->avoid, "route id, edge id (e12) or hop (Kayes-Diboli) to avoid; repeatable");
    cmd->add_option("--format", o->format, "table (default), json or geojson");
    cmd->callback([&g, &rc, o] { rc = RunRoute(g, *o); });
  }
}

}  // namespace vigil::cli

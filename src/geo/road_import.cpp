#include "geo/road_import.h"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "core/event.h"
#include "core/json.h"
#include "core/strings.h"

namespace vigil::geo {

using core::Json;
using core::Result;
using core::Status;

namespace {

using Line = std::vector<std::pair<double, double>>;  // (lat, lon)

int64_t VertexKey(double lat, double lon) {
  // 1e-7 degree steps: lat in [-90, 90] and lon in [-180, 180] fit in 2^31.
  const auto a = static_cast<int64_t>(std::llround((lat + 90) * 1e7));
  const auto b = static_cast<int64_t>(std::llround((lon + 180) * 1e7));
  return a * 4'000'000'000LL + b;
}

std::string NodeName(double lat, double lon) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.7f,%.7f", lat, lon);
  return buf;
}

std::string RouteOf(const Json& props, const std::string& field) {
  if (!props.is_object()) return "road";
  auto text = [&](const char* k) -> std::string {
    auto it = props.find(k);
    if (it == props.end() || it->is_null()) return "";
    return it->is_string() ? it->get<std::string>() : it->dump();
  };
  if (!field.empty()) {
    const std::string v = text(field.c_str());
    return v.empty() ? "road" : v;
  }
  for (const char* k : {"ref", "route", "name", "highway"}) {
    const std::string v = text(k);
    if (!v.empty()) return v;
  }
  return "road";
}

Status ReadLine(const Json& coords, int64_t feature, Line* out) {
  out->clear();
  if (!coords.is_array()) return core::InvalidArgument("feature " + std::to_string(feature) + ": coordinates");
  for (const auto& p : coords) {
    if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number())
      return core::InvalidArgument("feature " + std::to_string(feature) + ": a position is not [lon, lat]");
    const double lon = p[0].get<double>(), lat = p[1].get<double>();
    if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180))
      return core::InvalidArgument("feature " + std::to_string(feature) + ": position " + p.dump() +
                                   " is not longitude, latitude in degrees (reproject to EPSG:4326)");
    if (out->empty() || out->back() != std::pair<double, double>{lat, lon}) out->push_back({lat, lon});
  }
  return Status::Ok();
}

// For each populated place, the junction nearest to it within reach.
std::unordered_map<int64_t, const Place*> JunctionNames(const std::vector<std::pair<std::string, Line>>& lines,
                                                        const std::unordered_map<int64_t, int>& uses,
                                                        const RoadImportOptions& options) {
  std::unordered_map<int64_t, const Place*> out;
  if (options.gazetteer == nullptr) return out;
  std::unordered_map<const Place*, std::pair<int64_t, double>> best;  // place -> (vertex, km)
  for (const auto& [route, l] : lines)
    for (const auto& [la, lo] : l) {
      const int64_t k = VertexKey(la, lo);
      if (uses.at(k) < 2) continue;
      const Place* p = options.gazetteer->NearestPopulated(la, lo, options.name_within_km);
      if (p == nullptr) continue;
      const double d = core::HaversineKm(la, lo, p->lat, p->lon);
      auto [it, fresh] = best.try_emplace(p, k, d);
      if (!fresh && d < it->second.second) it->second = {k, d};
    }
  // A junction nearest to two places takes the nearer (then the lower id).
  std::unordered_map<int64_t, std::pair<const Place*, double>> claim;
  for (const auto& [p, kd] : best) {
    auto [it, fresh] = claim.try_emplace(kd.first, p, kd.second);
    const auto& [q, dq] = it->second;
    if (!fresh && (kd.second < dq || (kd.second == dq && p->id < q->id))) it->second = {p, kd.second};
  }
  for (const auto& [k, pd] : claim) out[k] = pd.first;
  return out;
}

}  // namespace

Result<RoadNetwork> NetworkFromGeoJson(std::string_view geojson, const RoadImportOptions& options,
                                       RoadImportSummary* summary) {
  *summary = {};
  VIGIL_ASSIGN_OR_RETURN(Json doc, core::ParseJson(geojson, {.max_depth = 16}));
  if (!doc.is_object() || !doc.contains("features") || !doc["features"].is_array())
    return core::ParseError("not a GeoJSON FeatureCollection (no \"features\" array)");
  // The lines and their roads.
  std::vector<std::pair<std::string, Line>> lines;
  Line line;
  for (const auto& f : doc["features"]) {
    if (++summary->features > static_cast<int64_t>(options.max_features))
      return core::TooLarge("more than " + std::to_string(options.max_features) + " features");
    const Json* g = f.is_object() && f.contains("geometry") ? &f["geometry"] : nullptr;
    const std::string type =
        g && g->is_object() && g->contains("type") && (*g)["type"].is_string() ? (*g)["type"].get<std::string>() : "";
    std::vector<const Json*> parts;
    if (type == "LineString") {
      parts.push_back(&(*g)["coordinates"]);
    } else if (type == "MultiLineString" && (*g)["coordinates"].is_array()) {
      for (const auto& c : (*g)["coordinates"]) parts.push_back(&c);
    } else {
      ++summary->skipped;
      if (summary->first_skip.empty())
        summary->first_skip = "feature " + std::to_string(summary->features) + ": geometry " +
                              (type.empty() ? "missing" : type) + ", not a line";
      continue;
    }
    const std::string route = RouteOf(f.value("properties", Json()), options.route_field);
    for (const Json* c : parts) {
      VIGIL_RETURN_IF_ERROR(ReadLine(*c, summary->features, &line));
      if (line.size() < 2) {
        ++summary->skipped;
        if (summary->first_skip.empty())
          summary->first_skip = "feature " + std::to_string(summary->features) + ": fewer than two distinct points";
        continue;
      }
      lines.emplace_back(route, line);
    }
  }
  summary->lines = static_cast<int64_t>(lines.size());
  if (lines.empty())
    return core::InvalidArgument("no LineString or MultiLineString in the file" +
                                 (summary->first_skip.empty() ? "" : " (" + summary->first_skip + ")"));
  // Vertices used by two or more lines, and every endpoint, are nodes.
  std::unordered_map<int64_t, int> uses;
  for (const auto& [route, l] : lines) {
    int64_t prev = -1;
    for (const auto& [la, lo] : l) {
      const int64_t k = VertexKey(la, lo);
      if (k != prev) ++uses[k];
      prev = k;
    }
    uses[VertexKey(l.front().first, l.front().second)] += 2;
    uses[VertexKey(l.back().first, l.back().second)] += 2;
  }
  const auto names = JunctionNames(lines, uses, options);
  RoadNetwork::Builder b;
  auto node = [&](const std::pair<double, double>& p) {
    if (auto it = names.find(VertexKey(p.first, p.second)); it != names.end())
      return b.AddNode(it->second->name, p.first, p.second, it->second->id, it->second->admin1);
    return b.AddNode(NodeName(p.first, p.second), p.first, p.second);
  };
  for (const auto& [route, l] : lines) {
    Line piece{l.front()};
    for (size_t i = 1; i < l.size(); ++i) {
      piece.push_back(l[i]);
      if (i + 1 < l.size() && uses[VertexKey(l[i].first, l[i].second)] < 2) continue;
      const uint32_t a = node(piece.front()), z = node(piece.back());
      if (a != z) b.AddShapedHop(route, a, z, piece);
      piece = {l[i]};
    }
  }
  b.SetSource("imported");
  RoadNetwork net = std::move(b).Build();
  summary->nodes = static_cast<int64_t>(net.nodes().size());
  summary->edges = static_cast<int64_t>(net.edges().size());
  for (const auto& n : net.nodes()) summary->named += n.place_id != 0;
  summary->km = net.TotalKm();
  return net;
}

Result<std::string> ReadWithOgr(const std::string& path, const std::string& layer) {
  if (access(path.c_str(), R_OK) != 0) return core::NotFound(path + ": cannot read (" + std::strerror(errno) + ")");
  int out[2], err[2];
  if (pipe(out) != 0 || pipe(err) != 0) return core::IoError(std::string("pipe: ") + std::strerror(errno));
  std::vector<std::string> args{"ogr2ogr", "-f", "GeoJSON", "/vsistdout/", path};
  if (!layer.empty()) args.push_back(layer);
  args.insert(args.end(), {"-t_srs", "EPSG:4326", "-skipfailures"});
  const pid_t pid = fork();
  if (pid < 0) return core::IoError(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(err[1], 2);
    close(out[0]);
    close(err[0]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp("ogr2ogr", argv.data());
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  std::string text, msg;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  char buf[65536];
  int open_fds = 2;
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? text : msg).append(buf, static_cast<size_t>(n));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
    return core::NotFound("ogr2ogr not found: install GDAL's tools (Debian: apt-get install gdal-bin)");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    // GDAL's message without its list of every driver it tried.
    std::string brief;
    for (auto l : core::Split(msg, '\n')) {
      l = core::Trim(l);
      if (l.empty() || l.substr(0, 2) == "->" || l == "FAILURE:") continue;
      brief += (brief.empty() ? "" : "; ") + std::string(l);
    }
    return core::ParseError(path + ": GDAL could not read it: " + std::string(core::TruncateUtf8(brief, 300)));
  }
  return text;
}

Result<RoadNetwork> ImportRoadNetwork(const std::string& path, const RoadImportOptions& options,
                                      RoadImportSummary* summary) {
  const bool geojson = (path.size() > 8 && path.compare(path.size() - 8, 8, ".geojson") == 0) ||
                       (path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0);
  std::string text;
  if (geojson && options.layer.empty()) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::NotFound(path + ": cannot open");
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  } else {
    VIGIL_ASSIGN_OR_RETURN(text, ReadWithOgr(path, options.layer));
  }
  auto net = NetworkFromGeoJson(text, options, summary);
  if (!net.ok()) return Status(net.status().code(), path + ": " + net.status().message());
  return net;
}

std::string NetworkToJson(const RoadNetwork& net) {
  Json nodes = Json::array(), edges = Json::array(), routes = Json::array();
  for (const auto& n : net.nodes()) nodes.push_back({n.name, n.lat, n.lon, n.place_id, n.admin1});
  for (const auto& e : net.edges()) {
    Json shape = Json::array();
    for (const auto& [la, lo] : e.shape) shape.push_back({la, lo});
    edges.push_back({e.a, e.b, e.km, static_cast<int>(e.km_source), e.km_note, e.routes, shape});
  }
  for (const auto& r : net.routes()) routes.push_back({r.id, r.name});
  return Json{{"format", 1}, {"source", net.source()}, {"nodes", nodes}, {"edges", edges}, {"routes", routes}}.dump();
}

Result<RoadNetwork> NetworkFromJson(std::string_view json) {
  VIGIL_ASSIGN_OR_RETURN(Json doc, core::ParseJson(json, {.max_depth = 16}));
  if (!doc.is_object() || doc.value("format", 0) != 1) return core::ParseError("stored road network: unknown format");
  try {
    RoadNetwork::Builder b;
    for (const auto& n : doc["nodes"])
      b.AddNode(n[0].get<std::string>(), n[1].get<double>(), n[2].get<double>(), n[3].get<int64_t>(),
                n[4].get<std::string>());
    for (const auto& e : doc["edges"]) {
      const auto a = e[0].get<uint32_t>(), z = e[1].get<uint32_t>();
      const auto& routes = e[5];
      if (!e[6].empty()) {
        Line shape;
        for (const auto& p : e[6]) shape.push_back({p[0].get<double>(), p[1].get<double>()});
        b.AddShapedHop(routes.empty() ? "road" : routes[0].get<std::string>(), a, z, std::move(shape));
      } else {
        for (const auto& r : routes)
          b.AddHop(r.get<std::string>(), a, z, e[2].get<double>(), static_cast<KmSource>(e[3].get<int>()),
                   e[4].get<std::string>());
      }
    }
    for (const auto& r : doc["routes"]) b.NameRoute(r[0].get<std::string>(), r[1].get<std::string>());
    b.SetSource(doc.value("source", std::string("stored")));
    return std::move(b).Build();
  } catch (const std::exception& ex) {
    return core::ParseError(std::string("stored road network: ") + ex.what());
  }
}

}  // namespace vigil::geo

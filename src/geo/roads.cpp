#include "geo/roads.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/csv.h"
#include "core/event.h"
#include "core/strings.h"
#include "geo/normalize.h"

namespace vigil::geo {

using core::Result;
using core::Status;

const char* KmSourceName(KmSource s) {
  switch (s) {
    case KmSource::kPublished:
      return "published";
    case KmSource::kPublishedSpan:
      return "published span";
    case KmSource::kStraightLine:
      return "straight line";
  }
  return "?";
}

double NodeDistanceKm(const RoadNode& a, const RoadNode& b) { return core::HaversineKm(a.lat, a.lon, b.lat, b.lon); }

std::vector<std::pair<double, double>> EdgeLine(const RoadNetwork& net, uint32_t e) {
  const RoadEdge& edge = net.edges()[e];
  if (!edge.shape.empty()) return edge.shape;
  const RoadNode &a = net.nodes()[edge.a], &b = net.nodes()[edge.b];
  return {{a.lat, a.lon}, {b.lat, b.lon}};
}

double LineKm(const std::vector<std::pair<double, double>>& line) {
  double km = 0;
  for (size_t i = 1; i < line.size(); ++i)
    km += core::HaversineKm(line[i - 1].first, line[i - 1].second, line[i].first, line[i].second);
  return km;
}

// ---- Builder ----------------------------------------------------------------

uint32_t RoadNetwork::Builder::AddNode(const std::string& name, double lat, double lon, int64_t place_id,
                                       const std::string& admin1) {
  if (place_id != 0) {
    auto it = net_.node_by_place_.find(place_id);
    if (it != net_.node_by_place_.end()) return it->second;
  } else {
    auto it = net_.node_by_name_.find(FoldName(name));
    if (it != net_.node_by_name_.end() && net_.nodes_[it->second].place_id == 0) return it->second;
  }
  const auto id = static_cast<uint32_t>(net_.nodes_.size());
  net_.nodes_.push_back({place_id, name, lat, lon, admin1, {}});
  if (place_id != 0) net_.node_by_place_[place_id] = id;
  net_.node_by_name_.emplace(FoldName(name), id);
  return id;
}

namespace {

bool SameId(std::string_view a, std::string_view b) { return core::AsciiLower(a) == core::AsciiLower(b); }

std::optional<double> Num(std::string_view s) {
  double v;
  if (!core::ParseDouble(core::Trim(s), &v)) return std::nullopt;
  return v;
}

Route* RouteById(std::vector<Route>& routes, const std::string& id) {
  for (auto& r : routes)
    if (r.id == id) return &r;
  return nullptr;
}

uint64_t PairKey(uint32_t a, uint32_t b) {
  if (a > b) std::swap(a, b);
  return (static_cast<uint64_t>(a) << 32) | b;
}

}  // namespace

void RoadNetwork::Builder::AddHop(const std::string& route_id, uint32_t a, uint32_t b, double km, KmSource src,
                                  const std::string& note) {
  Route* r = RouteById(net_.routes_, route_id);
  if (!r) {
    net_.routes_.push_back({route_id, route_id, {a}, {}, 0});
    r = &net_.routes_.back();
  }
  if (r->nodes.empty() || r->nodes.back() != a) r->nodes.push_back(a);
  r->nodes.push_back(b);
  const double straight = NodeDistanceKm(net_.nodes_[a], net_.nodes_[b]);
  if (km <= 0) {
    km = straight * kRoadFactor;
    src = KmSource::kStraightLine;
  }
  uint32_t e;
  auto it = edge_by_pair_.find(PairKey(a, b));
  if (it == edge_by_pair_.end()) {
    e = static_cast<uint32_t>(net_.edges_.size());
    RoadEdge edge;
    edge.a = a;
    edge.b = b;
    edge.km = km;
    edge.straight_km = straight;
    edge.km_source = src;
    edge.km_note = note;
    net_.edges_.push_back(std::move(edge));
    edge_by_pair_[PairKey(a, b)] = e;
    net_.nodes_[a].edges.push_back(e);
    net_.nodes_[b].edges.push_back(e);
  } else {
    e = it->second;
    RoadEdge& edge = net_.edges_[e];
    // Two routes share the hop: keep the better-sourced figure.
    if (static_cast<int>(src) < static_cast<int>(edge.km_source)) {
      edge.km = km;
      edge.km_source = src;
      edge.km_note = note;
    }
  }
  auto& routes = net_.edges_[e].routes;
  if (std::find(routes.begin(), routes.end(), route_id) == routes.end()) routes.push_back(route_id);
  r->edges.push_back(e);
}

void RoadNetwork::Builder::AddShapedHop(const std::string& route_id, uint32_t a, uint32_t b,
                                        std::vector<std::pair<double, double>> shape) {
  Route* r = RouteById(net_.routes_, route_id);
  if (!r) {
    net_.routes_.push_back({route_id, route_id, {}, {}, 0});
    r = &net_.routes_.back();
  }
  RoadEdge edge;
  edge.a = a;
  edge.b = b;
  edge.km = std::max(LineKm(shape), 1e-3);
  edge.straight_km = NodeDistanceKm(net_.nodes_[a], net_.nodes_[b]);
  edge.km_source = KmSource::kPublished;
  edge.km_note = "length of the drawn line";
  edge.routes = {route_id};
  edge.shape = std::move(shape);
  const auto e = static_cast<uint32_t>(net_.edges_.size());
  net_.edges_.push_back(std::move(edge));
  edge_by_pair_.emplace(PairKey(a, b), e);
  net_.nodes_[a].edges.push_back(e);
  net_.nodes_[b].edges.push_back(e);
  // A drawn network's "route" is a name shared by many lines: its nodes
  // are not one chain, so only its edges are listed.
  r->edges.push_back(e);
}

void RoadNetwork::Builder::NameRoute(const std::string& route_id, const std::string& name) {
  if (Route* r = RouteById(net_.routes_, route_id)) r->name = name;
}

Status RoadNetwork::Builder::AddCorridor(const std::string& id, const std::string& name_en, const std::string& name_fr,
                                         const std::vector<Piece>& pieces, const std::vector<std::string>& aliases) {
  Corridor c;
  c.id = id;
  c.name_en = name_en;
  c.name_fr = name_fr;
  for (const auto& p : pieces) {
    const Route* r = RouteById(net_.routes_, p.route);
    if (!r) return core::InvalidArgument("corridor " + id + ": no route " + p.route);
    auto from = std::find(r->nodes.begin(), r->nodes.end(), p.from);
    auto to = std::find(r->nodes.begin(), r->nodes.end(), p.to);
    if (from == r->nodes.end() || to == r->nodes.end())
      return core::InvalidArgument("corridor " + id + ": route " + p.route + " does not pass through " +
                                   net_.nodes_[from == r->nodes.end() ? p.from : p.to].name);
    size_t i = static_cast<size_t>(from - r->nodes.begin()), j = static_cast<size_t>(to - r->nodes.begin());
    if (i > j) std::swap(i, j);
    for (size_t k = i; k < j; ++k) c.edges.push_back(r->edges[k]);
  }
  for (const auto& a : aliases)
    if (!core::Trim(a).empty()) c.aliases.push_back(FoldName(a));
  net_.corridors_.push_back(std::move(c));
  return Status::Ok();
}

RoadNetwork RoadNetwork::Builder::Build(double segment_km) && {
  RoadNetwork& n = net_;
  n.segments_.clear();
  for (uint32_t e = 0; e < n.edges_.size(); ++e) {
    RoadEdge& edge = n.edges_[e];
    const auto line = EdgeLine(n, e);
    const auto k = static_cast<uint32_t>(std::max(1.0, std::round(edge.km / segment_km)));
    edge.first_segment = static_cast<uint32_t>(n.segments_.size());
    edge.segments = k;
    // Cut the line at k - 1 points evenly spaced along its length; a
    // segment is the chord between two cuts.
    std::vector<double> cum{0};
    for (size_t i = 1; i < line.size(); ++i)
      cum.push_back(cum.back() +
                    core::HaversineKm(line[i - 1].first, line[i - 1].second, line[i].first, line[i].second));
    auto at = [&](double f) {
      const double d = f * cum.back();
      size_t i = 1;
      while (i + 1 < line.size() && cum[i] < d) ++i;
      const double span = cum[i] - cum[i - 1], t = span > 0 ? (d - cum[i - 1]) / span : 0;
      return std::pair<double, double>{line[i - 1].first + (line[i].first - line[i - 1].first) * t,
                                       line[i - 1].second + (line[i].second - line[i - 1].second) * t};
    };
    for (uint32_t i = 0; i < k; ++i) {
      const auto p0 = at(static_cast<double>(i) / k), p1 = at(static_cast<double>(i + 1) / k);
      n.segments_.push_back({e, i, p0.first, p0.second, p1.first, p1.second, edge.km / k});
    }
  }
  for (auto& r : n.routes_) {
    r.km = 0;
    for (uint32_t e : r.edges) r.km += n.edges_[e].km;
  }
  // Every route is a corridor of its own, after the named ones.
  std::vector<Corridor> own;
  for (const auto& r : n.routes_) {
    Corridor c;
    c.id = r.id;
    c.name_en = c.name_fr = r.name;
    c.edges = r.edges;
    c.aliases = {FoldName(r.id)};
    c.is_route = true;
    own.push_back(std::move(c));
  }
  n.corridors_.insert(n.corridors_.end(), own.begin(), own.end());
  for (auto& c : n.corridors_) {
    c.km = 0;
    for (uint32_t e : c.edges) c.km += n.edges_[e].km;
  }
  return std::move(net_);
}

// ---- Lookups ----------------------------------------------------------------

const Route* RoadNetwork::FindRoute(std::string_view id) const {
  for (const auto& r : routes_)
    if (SameId(r.id, id)) return &r;
  return nullptr;
}

const Corridor* RoadNetwork::FindCorridor(std::string_view id) const {
  for (const auto& c : corridors_)
    if (SameId(c.id, id)) return &c;
  const std::string f = FoldName(id);
  for (const auto& c : corridors_)
    if (std::find(c.aliases.begin(), c.aliases.end(), f) != c.aliases.end()) return &c;
  return nullptr;
}

std::optional<uint32_t> RoadNetwork::FindNode(std::string_view name) const {
  const std::string f = FoldName(name);
  if (auto it = node_by_name_.find(f); it != node_by_name_.end()) return it->second;
  // A unique node whose name starts with the query as a word: "Nioro".
  std::optional<uint32_t> found;
  for (const auto& [k, v] : node_by_name_) {
    if (k.size() > f.size() && k.compare(0, f.size(), f) == 0 && k[f.size()] == ' ') {
      if (found && *found != v) return std::nullopt;
      found = v;
    }
  }
  return found;
}

std::optional<uint32_t> RoadNetwork::NodeByPlace(int64_t place_id) const {
  auto it = node_by_place_.find(place_id);
  if (it == node_by_place_.end()) return std::nullopt;
  return it->second;
}

std::pair<uint32_t, double> RoadNetwork::NearestNode(double lat, double lon) const {
  std::pair<uint32_t, double> best{0, 1e18};
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    const double d = core::HaversineKm(lat, lon, nodes_[i].lat, nodes_[i].lon);
    if (d < best.second) best = {i, d};
  }
  return best;
}

std::optional<uint32_t> RoadNetwork::EdgeBetween(uint32_t a, uint32_t b) const {
  if (a >= nodes_.size()) return std::nullopt;
  for (uint32_t e : nodes_[a].edges)
    if (edges_[e].Other(a) == b) return e;
  return std::nullopt;
}

std::string RoadNetwork::EdgeName(uint32_t e) const {
  return nodes_[edges_[e].a].name + "–" + nodes_[edges_[e].b].name;
}

double RoadNetwork::TotalKm() const {
  double s = 0;
  for (const auto& e : edges_) s += e.km;
  return s;
}

// ---- The bundled network ----------------------------------------------------

namespace {

struct RouteRow {
  int seq = 0;
  std::string name, place_name;
  int64_t place_id = 0;
  double lat = 0, lon = 0;
  std::string admin1;
  double km_from_start = -1;
};

// "Ouolodo (Wolodo)" -> {"Ouolodo", "Wolodo"}; "Koloko (BF; ...)" -> {"Koloko"}.
std::vector<std::string> NameVariants(const std::string& place_name) {
  std::vector<std::string> out;
  const size_t p = place_name.find(" (");
  out.push_back(std::string(core::Trim(place_name.substr(0, p))));
  if (p != std::string::npos) {
    std::string inner = place_name.substr(p + 2);
    if (!inner.empty() && inner.back() == ')') inner.pop_back();
    if (inner.find(';') == std::string::npos && inner.find(' ') == std::string::npos) out.push_back(inner);
  }
  return out;
}

Result<std::vector<std::string>> Header(core::CsvReader& r, const std::string& path,
                                        const std::vector<std::string>& need, std::map<std::string, size_t>* col) {
  VIGIL_ASSIGN_OR_RETURN(bool any, r.Next());
  if (!any) return core::ParseError(path + ": empty file");
  for (size_t i = 0; i < r.size(); ++i) (*col)[std::string(core::Trim(r[i]))] = i;
  for (const auto& n : need)
    if (!col->count(n)) return core::ParseError(path + ":1: missing column '" + n + "'");
  return need;
}

struct Span {
  size_t i, j;  // node positions on the route, i < j
  double km;
  std::string note;
};

// Road km of each hop of one route from its published figures: shortest
// spans first; a span's figure is spread over its hops not yet set, in
// proportion to their straight lengths, when it passes the check.
std::vector<std::pair<double, std::string>> HopKm(const std::vector<double>& straight, std::vector<Span> spans,
                                                  std::vector<KmSource>* src) {
  const size_t n = straight.size();
  std::vector<std::pair<double, std::string>> out(n, {0.0, ""});
  src->assign(n, KmSource::kStraightLine);
  std::vector<char> set(n, 0);
  std::stable_sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.j - a.i < b.j - b.i; });
  for (const auto& s : spans) {
    double fixed = 0, free_straight = 0, all_straight = 0;
    for (size_t k = s.i; k < s.j; ++k) {
      all_straight += straight[k];
      if (set[k])
        fixed += out[k].first;
      else
        free_straight += straight[k];
    }
    if (free_straight <= 0) continue;
    const double ratio = (s.km - fixed) / free_straight;
    if (s.km < all_straight || ratio < 1.0 || ratio > kMaxRoadToStraight) continue;
    for (size_t k = s.i; k < s.j; ++k) {
      if (set[k]) continue;
      set[k] = 1;
      out[k] = {straight[k] * ratio, s.note};
      (*src)[k] = s.j - s.i == 1 ? KmSource::kPublished : KmSource::kPublishedSpan;
    }
  }
  return out;
}

std::string FormatKm(double km) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", km);
  return buf;
}

Result<std::vector<PublishedDistance>> ReadDistances(const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(auto r, core::CsvReader::Open(path));
  std::map<std::string, size_t> col;
  VIGIL_RETURN_IF_ERROR(Header(r, path, {"from", "to", "km", "source"}, &col).status());
  std::vector<PublishedDistance> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool more, r.Next());
    if (!more) break;
    PublishedDistance d;
    d.from = std::string(core::Trim(r[col["from"]]));
    d.to = std::string(core::Trim(r[col["to"]]));
    d.source = std::string(r[col["source"]]);
    auto km = Num(r[col["km"]]);
    if (!km || *km <= 0)
      return core::ParseError(path + ":" + std::to_string(r.line()) + ": km is not a positive number");
    d.km = *km;
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

Result<RoadNetwork> RoadNetwork::LoadBundled(const std::string& data_dir) {
  const std::string routes_path = data_dir + "/roads/routes.csv";
  const std::string dist_path = data_dir + "/roads/distances.csv";
  const std::string corr_path = data_dir + "/roads/corridors.csv";
  std::map<std::string, std::vector<RouteRow>> by_route;
  std::vector<std::string> order;
  {
    VIGIL_ASSIGN_OR_RETURN(auto r, core::CsvReader::Open(routes_path));
    std::map<std::string, size_t> c;
    VIGIL_RETURN_IF_ERROR(Header(r, routes_path,
                                 {"route_id", "route_name", "seq", "place_name", "geonameid", "latitude", "longitude",
                                  "admin1_name", "km_from_start"},
                                 &c)
                              .status());
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool more, r.Next());
      if (!more) break;
      const std::string at = routes_path + ":" + std::to_string(r.line()) + ": ";
      RouteRow row;
      const std::string id(core::Trim(r[c["route_id"]]));
      auto seq = Num(r[c["seq"]]);
      auto lat = Num(r[c["latitude"]]);
      auto lon = Num(r[c["longitude"]]);
      if (id.empty() || !seq || !lat || !lon || !core::ValidLatLon(*lat, *lon))
        return core::ParseError(at + "needs a route_id, a seq and valid latitude/longitude");
      row.seq = static_cast<int>(*seq);
      row.name = std::string(r[c["route_name"]]);
      row.place_name = std::string(core::Trim(r[c["place_name"]]));
      if (!core::ParseInt64(core::Trim(r[c["geonameid"]]), &row.place_id)) row.place_id = 0;
      row.lat = *lat;
      row.lon = *lon;
      row.admin1 = std::string(r[c["admin1_name"]]);
      if (auto km = Num(r[c["km_from_start"]])) row.km_from_start = *km;
      if (!by_route.count(id)) order.push_back(id);
      by_route[id].push_back(std::move(row));
    }
  }
  VIGIL_ASSIGN_OR_RETURN(auto distances, ReadDistances(dist_path));

  Builder b;
  b.SetSource("bundled: " + routes_path);
  for (const auto& id : order) {
    auto& rows = by_route[id];
    std::stable_sort(rows.begin(), rows.end(), [](const RouteRow& x, const RouteRow& y) { return x.seq < y.seq; });
    if (rows.size() < 2) return core::ParseError(routes_path + ": route " + id + " has fewer than two towns");
    std::vector<uint32_t> nodes;
    std::map<std::string, size_t> pos;  // folded name variant -> position
    for (size_t k = 0; k < rows.size(); ++k) {
      const auto names = NameVariants(rows[k].place_name);
      nodes.push_back(b.AddNode(names[0], rows[k].lat, rows[k].lon, rows[k].place_id, rows[k].admin1));
      for (const auto& v : names) pos.emplace(FoldName(v), k);
    }
    std::vector<double> straight;
    for (size_t k = 0; k + 1 < nodes.size(); ++k)
      straight.push_back(NodeDistanceKm(b.partial().nodes()[nodes[k]], b.partial().nodes()[nodes[k + 1]]));
    std::vector<Span> spans;
    // Consecutive km_from_start anchors.
    size_t last = std::string::npos;
    for (size_t k = 0; k < rows.size(); ++k) {
      if (rows[k].km_from_start < 0) continue;
      if (last != std::string::npos)
        spans.push_back({last, k, rows[k].km_from_start - rows[last].km_from_start,
                         FormatKm(rows[k].km_from_start - rows[last].km_from_start) + " km, " + rows[last].place_name +
                             "–" + rows[k].place_name + " (km from the route's start)"});
      last = k;
    }
    // Published town-to-town distances between two towns of this route.
    for (const auto& d : distances) {
      auto i = pos.find(FoldName(d.from)), j = pos.find(FoldName(d.to));
      if (i == pos.end() || j == pos.end() || i->second == j->second) continue;
      spans.push_back({std::min(i->second, j->second), std::max(i->second, j->second), d.km,
                       FormatKm(d.km) + " km, " + d.from + "–" + d.to + " (" + d.source + ")"});
    }
    std::vector<KmSource> src;
    const auto km = HopKm(straight, spans, &src);
    for (size_t k = 0; k + 1 < nodes.size(); ++k)
      b.AddHop(id, nodes[k], nodes[k + 1], src[k] == KmSource::kStraightLine ? 0 : km[k].first, src[k], km[k].second);
    b.NameRoute(id, rows[0].name);
  }
  // Named corridors.
  VIGIL_ASSIGN_OR_RETURN(auto r, core::CsvReader::Open(corr_path));
  std::map<std::string, size_t> c;
  VIGIL_RETURN_IF_ERROR(Header(r, corr_path, {"corridor_id", "name_en", "name_fr", "pieces", "aliases"}, &c).status());
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool more, r.Next());
    if (!more) break;
    const std::string at = corr_path + ":" + std::to_string(r.line()) + ": ";
    std::vector<Builder::Piece> pieces;
    for (const auto& piece : core::Split(r[c["pieces"]], '|')) {
      const auto parts = core::Split(piece, ':');
      if (parts.size() != 3) return core::ParseError(at + "a piece is ROUTE:FROM:TO, not '" + std::string(piece) + "'");
      auto from = b.partial().FindNode(parts[1]), to = b.partial().FindNode(parts[2]);
      if (!from || !to) return core::ParseError(at + "unknown town in '" + std::string(piece) + "'");
      pieces.push_back({std::string(parts[0]), *from, *to});
    }
    std::vector<std::string> aliases;
    for (const auto& a : core::Split(r[c["aliases"]], '|')) aliases.emplace_back(a);
    if (Status s = b.AddCorridor(std::string(r[c["corridor_id"]]), std::string(r[c["name_en"]]),
                                 std::string(r[c["name_fr"]]), pieces, aliases);
        !s.ok())
      return core::ParseError(at + s.message());
  }
  return std::move(b).Build();
}

}  // namespace vigil::geo

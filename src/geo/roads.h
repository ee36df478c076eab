// vigil::geo — the road network: towns joined by hops, hops cut into
// segments of about 5 km for risk sampling, named routes and corridors.
//
// The bundled network (data/roads/, docs/corridors.md) is Mali's main routes
// as ordered town sequences with GeoNames coordinates; routes that share a
// town (same geonameid) join. A hop is a straight line between two towns;
// its road km is the published figure where one passes the straight-line
// check (road km between 1.0 and kMaxRoadToStraight times the straight line),
// spread over the hops of a published span in proportion to their straight
// lengths; else the straight line times kRoadFactor.
//
// A corridor is a named chain of route pieces ("Bamako–Dakar": RN3 from
// Bamako to Diéma, then RN1 to Diboli), with the names the press gives it;
// every route is also a corridor of its own.
//
// Thread-safety: immutable after Build(); share as shared_ptr<const>.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace vigil::geo {

// Road km per straight km where no published figure holds: the median of
// bundled network's 24 published spans (1.04-1.42; docs/corridors.md).
inline constexpr double kRoadFactor = 1.13;
// A published figure above this many times the straight line is refused (a
// detour the hops do not draw, or a wrong figure); below 1.0 it is impossible.
inline constexpr double kMaxRoadToStraight = 1.6;
inline constexpr double kDefaultSegmentKm = 5.0;

struct RoadNode {
  int64_t place_id = 0;  // GeoNames id when known, else 0
  std::string name;
  double lat = 0, lon = 0;
  std::string admin1;
  std::vector<uint32_t> edges;  // incident edges
};

enum class KmSource { kPublished, kPublishedSpan, kStraightLine };
const char* KmSourceName(KmSource s);

struct RoadEdge {
  uint32_t a = 0, b = 0;  // node indices
  double km = 0;          // road km
  double straight_km = 0;
  KmSource km_source = KmSource::kStraightLine;
  std::string km_note;              // the figure and where it comes from
  std::vector<std::string> routes;  // route ids that use this hop
  // The road's line from node a to node b, (lat, lon), both ends included;
  // empty for a straight hop (the bundled network).
  std::vector<std::pair<double, double>> shape;
  uint32_t first_segment = 0, segments = 0;
  uint32_t Other(uint32_t n) const { return n == a ? b : a; }
};

struct RoadSegment {
  uint32_t edge = 0;
  uint32_t index = 0;  // position along the edge from node a
  double lat0 = 0, lon0 = 0, lat1 = 0, lon1 = 0;
  double km = 0;  // road km of this piece
};

struct Route {
  std::string id, name;
  std::vector<uint32_t> nodes;  // in order
  std::vector<uint32_t> edges;  // edges[i] joins nodes[i] and nodes[i+1]
  double km = 0;
};

struct Corridor {
  std::string id, name_en, name_fr;
  std::vector<uint32_t> edges;
  std::vector<std::string> aliases;  // folded names that designate it
  bool is_route = false;             // a route's own corridor
  double km = 0;
};

// A published road distance between two towns (distances.csv).
struct PublishedDistance {
  std::string from, to;
  double km = 0;
  std::string source;
};

class RoadNetwork {
 public:
  class Builder;

  // Loads data_dir/roads/{routes,distances,corridors}.csv. Fails with
  // kNotFound naming the missing file or kParse naming file:line.
  static core::Result<RoadNetwork> LoadBundled(const std::string& data_dir);

  const std::vector<RoadNode>& nodes() const { return nodes_; }
  const std::vector<RoadEdge>& edges() const { return edges_; }
  const std::vector<RoadSegment>& segments() const { return segments_; }
  const std::vector<Route>& routes() const { return routes_; }
  const std::vector<Corridor>& corridors() const { return corridors_; }
  const std::string& source() const { return source_; }

  const Route* FindRoute(std::string_view id) const;        // case-insensitive id
  const Corridor* FindCorridor(std::string_view id) const;  // id or alias
  // Node by name (folded, also "Nioro" for "Nioro du Sahel" when unique) or
  // by GeoNames id; nullopt when none.
  std::optional<uint32_t> FindNode(std::string_view name) const;
  std::optional<uint32_t> NodeByPlace(int64_t place_id) const;
  // Nearest node to a point and its distance in km.
  std::pair<uint32_t, double> NearestNode(double lat, double lon) const;
  // The edge joining two nodes, if any.
  std::optional<uint32_t> EdgeBetween(uint32_t a, uint32_t b) const;
  // "Kayes–Diboli".
  std::string EdgeName(uint32_t e) const;
  double TotalKm() const;

 private:
  friend class Builder;
  std::vector<RoadNode> nodes_;
  std::vector<RoadEdge> edges_;
  std::vector<RoadSegment> segments_;
  std::vector<Route> routes_;
  std::vector<Corridor> corridors_;
  std::unordered_map<std::string, uint32_t> node_by_name_;  // folded name -> node
  std::unordered_map<int64_t, uint32_t> node_by_place_;
  std::string source_;
};

// Builds a network from towns and hops: the bundled loader, the GeoJSON
// loader and the tests' drawn networks all go through it.
class RoadNetwork::Builder {
 public:
  // Adds a node, or returns the existing one with the same place id (when
  // non-zero) or, without one, the same folded name.
  uint32_t AddNode(const std::string& name, double lat, double lon, int64_t place_id = 0,
                   const std::string& admin1 = "");
  // Adds the hop a–b to a route (created on first use). `km` <= 0: straight
  // line times kRoadFactor. A hop two routes share is one edge.
  void AddHop(const std::string& route_id, uint32_t a, uint32_t b, double km = 0, KmSource src = KmSource::kPublished,
              const std::string& note = "");
  // A hop along a drawn line (a real road network): its km is the line's
  // length. `shape` runs from a to b, both included. Two lines between the
  // same two nodes stay two edges.
  void AddShapedHop(const std::string& route_id, uint32_t a, uint32_t b, std::vector<std::pair<double, double>> shape);
  void NameRoute(const std::string& route_id, const std::string& name);
  // A corridor as route pieces: (route id, from node, to node).
  struct Piece {
    std::string route;
    uint32_t from, to;
  };
  // Call after the routes it uses are complete. Fails with kInvalidArgument
  // naming an unknown route or a town that is not on it.
  core::Status AddCorridor(const std::string& id, const std::string& name_en, const std::string& name_fr,
                           const std::vector<Piece>& pieces, const std::vector<std::string>& aliases);
  void SetSource(const std::string& s) { net_.source_ = s; }
  // Cuts edges into segments of about segment_km and finishes the network.
  RoadNetwork Build(double segment_km = kDefaultSegmentKm) &&;

  // The network so far (nodes and routes; no segments until Build).
  const RoadNetwork& partial() const { return net_; }

 private:
  RoadNetwork net_;
  std::unordered_map<uint64_t, uint32_t> edge_by_pair_;
};

// Great-circle km between two nodes.
double NodeDistanceKm(const RoadNode& a, const RoadNode& b);

// The points of an edge from a to b: its shape, or the two nodes.
std::vector<std::pair<double, double>> EdgeLine(const RoadNetwork& net, uint32_t e);
// Length in km of a line of (lat, lon) points.
double LineKm(const std::vector<std::pair<double, double>>& line);

}  // namespace vigil::geo

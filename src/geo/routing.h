// vigil::geo — least-cost paths on the road network: Dijkstra with a binary
// heap, and Yen's algorithm for the K least-cost loop-free paths.
//
// Searches are goal-directed (A*): by the straight line to the goal times
// the cheapest cost per straight km for one route, by the exact costs to the
// goal (one reverse search) for Yen's spur searches.
//
// Costs are per edge and non-negative (the caller builds them: road km plus
// the risk weight times the expected incidents, docs/corridors.md). An edge
// whose cost is infinite is closed.
//
// Thread-safety: a Router holds scratch space; one per thread. The network
// is read only.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "geo/roads.h"

namespace vigil::geo {

inline constexpr double kClosed = std::numeric_limits<double>::infinity();

struct Path {
  std::vector<uint32_t> nodes;  // from ... to
  std::vector<uint32_t> edges;  // edges[i] joins nodes[i] and nodes[i+1]
  double cost = 0;
};

class Router {
 public:
  explicit Router(const RoadNetwork& net);

  // The least-cost path from -> to, or an empty path (no nodes) when none.
  // `banned_edges` / `banned_nodes` (sized like the network, or empty) close
  // edges and nodes for this query.
  Path Shortest(uint32_t from, uint32_t to, const std::vector<double>& cost, const std::vector<char>& banned_edges = {},
                const std::vector<char>& banned_nodes = {});

  // Up to k loop-free paths in increasing cost, all distinct (Yen 1971).
  std::vector<Path> KShortest(uint32_t from, uint32_t to, const std::vector<double>& cost, int k,
                              const std::vector<char>& banned_edges = {});

 private:
  Path Search(uint32_t from, uint32_t to, const std::vector<double>& cost, const std::vector<char>& banned_edges,
              const std::vector<char>& banned_nodes, const std::vector<double>* h);
  // Least cost from every node to `to` (undirected: the same as from it).
  std::vector<double> CostsTo(uint32_t to, const std::vector<double>& cost, const std::vector<char>& banned_edges);
  const RoadNetwork& net_;
  std::vector<double> dist_;
  std::vector<uint32_t> via_edge_;
  std::vector<uint32_t> touched_;
};

}  // namespace vigil::geo

#include "geo/routing.h"

#include <algorithm>
#include <queue>
#include <set>

namespace vigil::geo {

namespace {
constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
}

Router::Router(const RoadNetwork& net)
    : net_(net), dist_(net.nodes().size(), kClosed), via_edge_(net.nodes().size(), kNone) {}

Path Router::Shortest(uint32_t from, uint32_t to, const std::vector<double>& cost,
                      const std::vector<char>& banned_edges, const std::vector<char>& banned_nodes) {
  for (uint32_t n : touched_) {
    dist_[n] = kClosed;
    via_edge_[n] = kNone;
  }
  touched_.clear();
  Path out;
  const auto& nodes = net_.nodes();
  const auto& edges = net_.edges();
  if (from >= nodes.size() || to >= nodes.size()) return out;
  if (!banned_nodes.empty() && (banned_nodes[from] || banned_nodes[to])) return out;
  using Item = std::pair<double, uint32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
  dist_[from] = 0;
  touched_.push_back(from);
  heap.push({0, from});
  while (!heap.empty()) {
    const auto [d, n] = heap.top();
    heap.pop();
    if (d > dist_[n]) continue;
    if (n == to) break;
    for (uint32_t e : nodes[n].edges) {
      if (!banned_edges.empty() && banned_edges[e]) continue;
      const double c = cost[e];
      if (!(c < kClosed)) continue;
      const uint32_t m = edges[e].Other(n);
      if (!banned_nodes.empty() && banned_nodes[m]) continue;
      const double nd = d + c;
      if (nd < dist_[m]) {
        if (dist_[m] == kClosed) touched_.push_back(m);
        dist_[m] = nd;
        via_edge_[m] = e;
        heap.push({nd, m});
      }
    }
  }
  if (!(dist_[to] < kClosed)) return out;
  out.cost = dist_[to];
  for (uint32_t n = to; n != from;) {
    const uint32_t e = via_edge_[n];
    out.nodes.push_back(n);
    out.edges.push_back(e);
    n = edges[e].Other(n);
  }
  out.nodes.push_back(from);
  std::reverse(out.nodes.begin(), out.nodes.end());
  std::reverse(out.edges.begin(), out.edges.end());
  return out;
}

std::vector<Path> Router::KShortest(uint32_t from, uint32_t to, const std::vector<double>& cost, int k,
                                    const std::vector<char>& banned_edges) {
  std::vector<Path> found;
  if (k < 1) return found;
  Path first = Shortest(from, to, cost, banned_edges);
  if (first.nodes.empty()) return found;
  found.push_back(std::move(first));
  // Candidates ordered by cost, then by edges (deterministic ties).
  auto cmp = [](const Path& a, const Path& b) { return a.cost != b.cost ? a.cost < b.cost : a.edges < b.edges; };
  std::set<Path, decltype(cmp)> candidates(cmp);
  const size_t n_edges = net_.edges().size(), n_nodes = net_.nodes().size();
  std::vector<char> ban_e(n_edges), ban_n(n_nodes);
  while (static_cast<int>(found.size()) < k) {
    const Path& last = found.back();
    for (size_t i = 0; i + 1 < last.nodes.size(); ++i) {
      const uint32_t spur = last.nodes[i];
      std::fill(ban_e.begin(), ban_e.end(), 0);
      std::fill(ban_n.begin(), ban_n.end(), 0);
      if (!banned_edges.empty()) ban_e = banned_edges;
      // Close the next edge of every found path that shares this root.
      for (const auto& p : found) {
        if (p.nodes.size() > i + 1 &&
            std::equal(p.nodes.begin(), p.nodes.begin() + static_cast<long>(i) + 1, last.nodes.begin()))
          ban_e[p.edges[i]] = 1;
      }
      // The root's nodes (except the spur) may not be revisited: loop-free.
      double root_cost = 0;
      for (size_t j = 0; j < i; ++j) {
        ban_n[last.nodes[j]] = 1;
        root_cost += cost[last.edges[j]];
      }
      Path spur_path = Shortest(spur, to, cost, ban_e, ban_n);
      if (spur_path.nodes.empty()) continue;
      Path total;
      total.nodes.assign(last.nodes.begin(), last.nodes.begin() + static_cast<long>(i));
      total.nodes.insert(total.nodes.end(), spur_path.nodes.begin(), spur_path.nodes.end());
      total.edges.assign(last.edges.begin(), last.edges.begin() + static_cast<long>(i));
      total.edges.insert(total.edges.end(), spur_path.edges.begin(), spur_path.edges.end());
      total.cost = root_cost + spur_path.cost;
      candidates.insert(std::move(total));
    }
    // Take the cheapest candidate not already found.
    bool taken = false;
    while (!candidates.empty() && !taken) {
      Path p = *candidates.begin();
      candidates.erase(candidates.begin());
      const bool dup = std::any_of(found.begin(), found.end(), [&](const Path& f) { return f.edges == p.edges; });
      if (!dup) {
        found.push_back(std::move(p));
        taken = true;
      }
    }
    if (!taken) break;
  }
  return found;
}

}  // namespace vigil::geo

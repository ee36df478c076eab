#include "geo/routing.h"

#include <algorithm>
#include <queue>
#include <set>

#include "core/event.h"

namespace vigil::geo {

namespace {
constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
}

Router::Router(const RoadNetwork& net)
    : net_(net), dist_(net.nodes().size(), kClosed), via_edge_(net.nodes().size(), kNone) {}

// Dijkstra, goal-directed (A*) by `h`: a lower bound on the cost from each
// node to `to` that never decreases along an edge by more than the edge's
// cost (consistent), or by the straight line times the cheapest cost per
// straight km when `h` is null.
Path Router::Search(uint32_t from, uint32_t to, const std::vector<double>& cost, const std::vector<char>& banned_edges,
                    const std::vector<char>& banned_nodes, const std::vector<double>* h) {
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
  // The cheapest cost per straight km: cost >= ratio x straight on every
  // edge, so ratio x the great circle to `to` never overestimates.
  double ratio = 0;
  if (!h) {
    ratio = kClosed;
    for (size_t e = 0; e < edges.size(); ++e)
      if (edges[e].straight_km > 1e-9) ratio = std::min(ratio, cost[e] / edges[e].straight_km);
    if (!(ratio < kClosed)) ratio = 0;
    ratio *= 1 - 1e-9;
  }
  const RoadNode& target = nodes[to];
  auto bound = [&](uint32_t n) {
    if (h) return (*h)[n];
    if (ratio <= 0) return 0.0;
    return ratio * core::HaversineKm(nodes[n].lat, nodes[n].lon, target.lat, target.lon);
  };
  struct Item {
    double f, g;
    uint32_t n;
    bool operator>(const Item& o) const { return f > o.f; }
  };
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
  dist_[from] = 0;
  touched_.push_back(from);
  heap.push({bound(from), 0, from});
  while (!heap.empty()) {
    const Item it = heap.top();
    heap.pop();
    if (it.g > dist_[it.n]) continue;
    if (it.n == to) break;
    for (uint32_t e : nodes[it.n].edges) {
      if (!banned_edges.empty() && banned_edges[e]) continue;
      const double c = cost[e];
      if (!(c < kClosed)) continue;
      const uint32_t m = edges[e].Other(it.n);
      if (!banned_nodes.empty() && banned_nodes[m]) continue;
      const double nd = it.g + c;
      if (nd < dist_[m]) {
        const double hm = bound(m);
        if (!(hm < kClosed)) continue;  // cannot reach `to`
        if (dist_[m] == kClosed) touched_.push_back(m);
        dist_[m] = nd;
        via_edge_[m] = e;
        heap.push({nd + hm, nd, m});
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

Path Router::Shortest(uint32_t from, uint32_t to, const std::vector<double>& cost,
                      const std::vector<char>& banned_edges, const std::vector<char>& banned_nodes) {
  return Search(from, to, cost, banned_edges, banned_nodes, nullptr);
}

std::vector<double> Router::CostsTo(uint32_t to, const std::vector<double>& cost,
                                    const std::vector<char>& banned_edges) {
  const auto& nodes = net_.nodes();
  const auto& edges = net_.edges();
  std::vector<double> d(nodes.size(), kClosed);
  if (to >= nodes.size()) return d;
  using Item = std::pair<double, uint32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
  d[to] = 0;
  heap.push({0, to});
  while (!heap.empty()) {
    const auto [g, n] = heap.top();
    heap.pop();
    if (g > d[n]) continue;
    for (uint32_t e : nodes[n].edges) {
      if (!banned_edges.empty() && banned_edges[e]) continue;
      if (!(cost[e] < kClosed)) continue;
      const uint32_t m = edges[e].Other(n);
      if (g + cost[e] < d[m]) {
        d[m] = g + cost[e];
        heap.push({d[m], m});
      }
    }
  }
  return d;
}

std::vector<Path> Router::KShortest(uint32_t from, uint32_t to, const std::vector<double>& cost, int k,
                                    const std::vector<char>& banned_edges) {
  std::vector<Path> found;
  if (k < 1) return found;
  // Exact costs to `to` without the spur bans: a consistent bound for every
  // spur search, which then walks almost straight to the goal.
  const std::vector<double> h = CostsTo(to, cost, banned_edges);
  Path first = Search(from, to, cost, banned_edges, {}, &h);
  if (first.nodes.empty()) return found;
  found.push_back(std::move(first));
  // Candidates ordered by cost, then by edges (deterministic ties).
  auto cmp = [](const Path& a, const Path& b) { return a.cost != b.cost ? a.cost < b.cost : a.edges < b.edges; };
  std::set<Path, decltype(cmp)> candidates(cmp);
  const size_t n_edges = net_.edges().size(), n_nodes = net_.nodes().size();
  std::vector<char> ban_e = banned_edges.empty() ? std::vector<char>(n_edges, 0) : banned_edges;
  std::vector<char> ban_n(n_nodes, 0);
  std::vector<uint32_t> set_e, set_n;
  while (static_cast<int>(found.size()) < k) {
    const Path& last = found.back();
    for (size_t i = 0; i + 1 < last.nodes.size(); ++i) {
      const uint32_t spur = last.nodes[i];
      // Undo the previous spur's bans (cheaper than clearing everything).
      for (uint32_t e : set_e) ban_e[e] = banned_edges.empty() ? 0 : banned_edges[e];
      for (uint32_t n : set_n) ban_n[n] = 0;
      set_e.clear();
      set_n.clear();
      // Close the next edge of every found path that shares this root.
      for (const auto& p : found) {
        if (p.nodes.size() > i + 1 &&
            std::equal(p.nodes.begin(), p.nodes.begin() + static_cast<long>(i) + 1, last.nodes.begin()))
          ban_e[p.edges[i]] = 1, set_e.push_back(p.edges[i]);
      }
      // The root's nodes (except the spur) may not be revisited: loop-free.
      double root_cost = 0;
      for (size_t j = 0; j < i; ++j) {
        ban_n[last.nodes[j]] = 1;
        set_n.push_back(last.nodes[j]);
        root_cost += cost[last.edges[j]];
      }
      Path spur_path = Search(spur, to, cost, ban_e, ban_n, &h);
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

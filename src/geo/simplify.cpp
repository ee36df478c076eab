#include "geo/simplify.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

namespace vigil::geo {

using core::Json;

namespace {

using Point = std::pair<double, double>;  // lon, lat
using Arc = std::vector<Point>;

Point P(const LonLat& q) { return {q.lon, q.lat}; }
LonLat L(const Point& p) { return {p.first, p.second}; }

double PerpDist(const Point& p, const Point& a, const Point& b) {
  const double dx = b.first - a.first, dy = b.second - a.second, len2 = dx * dx + dy * dy;
  if (len2 == 0) return std::hypot(p.first - a.first, p.second - a.second);
  const double t = std::clamp(((p.first - a.first) * dx + (p.second - a.second) * dy) / len2, 0.0, 1.0);
  return std::hypot(p.first - (a.first + t * dx), p.second - (a.second + t * dy));
}

void Rdp(const Arc& a, size_t i, size_t j, double tol, std::vector<bool>* keep) {
  if (j <= i + 1) return;
  double best = -1;
  size_t at = i;
  for (size_t k = i + 1; k < j; ++k) {
    const double d = PerpDist(a[k], a[i], a[j]);
    if (d > best) best = d, at = k;
  }
  if (best <= tol) return;
  (*keep)[at] = true;
  Rdp(a, i, at, tol, keep);
  Rdp(a, at, j, tol, keep);
}

// Douglas–Peucker keeping both ends; a closed arc (a whole ring) is split
// at its point farthest from the start first.
Arc Simplify(const Arc& a, double tol) {
  if (a.size() < 3) return a;
  std::vector<bool> keep(a.size(), false);
  keep.front() = keep.back() = true;
  if (a.front() == a.back()) {
    size_t far = 0;
    double best = -1;
    for (size_t k = 1; k + 1 < a.size(); ++k) {
      const double d = std::hypot(a[k].first - a[0].first, a[k].second - a[0].second);
      if (d > best) best = d, far = k;
    }
    keep[far] = true;
    Rdp(a, 0, far, tol, &keep);
    Rdp(a, far, a.size() - 1, tol, &keep);
  } else {
    Rdp(a, 0, a.size() - 1, tol, &keep);
  }
  Arc out;
  for (size_t k = 0; k < a.size(); ++k)
    if (keep[k]) out.push_back(a[k]);
  return out;
}

using EdgeKey = std::pair<Point, Point>;
EdgeKey Edge(const Point& a, const Point& b) { return a < b ? EdgeKey{a, b} : EdgeKey{b, a}; }

// Which polygons (by index in the coverage) own each edge.
std::map<EdgeKey, std::set<int>> EdgeOwners(const std::vector<Geometry>& coverage) {
  std::map<EdgeKey, std::set<int>> owners;
  for (size_t g = 0; g < coverage.size(); ++g)
    for (const auto& poly : coverage[g].polygons)
      for (const auto& ring : poly)
        for (size_t i = 0; i + 1 < ring.size(); ++i)
          owners[Edge(P(ring[i]), P(ring[i + 1]))].insert(static_cast<int>(g));
  return owners;
}

// Simplifies arcs once, whichever way round a polygon walks them.
class ArcCache {
 public:
  explicit ArcCache(double tol) : tol_(tol) {}
  Arc Get(const Arc& a) {
    Arc canon = a;
    const bool flip = Reversed(a);
    if (flip) std::reverse(canon.begin(), canon.end());
    auto it = done_.find(canon);
    if (it == done_.end()) it = done_.emplace(canon, Simplify(canon, tol_)).first;
    Arc out = it->second;
    if (flip) std::reverse(out.begin(), out.end());
    return out;
  }

 private:
  static bool Reversed(const Arc& a) {
    if (a.front() != a.back()) return a.back() < a.front();
    return a.size() > 2 && a[a.size() - 2] < a[1];  // a closed arc starts at its least point (see Ring)
  }
  double tol_;
  std::map<Arc, Arc> done_;
};

// A ring cut at its junctions, each arc simplified through `cache`.
Ring SimplifyRing(const Ring& ring, const std::map<EdgeKey, std::set<int>>& owners, ArcCache* cache) {
  const size_t n = ring.size() - 1;  // distinct vertices (closed ring)
  if (ring.size() < 4) return ring;
  std::vector<Point> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = P(ring[i]);
  std::vector<size_t> junctions;
  for (size_t i = 0; i < n; ++i) {
    const auto& before = owners.at(Edge(v[(i + n - 1) % n], v[i]));
    const auto& after = owners.at(Edge(v[i], v[(i + 1) % n]));
    if (before != after) junctions.push_back(i);
  }
  Arc out;
  if (junctions.empty()) {  // one closed arc, started at its least point so that owners agree
    const size_t s = static_cast<size_t>(std::min_element(v.begin(), v.end()) - v.begin());
    Arc a;
    for (size_t k = 0; k <= n; ++k) a.push_back(v[(s + k) % n]);
    out = cache->Get(a);
  } else {
    for (size_t j = 0; j < junctions.size(); ++j) {
      const size_t from = junctions[j], to = junctions[(j + 1) % junctions.size()];
      Arc a{v[from]};
      for (size_t k = (from + 1) % n;; k = (k + 1) % n) {
        a.push_back(v[k]);
        if (k == to) break;
      }
      Arc s = cache->Get(a);
      out.insert(out.end(), out.empty() ? s.begin() : s.begin() + 1, s.end());
    }
  }
  if (out.size() < 4) return ring;  // collapsed: keep it whole
  Ring r;
  for (const auto& p : out) r.push_back(L(p));
  return r;
}

core::Result<Ring> RingOf(const Json& r) {
  if (!r.is_array() || r.size() < 4) return core::ParseError("a ring needs at least four positions");
  Ring out;
  for (const auto& p : r) {
    if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number())
      return core::ParseError("a position must be [longitude, latitude]");
    out.push_back({p[0].get<double>(), p[1].get<double>()});
  }
  if (out.front().lon != out.back().lon || out.front().lat != out.back().lat) out.push_back(out.front());
  return out;
}

core::Result<std::vector<Ring>> PolygonOf(const Json& rings) {
  if (!rings.is_array() || rings.empty()) return core::ParseError("a polygon needs at least one ring");
  std::vector<Ring> out;
  for (const auto& r : rings) {
    VIGIL_ASSIGN_OR_RETURN(Ring ring, RingOf(r));
    out.push_back(std::move(ring));
  }
  return out;
}

}  // namespace

core::Result<Geometry> ParseGeometry(const Json& g) {
  const std::string type = g.is_object() ? g.value("type", "") : "";
  if (!g.is_object() || !g.contains("coordinates")) return core::ParseError("not a GeoJSON geometry");
  Geometry out;
  if (type == "Polygon") {
    VIGIL_ASSIGN_OR_RETURN(auto p, PolygonOf(g["coordinates"]));
    out.polygons.push_back(std::move(p));
  } else if (type == "MultiPolygon" && g["coordinates"].is_array()) {
    for (const auto& rings : g["coordinates"]) {
      VIGIL_ASSIGN_OR_RETURN(auto p, PolygonOf(rings));
      out.polygons.push_back(std::move(p));
    }
  } else {
    return core::ParseError("a " + type + " is not a Polygon or a MultiPolygon");
  }
  return out;
}

std::vector<Geometry> SimplifyCoverage(const std::vector<Geometry>& coverage, double tolerance) {
  const auto owners = EdgeOwners(coverage);
  ArcCache cache(tolerance);
  std::vector<Geometry> out(coverage.size());
  for (size_t g = 0; g < coverage.size(); ++g)
    for (const auto& poly : coverage[g].polygons) {
      std::vector<Ring> rings;
      for (const auto& ring : poly) rings.push_back(SimplifyRing(ring, owners, &cache));
      out[g].polygons.push_back(std::move(rings));
    }
  return out;
}

Json GeometryToJson(const Geometry& g, int decimals) {
  const double scale = std::pow(10.0, decimals);
  auto round = [scale](double x) { return std::round(x * scale) / scale; };
  Json polys = Json::array();
  for (const auto& poly : g.polygons) {
    Json rings = Json::array();
    for (const auto& ring : poly) {
      Json r = Json::array();
      for (const auto& p : ring) r.push_back({round(p.lon), round(p.lat)});
      rings.push_back(std::move(r));
    }
    polys.push_back(std::move(rings));
  }
  if (polys.size() == 1) return Json{{"type", "Polygon"}, {"coordinates", polys[0]}};
  return Json{{"type", "MultiPolygon"}, {"coordinates", polys}};
}

}  // namespace vigil::geo

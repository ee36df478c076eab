#include "model/background.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vigil::model {

namespace {
constexpr double kKmPerDeg = 111.19492664455873;
constexpr double kPi = 3.14159265358979323846;
double Phi(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }
int64_t Key(int64_t r, int64_t c) { return r * 100000 + c; }
}  // namespace

double Window::AreaKm2() const {
  const double mid = (south + north) * 0.5 * kPi / 180;
  return std::max(1.0, (east - west) * kKmPerDeg * std::cos(mid) * (north - south) * kKmPerDeg);
}

double GaussianBoxMass(double clat, double clon, double sd, double lat0, double lon0, double lat1, double lon1) {
  const double kx = kKmPerDeg * std::cos(clat * kPi / 180);
  const double x0 = (lon0 - clon) * kx / sd, x1 = (lon1 - clon) * kx / sd;
  const double y0 = (lat0 - clat) * kKmPerDeg / sd, y1 = (lat1 - clat) * kKmPerDeg / sd;
  return (Phi(x1) - Phi(x0)) * (Phi(y1) - Phi(y0));
}

Background Background::FromPoints(std::vector<std::pair<double, double>> points, double h, Window w) {
  Background b;
  b.pts_ = std::move(points);
  b.h_ = h;
  b.w_ = w;
  b.Index();
  return b;
}

void Background::Index() {
  // Buckets at least 5h wide everywhere (the longitude scale is smallest at
  // the window's highest latitude).
  const double lat_max = std::max(std::abs(w_.south), std::abs(w_.north));
  const double cosmin = std::max(0.05, std::cos(std::min(89.0, lat_max) * kPi / 180));
  cell_deg_ = 5 * h_ / (kKmPerDeg * cosmin);
  grid_.clear();
  for (size_t i = 0; i < pts_.size(); ++i)
    grid_[Key(static_cast<int64_t>(std::floor(pts_[i].first / cell_deg_)),
              static_cast<int64_t>(std::floor(pts_[i].second / cell_deg_)))]
        .push_back(static_cast<int32_t>(i));
}

double Background::Density(double lat, double lon, int64_t exclude) const {
  const int64_t r0 = static_cast<int64_t>(std::floor(lat / cell_deg_));
  const int64_t c0 = static_cast<int64_t>(std::floor(lon / cell_deg_));
  const double inv2h2 = 1.0 / (2 * h_ * h_), cut = 25 * h_ * h_;
  double sum = 0;
  for (int64_t dr = -1; dr <= 1; ++dr)
    for (int64_t dc = -1; dc <= 1; ++dc) {
      auto it = grid_.find(Key(r0 + dr, c0 + dc));
      if (it == grid_.end()) continue;
      for (int32_t k : it->second) {
        if (k == exclude) continue;
        const double d2 =
            DistanceKm2(lat, lon, pts_[static_cast<size_t>(k)].first, pts_[static_cast<size_t>(k)].second);
        if (d2 < cut) sum += std::exp(-d2 * inv2h2);
      }
    }
  const double n = static_cast<double>(pts_.size()) - (exclude >= 0 ? 1 : 0);
  const double kde = n > 0 ? sum / (n * 2 * kPi * h_ * h_) : 0;
  const bool inside = lat >= w_.south && lat <= w_.north && lon >= w_.west && lon <= w_.east;
  return (1 - kUniformShare) * kde + (inside ? kUniformShare / w_.AreaKm2() : 0);
}

double Background::BoxMass(double lat0, double lon0, double lat1, double lon1) const {
  const double pad = cell_deg_;
  double sum = 0;
  const int64_t r0 = static_cast<int64_t>(std::floor((lat0 - pad) / cell_deg_));
  const int64_t r1 = static_cast<int64_t>(std::floor((lat1 + pad) / cell_deg_));
  const int64_t c0 = static_cast<int64_t>(std::floor((lon0 - pad) / cell_deg_));
  const int64_t c1 = static_cast<int64_t>(std::floor((lon1 + pad) / cell_deg_));
  for (int64_t r = r0; r <= r1; ++r)
    for (int64_t c = c0; c <= c1; ++c) {
      auto it = grid_.find(Key(r, c));
      if (it == grid_.end()) continue;
      for (int32_t k : it->second)
        sum += GaussianBoxMass(pts_[static_cast<size_t>(k)].first, pts_[static_cast<size_t>(k)].second, h_, lat0, lon0,
                               lat1, lon1);
    }
  const double kde = pts_.empty() ? 0 : sum / static_cast<double>(pts_.size());
  // Uniform part: the share of the window the box covers.
  const double ilat = std::max(0.0, std::min(lat1, w_.north) - std::max(lat0, w_.south));
  const double ilon = std::max(0.0, std::min(lon1, w_.east) - std::max(lon0, w_.west));
  const double wfrac = (ilat * ilon) / std::max(1e-12, (w_.north - w_.south) * (w_.east - w_.west));
  return (1 - kUniformShare) * kde + kUniformShare * wfrac;
}

Background Background::Fit(const std::vector<ModelEvent>& events, double bandwidth_km) {
  Window w{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
           -std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  std::vector<std::pair<double, double>> pts;
  // At most kMaxPoints events, sampled evenly in catalogue order: the density
  // of a smooth background is settled long before that, and the cost of an
  // evaluation stays bounded whatever the catalogue size.
  const size_t stride = (events.size() + kMaxPoints - 1) / std::max<size_t>(1, kMaxPoints);
  pts.reserve(events.size() / std::max<size_t>(1, stride) + 1);
  for (size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    if (stride > 1 && i % stride != 0) {
      w.west = std::min(w.west, e.lon);
      w.east = std::max(w.east, e.lon);
      w.south = std::min(w.south, e.lat);
      w.north = std::max(w.north, e.lat);
      continue;
    }
    pts.emplace_back(e.lat, e.lon);
    w.west = std::min(w.west, e.lon);
    w.east = std::max(w.east, e.lon);
    w.south = std::min(w.south, e.lat);
    w.north = std::max(w.north, e.lat);
  }
  if (pts.empty()) w = {-12.5, 10, 4.5, 25.5};  // Mali
  w = {std::max(-180.0, w.west - 1), std::max(-90.0, w.south - 1), std::min(180.0, w.east + 1),
       std::min(90.0, w.north + 1)};
  double h = bandwidth_km;
  if (h <= 0) {
    h = 25;
    const size_t split = pts.size() * 3 / 4;
    if (split >= 20 && pts.size() - split >= 10) {
      std::vector<std::pair<double, double>> train(pts.begin(), pts.begin() + static_cast<std::ptrdiff_t>(split));
      double best = -std::numeric_limits<double>::infinity();
      for (double cand : {2.5, 5.0, 10.0, 15.0, 25.0, 40.0, 60.0, 100.0}) {
        Background b = FromPoints(train, cand, w);
        double ll = 0;
        for (size_t i = split; i < pts.size(); ++i) ll += std::log(b.Density(pts[i].first, pts[i].second));
        if (ll > best) {
          best = ll;
          h = cand;
        }
      }
    }
  }
  return FromPoints(std::move(pts), h, w);
}

}  // namespace vigil::model

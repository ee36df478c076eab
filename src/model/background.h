// vigil::model — the background (endemic) spatial density b(x).
//
//   b(x) = (1 - eps) * (1/n) * sum_k N2(x - x_k; h)  +  eps / |W|
//
// a Gaussian kernel density of the training events' places (bandwidth h in
// km, isotropic, local projection) mixed with a uniform density over the
// window W (the events' bounding box widened by 1 degree) so that no place
// has zero background. eps = 0.05.
//
// The density is built from at most kMaxPoints events, taken evenly in
// time order when the catalogue is larger.
//
// Bandwidth rule (docs/models.md): h is chosen among 5, 10, 15, 25, 40, 60 and
// 100 km by likelihood cross-validation in time: the density of the first
// 75% of events (by time) scores the log density of the last 25%.
//
// Thread-safety: immutable after Fit(); const methods are safe from any thread.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "model/catalogue.h"

namespace vigil::model {

struct Window {
  double west = 0, south = 0, east = 0, north = 0;
  double AreaKm2() const;
};

class Background {
 public:
  static constexpr double kUniformShare = 0.05;
  // Largest number of events the density is built from (every k-th event
  // when there are more).
  static constexpr size_t kMaxPoints = 20000;

  // `bandwidth_km` <= 0 selects it by cross-validation.
  static Background Fit(const std::vector<ModelEvent>& events, double bandwidth_km = 0);
  static Background FromPoints(std::vector<std::pair<double, double>> points, double bandwidth_km, Window w);

  // Density per km² at (lat, lon); `exclude` (an index into the fitted
  // points) leaves one point out, as the likelihood of a training event must.
  double Density(double lat, double lon, int64_t exclude = -1) const;
  // Probability mass of the box [lat0, lat1] x [lon0, lon1].
  double BoxMass(double lat0, double lon0, double lat1, double lon1) const;
  double bandwidth_km() const { return h_; }
  const Window& window() const { return w_; }
  const std::vector<std::pair<double, double>>& points() const { return pts_; }

 private:
  void Index();
  std::vector<std::pair<double, double>> pts_;  // (lat, lon)
  double h_ = 10;
  Window w_;
  double cell_deg_ = 1;
  std::unordered_map<int64_t, std::vector<int32_t>> grid_;
};

// Mass of an isotropic Gaussian (centre lat/lon, sd in km) inside a box.
double GaussianBoxMass(double clat, double clon, double sd_km, double lat0, double lon0, double lat1, double lon1);

}  // namespace vigil::model

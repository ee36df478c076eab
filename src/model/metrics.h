// vigil::model — scoring probabilistic forecasts against what happened.
//
// For binary outcomes (at least one event in a unit and window) with
// forecast probabilities p: Brier score, log loss (p clipped to
// [1e-6, 1 - 1e-6]), ROC AUC (Mann-Whitney, ties counted half), average
// precision (mean precision at each positive, ranked by p), a 10-bin
// reliability table and the expected calibration error
// ECE = sum_b (n_b / N) |observed_b - mean_p_b|. For counts y with a Poisson
// predictive distribution of mean E: the CRPS, sum_k (F(k) - 1{y <= k})².
#pragma once

#include <cstdint>
#include <vector>

namespace vigil::model {

struct ReliabilityBin {
  double lo = 0, hi = 0;
  int64_t n = 0;
  double mean_p = 0, observed = 0;
};

struct Scores {
  int64_t n = 0, positives = 0;
  double brier = 0, log_loss = 0, auc = 0.5, average_precision = 0, crps = 0, ece = 0;
  std::vector<ReliabilityBin> reliability;
};

// `p` forecast probabilities, `expected` forecast means, `y` observed counts.
Scores Score(const std::vector<double>& p, const std::vector<double>& expected, const std::vector<int64_t>& y);

double PoissonCrps(double mean, int64_t y);

}  // namespace vigil::model

#include "model/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace vigil::model {

double PoissonCrps(double mean, int64_t y) {
  mean = std::max(mean, 0.0);
  // Sum over k until the CDF is 1 within 1e-10 and k >= y.
  double pmf = std::exp(-mean), cdf = 0, crps = 0;
  const int64_t kmax = std::max<int64_t>(y, static_cast<int64_t>(mean + 12 * std::sqrt(mean + 1) + 20));
  for (int64_t k = 0; k <= kmax; ++k) {
    if (k > 0) pmf *= mean / static_cast<double>(k);
    cdf = std::min(1.0, cdf + pmf);
    const double ind = y <= k ? 1.0 : 0.0;
    crps += (cdf - ind) * (cdf - ind);
  }
  return crps;
}

Scores Score(const std::vector<double>& p, const std::vector<double>& expected, const std::vector<int64_t>& y) {
  Scores s;
  s.n = static_cast<int64_t>(p.size());
  if (p.empty()) return s;
  s.reliability.resize(10);
  for (int b = 0; b < 10; ++b)
    s.reliability[static_cast<size_t>(b)].lo = b / 10.0, s.reliability[static_cast<size_t>(b)].hi = (b + 1) / 10.0;
  for (size_t i = 0; i < p.size(); ++i) {
    const double o = y[i] > 0 ? 1.0 : 0.0;
    s.positives += y[i] > 0;
    s.brier += (p[i] - o) * (p[i] - o);
    const double pc = std::clamp(p[i], 1e-6, 1 - 1e-6);
    s.log_loss -= o * std::log(pc) + (1 - o) * std::log(1 - pc);
    s.crps += PoissonCrps(expected[i], y[i]);
    auto& bin = s.reliability[static_cast<size_t>(std::min(9, static_cast<int>(p[i] * 10)))];
    ++bin.n;
    bin.mean_p += p[i];
    bin.observed += o;
  }
  const double n = static_cast<double>(p.size());
  s.brier /= n;
  s.log_loss /= n;
  s.crps /= n;
  for (auto& b : s.reliability)
    if (b.n) {
      b.mean_p /= static_cast<double>(b.n);
      b.observed /= static_cast<double>(b.n);
      s.ece += static_cast<double>(b.n) / n * std::abs(b.observed - b.mean_p);
    }
  // Rank by p (descending) for AP; AUC from the ranks.
  std::vector<size_t> order(p.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] > p[b]; });
  const double pos = static_cast<double>(s.positives), neg = n - pos;
  if (pos > 0 && neg > 0) {
    // AUC: P(p_pos > p_neg) + 0.5 P(equal), over groups of tied scores.
    double auc = 0, negs_below = neg;
    double ap = 0, tp = 0;
    size_t i = 0;
    while (i < order.size()) {
      size_t j = i;
      double gpos = 0, gneg = 0;
      while (j < order.size() && p[order[j]] == p[order[i]]) {
        (y[order[j]] > 0 ? gpos : gneg) += 1;
        ++j;
      }
      negs_below -= gneg;
      auc += gpos * (negs_below + 0.5 * gneg);
      // Average precision with ties: all members of a tie group share its precision.
      tp += gpos;
      ap += gpos * (tp / static_cast<double>(j));
      i = j;
    }
    s.auc = auc / (pos * neg);
    s.average_precision = ap / pos;
  }
  return s;
}

}  // namespace vigil::model

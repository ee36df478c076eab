// vigil::alert — how much to believe a cluster of community reports, and
// why, in words (English and French) a responder can check.
//
// Three kinds of evidence, combined on the log-odds scale:
//   independent reporters n (distinct contacts; reports from one phone count
//     once): logit(1 - 0.5^n), so 1 reporter is even odds, 3 give 0.875;
//   the reporters' record: the mean over reporters of (1 + verified) /
//     (2 + verified + dismissed) (Laplace's rule: 0.5 for a newcomer), weighted
//     1.5 on the log-odds of its deviation from 0.5;
//   the model's prior risk at the place: the forecast P(>= 1 event within 30
//     days) p; adds 0.8 (logit p - logit 0.1), so a place at the region's usual
//     10% changes nothing and a hot spot raises belief.
// The result is clamped to [0.02, 0.98]. The weights are a documented
// starting point (docs/warnings.md), not fitted: there is no labelled set of
// community reports to fit them on yet.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "alert/alert_store.h"

namespace vigil::alert {

struct Credibility {
  double score = 0;  // 0..1
  std::string why_en, why_fr;
};

Credibility ScoreCluster(int independent_reporters, const std::vector<ReporterRecord>& records,
                         std::optional<double> prior_p);

}  // namespace vigil::alert

#include "report/backtest_markdown.h"

#include <cstdio>
#include <sstream>

namespace vigil::report {

std::string BacktestMarkdown(const model::BacktestReport& r, const model::BacktestRequest& req) {
  std::ostringstream s;
  char buf[256];
  s << "# Backtest\n\nOrigins " << req.from.ToIso() << " to " << req.to.ToIso() << " every " << req.step_days
    << " days (" << r.origins << " origins), horizon " << req.horizon_days << " days, level "
    << model::LevelName(req.level) << " (" << r.units << " units), training window " << req.window_days
    << " days, refitted at every origin on "
    << "events strictly before it.\n\n";
  s << "| model | Brier | log loss | ROC AUC | avg precision | CRPS | ECE | Brier skill vs persistence |\n";
  s << "|---|---|---|---|---|---|---|---|\n";
  for (const auto& m : r.models) {
    std::snprintf(buf, sizeof buf, "| %s | %.4f | %.4f | %.3f | %.3f | %.4f | %.4f | %+.3f |\n", m.model.c_str(),
                  m.scores.brier, m.scores.log_loss, m.scores.auc, m.scores.average_precision, m.scores.crps,
                  m.scores.ece, m.brier_skill_vs_persistence);
    s << buf;
  }
  for (const auto& m : r.models) {
    s << "\n## Reliability: " << m.model << "\n\n| forecast bin | n | mean forecast | observed |\n|---|---|---|---|\n";
    for (const auto& b : m.scores.reliability) {
      std::snprintf(buf, sizeof buf, "| %.1f-%.1f | %lld | %.4f | %.4f |\n", b.lo, b.hi, static_cast<long long>(b.n),
                    b.mean_p, b.observed);
      s << buf;
    }
  }
  if (!r.largest_misses.empty()) {
    s << "\n## Largest misses (" << r.models.front().model
      << ")\n\n| origin | unit | expected | observed |\n|---|---|---|---|\n";
    for (const auto& m : r.largest_misses) {
      std::snprintf(buf, sizeof buf, "| %s | %s | %.2f | %lld |\n", m.origin.ToIso().c_str(), m.unit.c_str(),
                    m.expected, static_cast<long long>(m.observed));
      s << buf;
    }
  }
  return s.str();
}

}  // namespace vigil::report

#include "alert/credibility.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace vigil::alert {

namespace {
double Logit(double p) {
  p = std::clamp(p, 1e-4, 1 - 1e-4);
  return std::log(p / (1 - p));
}
double Logistic(double x) { return 1 / (1 + std::exp(-x)); }
std::string Percent(double p) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100 * p);
  return buf;
}
}  // namespace

Credibility ScoreCluster(int n, const std::vector<ReporterRecord>& records, std::optional<double> prior_p) {
  n = std::max(n, 1);
  double x = Logit(1 - std::pow(0.5, n));
  int verified = 0, dismissed = 0;
  double record = 0;
  for (const auto& r : records) {
    verified += r.verified;
    dismissed += r.dismissed;
    record += (1.0 + r.verified) / (2.0 + r.verified + r.dismissed);
  }
  record = records.empty() ? 0.5 : record / static_cast<double>(records.size());
  x += 3 * (Logit(record) - Logit(0.5)) / 2;
  if (prior_p) x += 0.8 * (Logit(*prior_p) - Logit(0.1));
  Credibility c;
  c.score = std::clamp(Logistic(x), 0.02, 0.98);
  const std::string ns = std::to_string(n);
  c.why_en = ns + (n == 1 ? " reporter" : " independent reporters");
  c.why_fr = ns + (n == 1 ? " témoin" : " témoins indépendants");
  if (verified + dismissed == 0) {
    c.why_en += "; no earlier reports checked";
    c.why_fr += "; aucun signalement antérieur vérifié";
  } else {
    c.why_en += "; their earlier reports: " + std::to_string(verified) + " verified, " + std::to_string(dismissed) +
                " dismissed";
    c.why_fr += "; leurs signalements antérieurs : " + std::to_string(verified) + " vérifiés, " +
                std::to_string(dismissed) + " écartés";
  }
  if (prior_p) {
    c.why_en += "; the model gives " + Percent(*prior_p) + " risk of an event within 30 days here";
    c.why_fr += "; le modèle donne ici " + Percent(*prior_p) + " de risque d'un événement sous 30 jours";
  } else {
    c.why_en += "; no forecast for this place";
    c.why_fr += "; pas de prévision pour ce lieu";
  }
  c.why_en += " (credibility " + Percent(c.score) + ")";
  c.why_fr += " (crédibilité " + Percent(c.score) + ")";
  return c;
}

}  // namespace vigil::alert

#include "model/xgb.h"

#include <xgboost/c_api.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace vigil::model {

namespace {

constexpr int kFeatures = 10;

struct Booster {
  BoosterHandle h = nullptr;
  ~Booster() {
    if (h) XGBoosterFree(h);
  }
};
struct Matrix {
  DMatrixHandle h = nullptr;
  ~Matrix() {
    if (h) XGDMatrixFree(h);
  }
};

core::Status Check(int rc, const char* what) {
  if (rc == 0) return core::Status::Ok();
  return core::Internal(std::string("XGBoost ") + what + ": " + XGBGetLastError());
}

// Per-unit event times, sorted.
std::vector<std::vector<double>> TimesByUnit(const std::vector<ModelEvent>& events, const std::vector<Unit>& units,
                                             const UnitLocator& locate) {
  std::vector<std::vector<double>> out(units.size());
  for (const auto& e : events) {
    const int64_t u = locate.Find(e.lat, e.lon);
    if (u >= 0) out[static_cast<size_t>(u)].push_back(e.t);
  }
  for (auto& v : out) std::sort(v.begin(), v.end());
  return out;
}

double CountIn(const std::vector<double>& v, double a, double b) {
  return static_cast<double>(std::lower_bound(v.begin(), v.end(), b) - std::lower_bound(v.begin(), v.end(), a));
}

void Features(const std::vector<std::vector<double>>& times, const std::vector<Unit>& units, size_t u, double t,
              double H, double w0, float* f) {
  const auto& v = times[u];
  const double windows[4][2] = {{t - 30, t}, {t - 90, t - 30}, {t - 365, t - 90}, {t - H, t}};
  for (int k = 0; k < 4; ++k) f[k] = static_cast<float>(CountIn(v, windows[k][0], windows[k][1]));
  for (int k = 0; k < 4; ++k) {
    double s = 0;
    for (int64_t nb : units[u].neighbours) s += CountIn(times[static_cast<size_t>(nb)], windows[k][0], windows[k][1]);
    f[4 + k] = static_cast<float>(s);
  }
  f[8] = static_cast<float>(CountIn(v, w0, t) / std::max(1.0, (t - w0) / 365.0));
  auto it = std::lower_bound(v.begin(), v.end(), t);
  f[9] = static_cast<float>(it == v.begin() ? 3650.0 : std::min(3650.0, t - *(it - 1)));
}

}  // namespace

core::Result<std::vector<UnitForecast>> ForecastXgb(const std::vector<ModelEvent>& events, double T, double H,
                                                    const std::vector<Unit>& units, const UnitLocator& locate) {
  const auto times = TimesByUnit(events, units, locate);
  std::vector<float> x;
  std::vector<float> y;
  // Pseudo-origins from one year into the window, every 30 days, whose label
  // window [t, t+H) closes before T.
  for (double t = 365; t + H <= T; t += 30)
    for (size_t u = 0; u < units.size(); ++u) {
      float f[kFeatures];
      Features(times, units, u, t, H, 0, f);
      x.insert(x.end(), f, f + kFeatures);
      y.push_back(CountIn(times[u], t, t + H) > 0 ? 1.f : 0.f);
    }
  std::vector<UnitForecast> out(units.size());
  if (y.empty() || std::all_of(y.begin(), y.end(), [](float v) { return v == 0; }))
    return core::InvalidArgument("xgb needs at least 13 months of training data with some events");
  Matrix train;
  VIGIL_RETURN_IF_ERROR(Check(XGDMatrixCreateFromMat(x.data(), y.size(), kFeatures, NAN, &train.h), "DMatrix"));
  VIGIL_RETURN_IF_ERROR(Check(XGDMatrixSetFloatInfo(train.h, "label", y.data(), y.size()), "labels"));
  Booster b;
  VIGIL_RETURN_IF_ERROR(Check(XGBoosterCreate(&train.h, 1, &b.h), "booster"));
  const char* params[][2] = {{"objective", "binary:logistic"},
                             {"max_depth", "4"},
                             {"eta", "0.1"},
                             {"subsample", "1"},
                             {"seed", "0"},
                             {"nthread", "2"},
                             {"tree_method", "hist"},
                             {"verbosity", "0"}};
  for (const auto& p : params) VIGIL_RETURN_IF_ERROR(Check(XGBoosterSetParam(b.h, p[0], p[1]), "parameter"));
  for (int it = 0; it < 150; ++it) VIGIL_RETURN_IF_ERROR(Check(XGBoosterUpdateOneIter(b.h, it, train.h), "training"));
  std::vector<float> xt;
  for (size_t u = 0; u < units.size(); ++u) {
    float f[kFeatures];
    Features(times, units, u, T, H, 0, f);
    xt.insert(xt.end(), f, f + kFeatures);
  }
  Matrix test;
  VIGIL_RETURN_IF_ERROR(Check(XGDMatrixCreateFromMat(xt.data(), units.size(), kFeatures, NAN, &test.h), "DMatrix"));
  bst_ulong len = 0;
  const float* pred = nullptr;
  VIGIL_RETURN_IF_ERROR(Check(XGBoosterPredict(b.h, test.h, 0, 0, 0, &len, &pred), "predict"));
  for (size_t u = 0; u < units.size() && u < len; ++u) {
    out[u].p_any = std::clamp(static_cast<double>(pred[u]), 0.0, 1.0);
    out[u].expected = -std::log1p(-std::min(out[u].p_any, 1 - 1e-9));
  }
  return out;
}

}  // namespace vigil::model

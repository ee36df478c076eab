#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>

#include "ingest/importer.h"
#include "core/event_json.h"
#include "model/frozen_catalogue.h"
#include "model/metrics.h"
#include "model/service.h"
#include "model/simulate.h"
#include "test_support.h"

namespace vigil::model {
namespace {

using testing::Ref;

TEST(Metrics, KnownValues) {
  // Perfect ranking: AUC 1, AP 1.
  auto s = Score({0.9, 0.8, 0.2, 0.1}, {2, 2, 0.2, 0.1}, {1, 3, 0, 0});
  EXPECT_DOUBLE_EQ(s.auc, 1.0);
  EXPECT_DOUBLE_EQ(s.average_precision, 1.0);
  EXPECT_NEAR(s.brier, (0.01 + 0.04 + 0.04 + 0.01) / 4, 1e-12);
  // Reversed ranking: AUC 0; AP = mean of 1/3 and 2/4.
  auto r = Score({0.1, 0.2, 0.8, 0.9}, {0, 0, 1, 1}, {1, 1, 0, 0});
  EXPECT_DOUBLE_EQ(r.auc, 0.0);
  EXPECT_NEAR(r.average_precision, (1.0 / 3 + 2.0 / 4) / 2, 1e-12);
  // All tied: AUC 0.5.
  EXPECT_DOUBLE_EQ(Score({0.5, 0.5, 0.5}, {1, 1, 1}, {1, 0, 0}).auc, 0.5);
  // CRPS of a point mass at 0 against y = 0 is 0; Poisson(1) vs 0 is
  // sum_k (F(k) - 1)^2 > 0.
  EXPECT_NEAR(PoissonCrps(0, 0), 0, 1e-12);
  EXPECT_GT(PoissonCrps(1, 0), 0.1);
  EXPECT_LT(PoissonCrps(1, 1), PoissonCrps(1, 5));
}

std::vector<core::Event> SimulatedEvents(uint64_t seed, double days) {
  std::ifstream in(std::string(VIGIL_TEST_DATA_DIR) + "/models/sahel_simulation.json");
  auto spec = SpecFromJson(core::Json::parse(in));
  EXPECT_TRUE(spec.ok()) << spec.status().ToString();
  auto sim = Simulate(*spec, days, seed);
  EXPECT_TRUE(sim.ok());
  return ToEvents(*sim, *core::Date::Parse("2016-01-01"), seed);
}

TEST(Forecast, ProbabilitiesAreProbabilitiesAtEveryLevel) {
  const auto events = SimulatedEvents(3, 4 * 365);
  for (Level level : {Level::kCell, Level::kAdmin1, Level::kAdmin2, Level::kPoint}) {
    ForecastRequest req;
    req.as_of = *core::Date::Parse("2019-06-01");
    req.window_days = 3 * 365;
    req.horizon_days = 30;
    req.level = level;
    if (level == Level::kPoint) req.point = PointQuery{14.49, -4.19, 50};
    auto units = MakeUnits(level, *Ref(), req.point);
    ASSERT_TRUE(units.ok());
    auto f = ForecastEvents(events, *Ref(), req, *units);
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    double total = 0;
    for (const auto& r : f->rows) {
      EXPECT_GE(r.p_any, 0.0);
      EXPECT_LE(r.p_any, 1.0);
      EXPECT_GE(r.expected, 0.0);
      total += r.expected;
    }
    EXPECT_GT(total, 0) << LevelName(level);
  }
}

// The forecast visits only the past events within reach of each box (a
// bucket grid): it must equal the direct sum over every event of its
// offspring's mass in the box, at every horizon of one pass.
TEST(Forecast, TheBucketedForecastEqualsTheDirectSumAtEveryHorizon) {
  const auto events = SimulatedEvents(5, 3 * 365);
  FitRequest fr;
  fr.as_of = *core::Date::Parse("2018-06-01");
  fr.window_days = 2 * 365;
  fr.save_snapshot = false;
  auto fit = FitEvents(events, fr);
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  auto units = MakeUnits(Level::kCell, *Ref());
  ASSERT_TRUE(units.ok());
  const double T = fr.as_of - fit->window_start;
  const std::vector<double> horizons{1, 7, 30};
  const auto all = ForecastHawkesHorizons(fit->fit, fit->catalogue, T, horizons, *units);
  const HawkesParams& p = fit->fit.params;
  const double mu = p.mu_now > 0 ? p.mu_now : p.mu;
  const double mu_imp = p.mu_now > 0 ? p.mu_imprecise_now : fit->fit.mu_imprecise;
  ASSERT_EQ(p.recent_weight, 0);  // the moving background is off by default
  for (size_t h = 0; h < horizons.size(); ++h) {
    const double H = horizons[h];
    const auto one = ForecastHawkes(fit->fit, fit->catalogue, T, H, *units);
    double worst = 0;
    for (size_t u = 0; u < units->size(); u += 17) {
      double direct = 0;
      for (const auto& b : (*units)[u].boxes) {
        direct += (mu + mu_imp) * H * fit->fit.background.BoxMass(b.lat0, b.lon0, b.lat1, b.lon1);
        for (const auto& e : fit->catalogue) {
          if (!e.precise || e.t >= T) continue;
          const double w = p.kappa[static_cast<size_t>(e.cls)] * (p.G(T + H - e.t) - p.G(T - e.t));
          direct += w * ((1 - p.rho) * GaussianBoxMass(e.lat, e.lon, p.sigma_km, b.lat0, b.lon0, b.lat1, b.lon1) +
                         p.rho * GaussianBoxMass(e.lat, e.lon, p.repeat_km, b.lat0, b.lon0, b.lat1, b.lon1));
        }
      }
      const double got = -std::log1p(-all[h][u].p_any);  // the roots: sum before the cascade
      worst = std::max(worst, std::fabs(got - direct) / std::max(direct, 1e-6));
      // One horizon alone keeps the events above its own weight floor (1e-7).
      EXPECT_NEAR(one[u].p_any, all[h][u].p_any, 1e-4 * all[h][u].p_any + 1e-12);
    }
    EXPECT_LT(worst, 1e-4) << "horizon " << H;
  }
}

// Backtests never see the future: an event planted after the origin (the
// kind of event the forecast is about) changes no forecast made at it.
TEST(Forecast, APlantedFutureEventChangesNothing) {
  auto events = SimulatedEvents(5, 3 * 365);
  ForecastRequest req;
  req.as_of = *core::Date::Parse("2018-09-01");
  req.window_days = 2 * 365;
  auto units = MakeUnits(Level::kCell, *Ref());
  ASSERT_TRUE(units.ok());
  for (const char* m : {"hawkes", "ratemix", "historical", "persistence", "xgb"}) {
    req.model = m;
    auto before = ForecastEvents(events, *Ref(), req, *units);
    auto planted = events;
    for (int k = 0; k < 50; ++k) {
      core::Event e = planted.front();
      e.source_id = "planted-" + std::to_string(k);
      e.date_start = e.date_end = req.as_of + k % 10;  // on and after the origin
      e.latitude = 14.49;
      e.longitude = -4.19;
      planted.push_back(e);
    }
    auto after = ForecastEvents(planted, *Ref(), req, *units);
    ASSERT_TRUE(before.ok() && after.ok());
    for (size_t u = 0; u < units->size(); ++u) {
      ASSERT_EQ(before->rows[u].expected, after->rows[u].expected) << m << " unit " << (*units)[u].id;
      ASSERT_EQ(before->rows[u].p_any, after->rows[u].p_any);
    }
  }
}

// On a simulated catalogue with realistic mess (ties: day dates; 10% of
// events heaped on cell centres; branching 0.5), the Hawkes forecast at
// PRIO-GRID cells x 30 days is calibrated (ECE < 0.02) and beats both
// baselines on Brier score and average precision.
TEST(Backtest, HawkesIsCalibratedAndBeatsTheBaselines) {
  const auto events = SimulatedEvents(11, 6 * 365);
  BacktestRequest req;
  req.from = *core::Date::Parse("2020-01-01");
  req.to = *core::Date::Parse("2021-07-01");
  req.step_days = 60;
  req.horizon_days = 30;
  req.window_days = 3 * 365;
  auto rep = BacktestEvents(events, *Ref(), req);
  ASSERT_TRUE(rep.ok()) << rep.status().ToString();
  ASSERT_EQ(rep->models.size(), 4u);
  ASSERT_EQ(rep->models[1].model, "ratemix");
  const auto& h = rep->models[0].scores;
  const auto& mix = rep->models[1].scores;
  const auto& hist = rep->models[2].scores;
  const auto& pers = rep->models[3].scores;
  EXPECT_LT(h.ece, 0.02);
  EXPECT_LT(h.brier, mix.brier);
  EXPECT_GT(h.average_precision, mix.average_precision);
  EXPECT_LT(h.brier, hist.brier);
  EXPECT_LT(h.brier, pers.brier);
  EXPECT_GT(h.average_precision, pers.average_precision);
  EXPECT_GT(h.average_precision, hist.average_precision);
  EXPECT_GT(h.positives, 100);
}

TEST(Forecast, MonteCarloQuantilesBracketTheExpectedCount) {
  const auto events = SimulatedEvents(4, 3 * 365);
  ForecastRequest req;
  req.as_of = *core::Date::Parse("2018-06-01");
  req.window_days = 2 * 365;
  req.quantile_reps = 400;
  auto units = MakeUnits(Level::kAdmin1, *Ref());
  ASSERT_TRUE(units.ok());
  auto f = ForecastEvents(events, *Ref(), req, *units);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  size_t busiest = 0;
  for (size_t u = 0; u < f->rows.size(); ++u) {
    const auto& r = f->rows[u];
    EXPECT_LE(r.p10, r.p50);
    EXPECT_LE(r.p50, r.p90);
    if (r.expected > f->rows[busiest].expected) busiest = u;
  }
  const auto& top = f->rows[busiest];
  EXPECT_GT(top.expected, 5);
  EXPECT_LE(top.p10, top.expected);
  EXPECT_GE(top.p90, top.expected);
  // Same seed, same quantiles.
  auto again = ForecastEvents(events, *Ref(), req, *units);
  EXPECT_EQ(again->rows[busiest].p90, top.p90);
  req.model = "historical";
  EXPECT_FALSE(ForecastEvents(events, *Ref(), req, *units).ok());
}

TEST(Service, WindowsParse) {
  EXPECT_EQ(*ParseWindow("5y"), 1826);
  EXPECT_EQ(*ParseWindow("90d"), 90);
  EXPECT_EQ(*ParseWindow("12w"), 84);
  EXPECT_FALSE(ParseWindow("5x").ok());
  EXPECT_FALSE(ParseWindow("3d").ok());
  EXPECT_FALSE(ParseWindow("").ok());
}

TEST(Service, FitStoresAnImmutableSnapshotAndForecastReusesIt) {
  testing::TempDir dir;
  auto st = testing::FreshStore(dir);
  const std::string path = dir.path() + "/sim.jsonl";
  {
    std::ofstream out(path);
    for (const auto& e : SimulatedEvents(2, 3 * 365)) out << core::EventToJson(e).dump() << "\n";
  }
  ingest::Importer imp(st.get(), Ref());
  ASSERT_TRUE(imp.ImportFile(ingest::SourceKind::kJsonl, path, {}).ok());
  FitRequest fr;
  fr.as_of = *core::Date::Parse("2018-06-01");
  fr.window_days = 2 * 365;
  auto fit = Fit(st.get(), fr);
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_GT(fit->snapshot_id, 0);
  EXPECT_NEAR(fit->summary["branching_ratio"].get<double>(), 0.5, 0.12);
  EXPECT_TRUE(fit->summary["branching_by_admin1"].contains("Mopti"));
  auto codes = [](const core::Json& summary) {
    std::set<std::string> out;
    for (const auto& w : summary["warnings"]) out.insert(w["code"].get<std::string>());
    return out;
  };
  EXPECT_FALSE(codes(fit->summary).count("thin")) << fit->summary["warnings"].dump();
  // Forecasting at the same as_of reuses the snapshot instead of refitting.
  ForecastRequest req;
  req.as_of = fr.as_of;
  req.window_days = fr.window_days;
  auto f = Forecast(st.get(), *Ref(), req);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->snapshot_id, fit->snapshot_id);
  auto latest = st->LatestSnapshot("hawkes");
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->id, fit->snapshot_id);
  // Ten days hold too few events for a reliable fit: stored, with a warning
  // that names the count and the threshold (docs/models.md, Too few events).
  FitRequest thin = fr;
  thin.as_of = *core::Date::Parse("2018-12-01");  // the latest snapshot
  thin.window_days = 10;
  auto small = Fit(st.get(), thin);
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  ASSERT_LT(small->summary["events_precise"].get<int64_t>(), kThinEvents);
  EXPECT_TRUE(codes(small->summary).count("thin")) << small->summary.dump();
  auto kept = st->LatestSnapshot("hawkes");
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ((*kept)->id, small->snapshot_id);
  EXPECT_TRUE(codes(core::Json::parse((*kept)->params)).count("thin"));
}

// A snapshot keeps the catalogue it was fitted on: events imported later,
// inside its window or after it, leave its forecast byte for byte as it was.
TEST(Service, ASnapshotsForecastIgnoresEventsImportedAfterTheFit) {
  testing::TempDir dir;
  auto st = testing::FreshStore(dir);
  const auto all = SimulatedEvents(2, 3 * 365);
  const core::Date as_of = *core::Date::Parse("2018-06-01");
  std::string first, later;
  for (size_t i = 0; i < all.size(); ++i) {
    // Every fifth event of the window comes late, with every event after it.
    const bool late = all[i].date_start >= as_of || i % 5 == 0;
    (late ? later : first) += core::EventToJson(all[i]).dump() + "\n";
  }
  ingest::Importer imp(st.get(), Ref());
  ASSERT_TRUE(imp.ImportJsonlContent("first", first, "jsonl", {}).ok());
  FitRequest fr;
  fr.as_of = as_of;
  fr.window_days = 2 * 365;
  auto fit = Fit(st.get(), fr);
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  auto snap = st->LatestSnapshot("hawkes");
  ASSERT_TRUE(snap.ok() && snap->has_value());
  ASSERT_FALSE((*snap)->catalogue.empty());
  auto decoded = DecodeCatalogue((*snap)->catalogue);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(decoded->size(), fit->catalogue.size());
  for (size_t i = 0; i < decoded->size(); ++i) {
    const auto &a = (*decoded)[i], &b = fit->catalogue[i];
    ASSERT_TRUE(a.t == b.t && a.lat == b.lat && a.lon == b.lon && a.cls == b.cls && a.precise == b.precise &&
                a.loc_km == b.loc_km && a.gid == b.gid && a.admin1 == b.admin1)
        << "event " << i;
  }
  auto forecast_text = [&] {
    auto f = ForecastFromSnapshot(st.get(), *Ref(), **snap, Level::kAdmin2, 30, 50);
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    std::string out;
    for (size_t u = 0; u < f->units.size(); ++u) {
      const auto& r = f->rows[u];
      char line[200];
      std::snprintf(line, sizeof line, "%s %.17g %.17g %g %g %g %lld\n", f->units[u].id.c_str(), r.expected, r.p_any,
                    r.p10, r.p50, r.p90, static_cast<long long>(r.observed_30d));
      out += line;
    }
    return out;
  };
  const std::string before = forecast_text();
  ASSERT_NE(before.find("Mopti"), std::string::npos);
  ASSERT_TRUE(imp.ImportJsonlContent("later", later, "jsonl", {}).ok());
  EXPECT_EQ(forecast_text(), before);
  // A damaged catalogue is an error, not a crash nor a different forecast.
  std::string damaged = (*snap)->catalogue;
  damaged.resize(damaged.size() / 2);
  EXPECT_EQ(DecodeCatalogue(damaged).status().code(), core::Code::kParse);
  EXPECT_EQ(DecodeCatalogue("").status().code(), core::Code::kParse);
}

TEST(Forecast, RateMixMixesTheRecentAndLongRunRates) {
  const auto f = ForecastRateMix({9, 0, 0}, 90, {73, 0, 10}, 730, 30);
  ASSERT_EQ(f.size(), 3u);
  EXPECT_NEAR(f[0].expected, 30 * (0.5 * 9 / 90.0 + 0.5 * 73 / 730.0), 1e-12);
  EXPECT_NEAR(f[0].p_any, 1 - std::exp(-f[0].expected), 1e-12);
  EXPECT_EQ(f[1].expected, 0);
  EXPECT_NEAR(f[2].expected, 30 * 0.5 * 10 / 730.0, 1e-12);
}

// Data that start part-way through the window: the window starts with the
// data (not before, which would divide the rates by days nobody reported),
// and says so.
TEST(Service, WindowsAreClippedToTheDataCoverage) {
  testing::TempDir dir;
  auto st = testing::FreshStore(dir);
  const std::string path = dir.path() + "/sim.jsonl";
  const auto events = SimulatedEvents(6, 3 * 365);  // from 2016-01-01
  {
    std::ofstream out(path);
    for (const auto& e : events) out << core::EventToJson(e).dump() << "\n";
  }
  ingest::Importer imp(st.get(), Ref());
  ASSERT_TRUE(imp.ImportFile(ingest::SourceKind::kJsonl, path, {}).ok());
  auto coverage = st->Coverage();
  ASSERT_TRUE(coverage.ok());
  ASSERT_EQ(coverage->size(), 1u);
  EXPECT_EQ((*coverage)[0].source, "simulated");
  EXPECT_EQ((*coverage)[0].first, *CoverageStart(events));
  FitRequest fr;
  fr.as_of = *core::Date::Parse("2018-06-01");
  fr.window_days = 1826;  // five years: back to 2013
  auto fit = Fit(st.get(), fr);
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_EQ(fit->window_start, (*coverage)[0].first);
  EXPECT_TRUE(fit->summary["window_clipped_to_coverage"].get<bool>());
  EXPECT_EQ(fit->summary["window_days"].get<int>(), fr.as_of - (*coverage)[0].first);
  EXPECT_NEAR(fit->fit.T, fr.as_of - (*coverage)[0].first, 1e-9);
  // A window inside the coverage is left alone.
  fr.window_days = 365;
  auto inside = Fit(st.get(), fr);
  ASSERT_TRUE(inside.ok());
  EXPECT_EQ(inside->window_start, fr.as_of - 365);
  EXPECT_FALSE(inside->summary["window_clipped_to_coverage"].get<bool>());
}

// A snapshot written in an older format is never read as this one: the
// forecast refits and stores a new snapshot.
TEST(Service, AnOlderSnapshotFormatIsRefitted) {
  testing::TempDir dir;
  auto st = testing::FreshStore(dir);
  const std::string path = dir.path() + "/sim.jsonl";
  {
    std::ofstream out(path);
    for (const auto& e : SimulatedEvents(2, 2 * 365)) out << core::EventToJson(e).dump() << "\n";
  }
  ingest::Importer imp(st.get(), Ref());
  ASSERT_TRUE(imp.ImportFile(ingest::SourceKind::kJsonl, path, {}).ok());
  ForecastRequest req;
  req.as_of = *core::Date::Parse("2017-10-01");
  req.window_days = 365;
  store::ModelSnapshot old;
  old.model = "hawkes";
  old.format_version = 1;
  old.as_of = req.as_of;
  old.window_start = req.as_of - 365;
  old.selection = req.selection.Describe();
  old.params = R"({"format_version": 1, "params": {"mu": 1}})";
  old.fingerprint = *st->EventsFingerprint();
  auto old_id = st->SaveSnapshot(old);
  ASSERT_TRUE(old_id.ok());
  auto f = Forecast(st.get(), *Ref(), req);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_NE(f->snapshot_id, *old_id);
  EXPECT_EQ(f->model_summary["format_version"].get<int>(), kSnapshotFormat);
}

}  // namespace
}  // namespace vigil::model

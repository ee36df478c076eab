#include "model/service.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "core/strings.h"
#include "model/frozen_catalogue.h"
#include "model/xgb.h"

namespace vigil::model {

using core::Date;
using core::Json;
using core::Result;
using core::Status;

std::string Selection::Describe() const {
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
    return s;
  };
  return "types=" + (event_types.empty() ? std::string("political-violence") : sorted(event_types)) +
         ";countries=" + (countries.empty() ? std::string("all") : sorted(countries)) +
         (kernel == TemporalKernel::kExponential ? std::string() : ";kernel=" + std::string(KernelName(kernel)));
}

Result<int> ParseWindow(const std::string& s) {
  if (s.size() < 2) return core::InvalidArgument("window '" + s + "' should look like 5y, 18m, 90d or 12w");
  int64_t n = 0;
  if (!core::ParseInt64(s.substr(0, s.size() - 1), &n) || n <= 0)
    return core::InvalidArgument("window '" + s + "' should look like 5y, 18m, 90d or 12w");
  const char unit = s.back();
  int64_t days = unit == 'y'   ? n * 365 + n / 4
                 : unit == 'm' ? n * 30 + n * 5 / 12
                 : unit == 'w' ? n * 7
                 : unit == 'd' ? n
                               : -1;
  if (days < 0) return core::InvalidArgument("window '" + s + "': unit must be y, m, w or d");
  if (days < 30 || days > 365 * 60)
    return core::InvalidArgument("window '" + s + "' must be between 30 days and 60 years");
  return static_cast<int>(days);
}

std::optional<Date> CoverageStart(const std::vector<store::SourceCoverage>& coverage) {
  std::optional<Date> first;
  for (const auto& c : coverage)
    if (c.events > 0 && (!first || c.first < *first)) first = c.first;
  return first;
}

std::optional<Date> CoverageStart(const std::vector<core::Event>& events) {
  std::optional<Date> first;
  for (const auto& e : events)
    if (!first || e.date_start < *first) first = e.date_start;
  return first;
}

Date WindowStart(Date as_of, int window_days, std::optional<Date> coverage, bool* clipped) {
  const Date nominal = as_of - window_days;
  const bool later = coverage && nominal < *coverage && *coverage < as_of;
  if (clipped) *clipped = later;
  return later ? *coverage : nominal;
}

Result<std::vector<core::Event>> LoadEvents(store::EventStore* store, const Selection& sel, Date from, Date to) {
  store::EventFilter f;
  f.from = from;
  f.to = to - 1;
  f.countries = sel.countries;
  f.event_types = sel.event_types;
  f.newest_first = false;
  std::vector<core::Event> out;
  VIGIL_RETURN_IF_ERROR(store->ForEachEvent(f, [&](const core::Event& e) {
    if (!sel.event_types.empty() || IsPoliticalViolence(e)) out.push_back(e);
    return true;
  }));
  return out;
}

namespace {

// What a reader of the forecast must be told about its fit: too few events
// (docs/models.md, "Too few events": below kThinEvents precise events one
// fit in six or more recovers a parameter badly on simulated catalogues),
// a parameter on its bound, no convergence.
Json FitWarnings(const FitResult& r) {
  Json w = Json::array();
  if (r.n_precise < kThinEvents)
    w.push_back({{"code", "thin"},
                 {"message", "fitted on " + std::to_string(r.n_precise) + " precise events, fewer than " +
                                 std::to_string(kThinEvents) +
                                 ": its parameters are unreliable (docs/models.md, Too few events); widen the window "
                                 "or the area"}});
  if (!r.at_bound.empty())
    w.push_back({{"code", "at_bound"}, {"message", "a parameter is on its bound: the fit did not converge"}});
  else if (!r.converged)
    w.push_back({{"code", "not_converged"}, {"message", "the fit did not converge"}});
  return w;
}

Json SummaryJson(const FitResult& r, const std::vector<ModelEvent>& cat, Date as_of, Date window_start,
                 const Selection& sel) {
  const auto& p = r.params;
  Json kappa = Json::object(), se_kappa = Json::object(), shares = Json::object();
  for (int c = 0; c < kNumClasses; ++c) {
    kappa[ClassName(c)] = p.kappa[static_cast<size_t>(c)];
    se_kappa[ClassName(c)] = r.se_kappa[static_cast<size_t>(c)];
    shares[ClassName(c)] = r.class_share[static_cast<size_t>(c)];
  }
  // Momentum by admin1: realised offspring per event and the share of
  // events attributed to triggering.
  std::map<std::string, std::array<double, 3>> by_admin1;  // events, offspring, triggered
  size_t k = 0;
  for (const auto& e : cat) {
    if (!e.precise) continue;
    auto& a = by_admin1[e.admin1.empty() ? "(unknown)" : e.admin1];
    a[0] += 1;
    a[1] += r.offspring[k];
    a[2] += 1 - r.p_background[k];
    ++k;
  }
  Json admin1 = Json::object();
  for (const auto& [name, a] : by_admin1)
    admin1[name] = {
        {"events", static_cast<int64_t>(a[0])}, {"offspring_per_event", a[1] / a[0]}, {"triggered_share", a[2] / a[0]}};
  // mu, kappa, the delay kernel's parameters, sigma, bandwidth, rho; w and the
  // moving background's chosen shape (two)
  const bool moving = r.moving_background == "on";
  const int n_params = 1 + kNumClasses + (p.kernel == TemporalKernel::kPowerLaw ? 2 : 1) + 1 + 1 + 1 + (moving ? 3 : 0);
  Json at_bound = Json::array();
  for (const auto& b : r.at_bound) at_bound.push_back(b);
  // Standard errors are Poisson-count approximations; a fit on a bound has
  // none (its curvature says nothing about how far the truth may be).
  Json se = Json{{"method", "poisson-count approximation"}, {"mu", r.se_mu}, {"kappa", se_kappa}};
  if (!r.at_bound.empty()) se = nullptr;
  const std::string status = !r.at_bound.empty() ? "at_bound" : r.converged ? "converged" : "not_converged";
  return Json{{"model", "hawkes"},
              {"warnings", FitWarnings(r)},
              {"format_version", kSnapshotFormat},
              {"as_of", as_of.ToIso()},
              {"window_start", window_start.ToIso()},
              {"window_days", as_of - window_start},
              {"selection", sel.Describe()},
              {"events", r.n_events},
              {"events_precise", r.n_precise},
              {"events_background_only", r.n_imprecise},
              {"temporal_kernel", KernelName(p.kernel)},
              {"params",
               {{"mu", p.mu},
                {"mu_background_only", r.mu_imprecise},
                {"kappa", kappa},
                {"omega", p.omega},
                {"c_days", p.c_days},
                {"p", p.p},
                {"sigma_km", p.sigma_km},
                {"bandwidth_km", r.background.bandwidth_km()},
                {"repeat_share", p.rho},
                {"repeat_km", p.repeat_km},
                {"mu_now", p.mu_now},
                {"mu_background_only_now", p.mu_imprecise_now},
                {"recent_weight", p.recent_weight},
                {"omega_recent", p.omega_recent},
                {"recent_half_life_days", std::log(2.0) / p.omega_recent},
                {"recent_km", p.recent_km}}},
              {"standard_errors", se},
              {"sigma_floor_km", r.sigma_floor_km},
              {"at_bound", at_bound},
              {"status", status},
              {"moving_background", r.moving_background},
              {"recent_share", r.recent_share},
              {"half_life_days", p.HalfLifeDays()},
              {"spatial_scale_km", p.sigma_km},
              {"branching_ratio", r.branching_ratio},
              {"class_share", shares},
              {"branching_by_class", kappa},
              {"branching_by_admin1", admin1},
              {"loglik", r.loglik},
              {"aic", 2.0 * n_params - 2.0 * r.loglik},
              {"iterations", r.iterations},
              {"converged", r.converged}};
}

// Rebuilds what a forecast needs from a stored snapshot (the background is
// recomputed from the same events with the stored bandwidth).
Result<FitResult> FromSnapshot(const Json& j, const std::vector<ModelEvent>& cat, double T) {
  try {
    if (j.value("format_version", 0) != kSnapshotFormat)
      return core::InvalidArgument("model snapshot has format " + std::to_string(j.value("format_version", 0)) +
                                   ", this vigil reads " + std::to_string(kSnapshotFormat) + " (refit with vigil fit)");
    FitResult r;
    const Json& p = j.at("params");
    r.params.mu = p.at("mu").get<double>();
    r.mu_imprecise = p.at("mu_background_only").get<double>();
    for (int c = 0; c < kNumClasses; ++c)
      r.params.kappa[static_cast<size_t>(c)] = p.at("kappa").at(ClassName(c)).get<double>();
    r.params.omega = p.at("omega").get<double>();
    r.params.c_days = p.at("c_days").get<double>();
    r.params.p = p.at("p").get<double>();
    auto kernel = ParseKernel(j.at("temporal_kernel").get<std::string>());
    if (!kernel.ok()) return kernel.status();
    r.params.kernel = *kernel;
    r.params.sigma_km = p.at("sigma_km").get<double>();
    r.params.rho = p.at("repeat_share").get<double>();
    r.params.repeat_km = p.at("repeat_km").get<double>();
    r.params.mu_now = p.at("mu_now").get<double>();
    r.params.mu_imprecise_now = p.at("mu_background_only_now").get<double>();
    r.params.recent_weight = p.at("recent_weight").get<double>();
    r.params.omega_recent = p.at("omega_recent").get<double>();
    r.params.recent_km = p.at("recent_km").get<double>();
    r.branching_ratio = j.at("branching_ratio").get<double>();
    r.loglik = j.at("loglik").get<double>();
    r.background = Background::Fit(cat, p.at("bandwidth_km").get<double>());
    r.T = T;
    return r;
  } catch (const std::exception& e) {
    return core::Internal(std::string("model snapshot unreadable: ") + e.what() + " (refit with vigil fit)");
  }
}

}  // namespace

Result<FitOutcome> FitEvents(const std::vector<core::Event>& events, const FitRequest& req) {
  FitOutcome out;
  bool clipped = false;
  out.window_start = WindowStart(req.as_of, req.window_days,
                                 req.coverage_start ? req.coverage_start : CoverageStart(events), &clipped);
  out.catalogue = PrepareCatalogue(events, out.window_start, out.window_start, req.as_of);
  FitConfig cfg = req.config;
  cfg.kernel = req.selection.kernel;
  VIGIL_ASSIGN_OR_RETURN(out.fit, FitHawkes(out.catalogue, req.as_of - out.window_start, cfg));
  out.summary = SummaryJson(out.fit, out.catalogue, req.as_of, out.window_start, req.selection);
  out.summary["window_requested_days"] = req.window_days;
  out.summary["window_clipped_to_coverage"] = clipped;
  return out;
}

namespace {
// The store's coverage start, unless the request already names one.
Status FillCoverage(store::EventStore* store, std::optional<Date>* coverage_start) {
  if (*coverage_start) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(auto coverage, store->Coverage());
  *coverage_start = CoverageStart(coverage);
  return Status::Ok();
}
}  // namespace

Result<FitOutcome> Fit(store::EventStore* store, const FitRequest& req) {
  FitRequest r = req;
  VIGIL_RETURN_IF_ERROR(FillCoverage(store, &r.coverage_start));
  const Date start = WindowStart(r.as_of, r.window_days, r.coverage_start, nullptr);
  VIGIL_ASSIGN_OR_RETURN(auto events, LoadEvents(store, r.selection, start, r.as_of));
  VIGIL_ASSIGN_OR_RETURN(FitOutcome out, FitEvents(events, r));
  if (req.save_snapshot) {
    store::ModelSnapshot s;
    s.model = "hawkes";
    s.format_version = kSnapshotFormat;
    s.as_of = req.as_of;
    s.window_start = out.window_start;
    s.selection = req.selection.Describe();
    s.params = out.summary.dump();
    s.catalogue = EncodeCatalogue(out.catalogue);
    VIGIL_ASSIGN_OR_RETURN(s.fingerprint, store->EventsFingerprint());
    VIGIL_ASSIGN_OR_RETURN(out.snapshot_id, store->SaveSnapshot(s));
    out.summary["snapshot_id"] = out.snapshot_id;
  }
  return out;
}

namespace {

// The forecast of `req` from a catalogue whose window starts at `ws`: every
// model, and what each unit saw in the last 30 days.
Result<ForecastOutcome> ForecastCatalogue(const std::vector<ModelEvent>& cat, Date ws, bool clipped,
                                          const ForecastRequest& req, std::vector<Unit> units,
                                          const std::optional<Json>& snapshot) {
  ForecastOutcome out;
  out.units = std::move(units);
  const double T = req.as_of - ws, H = req.horizon_days;
  const UnitLocator locate(out.units);
  std::vector<UnitForecast> hawkes, hist;
  const bool need_hawkes = req.model == "hawkes" || req.model == "ensemble";
  const bool need_hist = req.model == "historical" || req.model == "ensemble";
  if (need_hawkes) {
    FitResult fit;
    if (snapshot) {
      VIGIL_ASSIGN_OR_RETURN(fit, FromSnapshot(*snapshot, cat, T));
      out.model_summary = *snapshot;
    } else {
      FitConfig cfg;
      cfg.kernel = req.selection.kernel;
      VIGIL_ASSIGN_OR_RETURN(fit, FitHawkes(cat, T, cfg));
      out.model_summary = SummaryJson(fit, cat, req.as_of, ws, req.selection);
      out.model_summary["window_requested_days"] = req.window_days;
      out.model_summary["window_clipped_to_coverage"] = clipped;
    }
    hawkes = ForecastHawkes(fit, cat, T, H, out.units);
    if (req.quantile_reps > 0)
      ForecastQuantiles(fit, cat, T, H, out.units, locate, req.quantile_reps, req.seed, &hawkes);
  }
  if (need_hist) hist = ForecastHistorical(CountByUnit(cat, 0, T, out.units, locate), T, H, out.units);
  if (req.quantile_reps > 0 && req.model != "hawkes")
    return core::InvalidArgument("--quantiles needs --model hawkes (the baselines have no process to simulate)");
  if (req.model == "hawkes")
    out.rows = std::move(hawkes);
  else if (req.model == "historical")
    out.rows = std::move(hist);
  else if (req.model == "persistence")
    out.rows = ForecastPersistence(CountByUnit(cat, T - H, T, out.units, locate));
  else if (req.model == "ratemix") {
    const double rd = std::min(kRateMixRecentDays, T), ld = std::min(kRateMixLongDays, T);
    out.rows = ForecastRateMix(CountByUnit(cat, T - rd, T, out.units, locate), rd,
                               CountByUnit(cat, T - ld, T, out.units, locate), ld, H);
  } else if (req.model == "xgb") {
    VIGIL_ASSIGN_OR_RETURN(out.rows, ForecastXgb(cat, T, H, out.units, locate));
  } else if (req.model == "ensemble") {
    out.rows.resize(out.units.size());
    for (size_t u = 0; u < out.units.size(); ++u) {
      out.rows[u].expected = 0.5 * (hawkes[u].expected + hist[u].expected);
      out.rows[u].p_any = 0.5 * (hawkes[u].p_any + hist[u].p_any);
    }
  } else {
    return core::InvalidArgument("unknown model '" + req.model +
                                 "' (expected hawkes, ratemix, historical, persistence, xgb or ensemble)");
  }
  const auto seen = CountByUnit(cat, T - 30, T, out.units, locate);
  for (size_t u = 0; u < out.rows.size() && u < seen.size(); ++u) out.rows[u].observed_30d = seen[u];
  return out;
}

Result<ForecastOutcome> ForecastWith(const std::vector<core::Event>& events, const ForecastRequest& req,
                                     std::vector<Unit> units, const std::optional<Json>& snapshot) {
  bool clipped = false;
  const Date ws = WindowStart(req.as_of, req.window_days,
                              req.coverage_start ? req.coverage_start : CoverageStart(events), &clipped);
  return ForecastCatalogue(PrepareCatalogue(events, ws, ws, req.as_of), ws, clipped, req, std::move(units), snapshot);
}

// The snapshot's own catalogue (schema 16 on), else the events the store now
// holds in its window (older snapshots: events imported into that window
// since change their forecast).
Result<std::vector<ModelEvent>> SnapshotCatalogue(store::EventStore* store, const store::ModelSnapshot& snapshot,
                                                  const Selection& sel) {
  if (!snapshot.catalogue.empty()) return DecodeCatalogue(snapshot.catalogue);
  VIGIL_ASSIGN_OR_RETURN(auto events, LoadEvents(store, sel, snapshot.window_start, snapshot.as_of));
  return PrepareCatalogue(events, snapshot.window_start, snapshot.window_start, snapshot.as_of);
}

}  // namespace

Result<ForecastOutcome> ForecastEvents(const std::vector<core::Event>& events, const geo::Reference& ref,
                                       const ForecastRequest& req, std::vector<Unit> units) {
  (void)ref;
  return ForecastWith(events, req, std::move(units), std::nullopt);
}

Result<ForecastOutcome> Forecast(store::EventStore* store, const geo::Reference& ref, const ForecastRequest& req) {
  if (req.horizon_days < 1 || req.horizon_days > 366) return core::InvalidArgument("--horizon must be 1..366 days");
  VIGIL_ASSIGN_OR_RETURN(auto units, MakeUnits(req.level, ref, req.point));
  ForecastRequest r = req;
  VIGIL_RETURN_IF_ERROR(FillCoverage(store, &r.coverage_start));
  const Date ws = WindowStart(r.as_of, r.window_days, r.coverage_start, nullptr);
  VIGIL_ASSIGN_OR_RETURN(auto events, LoadEvents(store, r.selection, ws, r.as_of));
  std::optional<Json> snapshot;
  int64_t snapshot_id = 0;
  if (req.model == "hawkes" || req.model == "ensemble") {
    VIGIL_ASSIGN_OR_RETURN(std::string fp, store->EventsFingerprint());
    VIGIL_ASSIGN_OR_RETURN(auto found, store->FindSnapshot("hawkes", req.as_of, ws, req.selection.Describe(), fp));
    if (found && found->format_version == kSnapshotFormat) {
      snapshot = Json::parse(found->params, nullptr, false);
      snapshot_id = found->id;
      if (snapshot->is_discarded()) snapshot.reset();
    }
    if (!snapshot) {
      FitRequest fr;
      fr.as_of = req.as_of;
      fr.window_days = req.window_days;
      fr.coverage_start = r.coverage_start;
      fr.selection = req.selection;
      VIGIL_ASSIGN_OR_RETURN(FitOutcome fit, Fit(store, fr));
      snapshot = fit.summary;
      snapshot_id = fit.snapshot_id;
    }
  }
  VIGIL_ASSIGN_OR_RETURN(ForecastOutcome out, ForecastWith(events, r, std::move(units), snapshot));
  out.snapshot_id = snapshot_id;
  return out;
}

Result<Selection> ParseSelection(const std::string& described) {
  Selection sel;
  for (auto part : core::Split(described, ';')) {
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos) return core::InvalidArgument("bad selection '" + described + "'");
    const std::string key(part.substr(0, eq)), value(part.substr(eq + 1));
    if (key == "types") {
      if (value != "political-violence")
        for (auto t : core::Split(value, ',')) sel.event_types.emplace_back(t);
    } else if (key == "countries") {
      if (value != "all")
        for (auto c : core::Split(value, ',')) sel.countries.emplace_back(c);
    } else if (key == "kernel") {
      VIGIL_ASSIGN_OR_RETURN(sel.kernel, ParseKernel(value));
    } else {
      return core::InvalidArgument("bad selection '" + described + "'");
    }
  }
  return sel;
}

Result<ForecastOutcome> ForecastFromSnapshot(store::EventStore* store, const geo::Reference& ref,
                                             const store::ModelSnapshot& snapshot, Level level, int horizon_days,
                                             int quantile_reps) {
  if (horizon_days < 1 || horizon_days > 366) return core::InvalidArgument("horizon must be 1..366 days");
  Json params = Json::parse(snapshot.params, nullptr, false);
  if (params.is_discarded()) return core::Internal("snapshot " + std::to_string(snapshot.id) + " is not JSON");
  ForecastRequest req;
  req.as_of = snapshot.as_of;
  req.window_days = snapshot.as_of - snapshot.window_start;
  req.coverage_start = snapshot.window_start;
  req.horizon_days = horizon_days;
  req.level = level;
  req.quantile_reps = quantile_reps;
  req.seed = 1;
  VIGIL_ASSIGN_OR_RETURN(req.selection, ParseSelection(snapshot.selection));
  VIGIL_ASSIGN_OR_RETURN(auto units, MakeUnits(level, ref));
  VIGIL_ASSIGN_OR_RETURN(auto cat, SnapshotCatalogue(store, snapshot, req.selection));
  VIGIL_ASSIGN_OR_RETURN(ForecastOutcome out,
                         ForecastCatalogue(cat, snapshot.window_start, false, req, std::move(units), params));
  out.snapshot_id = snapshot.id;
  return out;
}

Result<std::vector<std::vector<UnitForecast>>> ForecastUnitsFromSnapshot(store::EventStore* store,
                                                                         const store::ModelSnapshot& snapshot,
                                                                         const std::vector<Unit>& units,
                                                                         const std::vector<int>& horizons) {
  for (int h : horizons)
    if (h < 1 || h > 366) return core::InvalidArgument("horizon must be 1..366 days");
  Json params = Json::parse(snapshot.params, nullptr, false);
  if (params.is_discarded()) return core::Internal("snapshot " + std::to_string(snapshot.id) + " is not JSON");
  VIGIL_ASSIGN_OR_RETURN(Selection sel, ParseSelection(snapshot.selection));
  VIGIL_ASSIGN_OR_RETURN(const auto cat, SnapshotCatalogue(store, snapshot, sel));
  const double T = snapshot.as_of - snapshot.window_start;
  VIGIL_ASSIGN_OR_RETURN(FitResult fit, FromSnapshot(params, cat, T));
  return ForecastHawkesHorizons(fit, cat, T, std::vector<double>(horizons.begin(), horizons.end()), units);
}

Result<SnapshotModel> LoadSnapshotModel(store::EventStore* store, std::optional<Date> as_of, bool save) {
  SnapshotModel out;
  if (as_of) {
    FitRequest req;
    req.as_of = *as_of;
    req.save_snapshot = save;
    VIGIL_ASSIGN_OR_RETURN(FitOutcome fitted, Fit(store, req));
    out.fit = std::move(fitted.fit);
    out.catalogue = std::move(fitted.catalogue);
    out.window_start = fitted.window_start;
    out.as_of = *as_of;
    out.snapshot_id = fitted.snapshot_id;
    out.selection = req.selection;
    return out;
  }
  VIGIL_ASSIGN_OR_RETURN(auto snapshot, store->LatestSnapshot("hawkes"));
  if (!snapshot) return core::NotFound("no model snapshot in this database: run `vigil fit --as-of YYYY-MM-DD` first");
  Json params = Json::parse(snapshot->params, nullptr, false);
  if (params.is_discarded()) return core::Internal("snapshot " + std::to_string(snapshot->id) + " is not JSON");
  VIGIL_ASSIGN_OR_RETURN(out.selection, ParseSelection(snapshot->selection));
  VIGIL_ASSIGN_OR_RETURN(out.catalogue, SnapshotCatalogue(store, *snapshot, out.selection));
  VIGIL_ASSIGN_OR_RETURN(out.fit, FromSnapshot(params, out.catalogue, snapshot->as_of - snapshot->window_start));
  out.window_start = snapshot->window_start;
  out.as_of = snapshot->as_of;
  out.snapshot_id = snapshot->id;
  return out;
}

Result<UnitsForecast> ForecastUnitsAt(store::EventStore* store, std::optional<Date> as_of,
                                      const std::vector<Unit>& units, const std::vector<int>& horizons) {
  UnitsForecast out;
  if (as_of) {
    FitRequest req;
    req.as_of = *as_of;
    VIGIL_ASSIGN_OR_RETURN(FitOutcome fitted, Fit(store, req));
    const double T = *as_of - fitted.window_start;
    out.as_of = *as_of;
    out.snapshot_id = fitted.snapshot_id;
    out.rows = ForecastHawkesHorizons(fitted.fit, fitted.catalogue, T,
                                      std::vector<double>(horizons.begin(), horizons.end()), units);
    return out;
  }
  VIGIL_ASSIGN_OR_RETURN(auto snapshot, store->LatestSnapshot("hawkes"));
  if (!snapshot) return core::NotFound("no model snapshot in this database: run `vigil fit --as-of YYYY-MM-DD` first");
  out.as_of = snapshot->as_of;
  out.snapshot_id = snapshot->id;
  VIGIL_ASSIGN_OR_RETURN(out.rows, ForecastUnitsFromSnapshot(store, *snapshot, units, horizons));
  return out;
}

Result<BacktestReport> BacktestEvents(const std::vector<core::Event>& events, const geo::Reference& ref,
                                      const BacktestRequest& req) {
  if (req.step_days < 1 || req.horizon_days < 1) return core::InvalidArgument("--step and --horizon must be >= 1 day");
  if (!(req.from < req.to)) return core::InvalidArgument("--from must be before --to");
  if (req.level != Level::kCell && req.level != Level::kAdmin2 && req.level != Level::kAdmin1 &&
      req.level != Level::kCell01)
    return core::InvalidArgument("backtest levels: cell, cell01, admin1, admin2");
  for (size_t i = 0; i < req.models.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (req.models[i] == req.models[j])
        return core::InvalidArgument("--models names '" + req.models[i] + "' twice");
  if (req.shards < 1 || req.shard < 0 || req.shard >= req.shards)
    return core::InvalidArgument("backtest shard " + std::to_string(req.shard) + " of " + std::to_string(req.shards));
  VIGIL_ASSIGN_OR_RETURN(auto units, MakeUnits(req.level, ref));
  const UnitLocator locate(units);
  std::vector<Date> origins;
  for (Date d = req.from; d < req.to; d = d + req.step_days) origins.push_back(d);
  // model -> (p, expected), [origin][unit]: filled for this shard's origins.
  std::map<std::string, std::array<std::vector<double>, 2>> pred;
  const size_t n_units = units.size(), n_slots = origins.size() * n_units;
  for (const auto& m : req.models) pred[m] = {std::vector<double>(n_slots, 0), std::vector<double>(n_slots, 0)};
  std::vector<int64_t> observed;
  std::vector<std::pair<Date, size_t>> keys;
  const std::optional<Date> coverage = req.coverage_start ? req.coverage_start : CoverageStart(events);
  BacktestReport rep;
  rep.origins = static_cast<int>(origins.size());
  rep.units = static_cast<int64_t>(units.size());
  for (size_t k = 0; k < origins.size(); ++k) {
    const Date origin = origins[k];
    const Date ws = origin - req.window_days;
    // Outcomes: every selected event in [origin, origin + horizon).
    const auto future = PrepareCatalogue(events, ws, origin, origin + req.horizon_days);
    const auto obs = CountByUnit(future, -1e18, 1e18, units, locate);
    for (size_t u = 0; u < n_units; ++u) {
      observed.push_back(obs[u]);
      keys.emplace_back(origin, u);
    }
    if (static_cast<int>(k % static_cast<size_t>(req.shards)) != req.shard) continue;
    // Forecasts see events before the origin only (ForecastWith filters).
    for (const auto& m : req.models) {
      ForecastRequest fr;
      fr.as_of = origin;
      fr.horizon_days = req.horizon_days;
      fr.level = req.level;
      fr.model = m;
      fr.window_days = req.window_days;
      fr.coverage_start = coverage;
      fr.selection = req.selection;
      auto f = ForecastWith(events, fr, units, std::nullopt);
      if (!f.ok())
        return Status(f.status().code(), "origin " + origin.ToIso() + ", model " + m + ": " + f.status().message());
      auto& pe = pred[m];
      for (size_t u = 0; u < n_units; ++u) {
        pe[0][k * n_units + u] = f->rows[u].p_any;
        pe[1][k * n_units + u] = f->rows[u].expected;
      }
    }
    if (req.progress) req.progress(static_cast<int>(k + 1), static_cast<int>(origins.size()));
  }
  if (req.gather) {
    std::vector<double> all;
    all.reserve(2 * n_slots * req.models.size());
    for (const auto& m : req.models)
      for (const auto& v : pred[m]) all.insert(all.end(), v.begin(), v.end());
    req.gather(&all);
    size_t at = 0;
    for (const auto& m : req.models)
      for (auto& v : pred[m]) {
        std::copy(all.begin() + static_cast<std::ptrdiff_t>(at), all.begin() + static_cast<std::ptrdiff_t>(at + n_slots),
                  v.begin());
        at += n_slots;
      }
  }
  double persistence_brier = -1;
  for (const auto& m : req.models) {
    ModelScores ms;
    ms.model = m;
    ms.scores = Score(pred[m][0], pred[m][1], observed);
    if (m == "persistence") persistence_brier = ms.scores.brier;
    rep.models.push_back(std::move(ms));
  }
  if (persistence_brier < 0) {
    std::vector<double> p, e;
    for (size_t k = 0; k < origins.size(); ++k) {
      ForecastRequest fr;
      fr.as_of = origins[k];
      fr.horizon_days = req.horizon_days;
      fr.model = "persistence";
      fr.window_days = req.window_days;
      fr.coverage_start = coverage;
      auto f = ForecastWith(events, fr, units, std::nullopt);
      if (!f.ok()) return f.status();
      for (const auto& r : f->rows) p.push_back(r.p_any), e.push_back(r.expected);
    }
    persistence_brier = Score(p, e, observed).brier;
  }
  for (auto& ms : rep.models)
    ms.brier_skill_vs_persistence = persistence_brier > 0 ? 1 - ms.scores.brier / persistence_brier : 0;
  // Largest misses of the first model.
  if (!req.models.empty()) {
    const auto& e = pred[req.models.front()][1];
    std::vector<size_t> idx(e.size());
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
      return std::abs(static_cast<double>(observed[a]) - e[a]) > std::abs(static_cast<double>(observed[b]) - e[b]);
    });
    for (size_t i = 0; i < idx.size() && i < 10; ++i)
      rep.largest_misses.push_back({keys[idx[i]].first, units[keys[idx[i]].second].id, e[idx[i]], observed[idx[i]]});
  }
  return rep;
}

Result<BacktestReport> Backtest(store::EventStore* store, const geo::Reference& ref, const BacktestRequest& req) {
  BacktestRequest r = req;
  VIGIL_RETURN_IF_ERROR(FillCoverage(store, &r.coverage_start));
  VIGIL_ASSIGN_OR_RETURN(auto events, LoadEvents(store, r.selection, r.from - r.window_days, r.to + r.horizon_days));
  return BacktestEvents(events, ref, r);
}

Json BacktestReport::ToJson() const {
  Json models_json = Json::array();
  for (const auto& m : models) {
    Json rel = Json::array();
    for (const auto& b : m.scores.reliability)
      rel.push_back({{"bin", std::to_string(b.lo).substr(0, 3) + "-" + std::to_string(b.hi).substr(0, 3)},
                     {"n", b.n},
                     {"mean_p", b.mean_p},
                     {"observed", b.observed}});
    models_json.push_back({{"model", m.model},
                           {"n", m.scores.n},
                           {"positives", m.scores.positives},
                           {"brier", m.scores.brier},
                           {"log_loss", m.scores.log_loss},
                           {"auc", m.scores.auc},
                           {"average_precision", m.scores.average_precision},
                           {"crps", m.scores.crps},
                           {"ece", m.scores.ece},
                           {"brier_skill_vs_persistence", m.brier_skill_vs_persistence},
                           {"reliability", rel}});
  }
  Json misses = Json::array();
  for (const auto& m : largest_misses)
    misses.push_back(
        {{"origin", m.origin.ToIso()}, {"unit", m.unit}, {"expected", m.expected}, {"observed", m.observed}});
  return {{"origins", origins}, {"units", units}, {"models", models_json}, {"largest_misses", misses}};
}

}  // namespace vigil::model

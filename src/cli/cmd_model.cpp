// vigil fit / forecast / backtest / simulate: the forecasting engine.
#include <cstdio>
#include <fstream>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/event_json.h"
#include "core/json.h"
#include "model/service.h"
#include "model/simulate.h"
#include "dist/world.h"
#include "report/backtest_markdown.h"
#include "report/forecast_geojson.h"

namespace vigil::cli {

namespace {

struct ModelFlags {
  std::string as_of, window = "5y", format = "table", kernel = "exponential";
  std::vector<std::string> countries, types;
};

void AddModelFlags(CLI::App* cmd, ModelFlags* f, bool as_of) {
  if (as_of)
    cmd->add_option("--as-of", f->as_of, "forecast origin, YYYY-MM-DD: only events before it are used")->required();
  cmd->add_option("--window", f->window, "training window before --as-of: 5y (default), 18m, 90d, 12w");
  cmd->add_option("--kernel", f->kernel, "triggering delay kernel: exponential (default) or power-law");
  cmd->add_option("--country", f->countries, "only events of these countries")->delimiter(',');
  cmd->add_option("--types", f->types,
                  "event types to model (default: Battles, Explosions/Remote violence, Violence against civilians, "
                  "and all UCDP events)")
      ->delimiter(',');
}

core::Result<model::Selection> MakeSelection(const ModelFlags& f) {
  model::Selection s;
  s.countries = f.countries;
  VIGIL_ASSIGN_OR_RETURN(s.kernel, model::ParseKernel(f.kernel));
  for (const auto& t : f.types) {
    std::string c = core::CanonicalEventType(t);
    if (c.empty()) return core::InvalidArgument("--types '" + t + "' is not an ACLED event type");
    s.event_types.push_back(c);
  }
  return s;
}

core::Result<core::Date> ParseDateFlag(const std::string& s, const char* flag) {
  auto d = core::Date::Parse(s);
  if (!d.ok()) return core::InvalidArgument(std::string(flag) + ": " + d.status().message());
  return *d;
}

// What every model command needs besides its own flags.
struct ModelContext {
  int window_days = 0;
  model::Selection selection;
  std::unique_ptr<store::EventStore> store;
  std::shared_ptr<const geo::Reference> ref;  // only when asked for
};

core::Result<ModelContext> PrepareContext(const Globals& g, const ModelFlags& f, bool need_reference) {
  ModelContext c;
  VIGIL_ASSIGN_OR_RETURN(c.window_days, model::ParseWindow(f.window));
  VIGIL_ASSIGN_OR_RETURN(c.selection, MakeSelection(f));
  VIGIL_ASSIGN_OR_RETURN(c.store, OpenStore(g));
  if (need_reference) {
    VIGIL_ASSIGN_OR_RETURN(c.ref, LoadReference(g));
  }
  return c;
}

// "(+/- se)" or, for a fit on a bound, nothing (there is no honest error).
std::string PlusMinus(const core::Json& se, const char* key, const char* cls = nullptr) {
  if (!se.is_object()) return "";
  const core::Json& v = cls ? se[key][cls] : se[key];
  char buf[48];
  std::snprintf(buf, sizeof buf, " (+/- %.4f)", v.get<double>());
  return buf;
}

// " ON ITS BOUND" for a parameter the fit left on a bound of its range.
const char* BoundMark(const core::Json& s, const char* name) {
  for (const auto& b : s["at_bound"])
    if (b == name) return "  <- ON ITS BOUND";
  return "";
}

void PrintFitTable(const core::Json& s) {
  std::printf("Hawkes model fitted at as_of %s on %s .. %s (%s)\n", s["as_of"].get<std::string>().c_str(),
              s["window_start"].get<std::string>().c_str(), s["as_of"].get<std::string>().c_str(),
              s["selection"].get<std::string>().c_str());
  if (s.value("window_clipped_to_coverage", false))
    std::printf("window: %lld days (%lld asked for; the data starts on %s)\n",
                static_cast<long long>(s["window_days"].get<int64_t>()),
                static_cast<long long>(s["window_requested_days"].get<int64_t>()),
                s["window_start"].get<std::string>().c_str());
  std::printf("events: %lld (%lld precise, %lld background-only)\n", static_cast<long long>(s["events"].get<int64_t>()),
              static_cast<long long>(s["events_precise"].get<int64_t>()),
              static_cast<long long>(s["events_background_only"].get<int64_t>()));
  const auto& p = s["params"];
  const auto& se = s["standard_errors"];
  std::printf("background rate mu      %10.4f events/day%s\n", p["mu"].get<double>(), PlusMinus(se, "mu").c_str());
  std::printf("background bandwidth    %10.1f km\n", p["bandwidth_km"].get<double>());
  if (s["moving_background"] == "on")
    std::printf(
        "moving background       %10.3f of mu follows recent events (half-life %.0f days, spread %.0f km; %.1f%% of "
        "events)\n",
        p["recent_weight"].get<double>(), p["recent_half_life_days"].get<double>(), p["recent_km"].get<double>(),
        100 * s["recent_share"].get<double>());
  else
    std::printf("moving background       %s\n", s["moving_background"].get<std::string>().c_str());
  if (s["temporal_kernel"] == "power_law")
    std::printf("triggering half-life    %10.2f days (median delay; power law c %.3f days, p %.3f)%s%s\n",
                s["half_life_days"].get<double>(), p["c_days"].get<double>(), p["p"].get<double>(),
                BoundMark(s, "c_days"), BoundMark(s, "p"));
  else
    std::printf("triggering half-life    %10.2f days (omega %.4f/day)%s\n", s["half_life_days"].get<double>(),
                p["omega"].get<double>(), BoundMark(s, "half_life_days"));
  std::printf("spatial scale sigma     %10.2f km (floor %.2f km: what the coordinates resolve)%s\n",
              s["spatial_scale_km"].get<double>(), s["sigma_floor_km"].get<double>(), BoundMark(s, "sigma_km"));
  std::printf("repeat-location share   %10.3f (offspring at the parent's own place, within %.1f km)\n",
              p["repeat_share"].get<double>(), p["repeat_km"].get<double>());
  std::printf("branching ratio         %10.3f (expected direct offspring per event)\n",
              s["branching_ratio"].get<double>());
  for (const auto& [cls, k] : p["kappa"].items())
    std::printf("  kappa %-28s %6.3f%s\n", cls.c_str(), k.get<double>(), PlusMinus(se, "kappa", cls.c_str()).c_str());
  const std::string status = s["status"].get<std::string>();
  std::printf("log-likelihood %.2f, AIC %.2f, %d EM iterations, %s\n", s["loglik"].get<double>(),
              s["aic"].get<double>(), s["iterations"].get<int>(),
              status == "at_bound"    ? "NOT converged: a parameter is on its bound (docs/models.md, reading a bound)"
              : status == "converged" ? "converged"
                                      : "not converged");
  std::printf("momentum by admin1 (offspring per event, share of events triggered):\n");
  for (const auto& [a, v] : s["branching_by_admin1"].items())
    std::printf("  %s %6lld events  %5.2f  %5.1f%%\n", Cell(a, 20).c_str(),
                static_cast<long long>(v["events"].get<int64_t>()), v["offspring_per_event"].get<double>(),
                100 * v["triggered_share"].get<double>());
  if (s.contains("snapshot_id"))
    std::printf("stored as model snapshot %lld\n", static_cast<long long>(s["snapshot_id"].get<int64_t>()));
  for (const auto& w : s.value("warnings", core::Json::array()))
    std::fprintf(stderr, "vigil: WARNING: %s\n", w.value("message", "").c_str());
}

int RunFit(const Globals& g, const ModelFlags& f) {
  auto fmt = ParseFormat(f.format, {Format::kTable, Format::kJson});
  if (!fmt.ok()) return Fail(fmt.status());
  model::FitRequest req;
  auto as_of = ParseDateFlag(f.as_of, "--as-of");
  if (!as_of.ok()) return Fail(as_of.status());
  req.as_of = *as_of;
  auto ctx = PrepareContext(g, f, false);
  if (!ctx.ok()) return Fail(ctx.status());
  req.window_days = ctx->window_days;
  req.selection = ctx->selection;
  Progress progress(g, "fit");
  req.config.progress = [&progress](int it, double ll) {
    char line[96];
    std::snprintf(line, sizeof line, "EM iteration %d, log-likelihood %.1f", it, ll);
    progress.Status(line);
  };
  auto out = model::Fit(ctx->store.get(), req);
  progress.Finish();
  if (!out.ok()) return Fail(out.status());
  if (*fmt == Format::kJson)
    std::printf("%s\n", out->summary.dump().c_str());
  else
    PrintFitTable(out->summary);
  return 0;
}

// "%.3f" of v: the table's numbers in English.
std::string FixedDecimals(double v, int decimals) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

struct ForecastFlags {
  ModelFlags m;
  int horizon = 30;
  bool quantiles = false;
  int reps = 500;
  uint64_t seed = 1;
  std::string level = "cell", model = "hawkes", lang = "en";
  double lat = 1000, lon = 1000, radius_km = 25;
};

int RunForecast(const Globals& g, const ForecastFlags& f) {
  auto fmt = ParseFormat(f.m.format, {Format::kTable, Format::kCsv, Format::kGeojson, Format::kJson});
  if (!fmt.ok()) return Fail(fmt.status());
  auto words = OpenTableWords(g, f.lang);
  if (!words.ok()) return Fail(words.status());
  model::ForecastRequest req;
  auto as_of = ParseDateFlag(f.m.as_of, "--as-of");
  if (!as_of.ok()) return Fail(as_of.status());
  req.as_of = *as_of;
  req.horizon_days = f.horizon;
  auto level = model::ParseLevel(f.level);
  if (!level.ok()) return Fail(level.status());
  req.level = *level;
  if (req.level == model::Level::kPoint) {
    if (f.lat < -90 || f.lat > 90 || f.lon < -180 || f.lon > 180)
      return Fail(core::InvalidArgument("--level point needs --lat and --lon in range"));
    req.point = model::PointQuery{f.lat, f.lon, f.radius_km};
  }
  req.model = f.model;
  if (f.quantiles) {
    if (f.reps < 50 || f.reps > 100000) return Fail(core::InvalidArgument("--reps must be 50..100000"));
    req.quantile_reps = f.reps;
    req.seed = f.seed;
  }
  auto ctx = PrepareContext(g, f.m, true);
  if (!ctx.ok()) return Fail(ctx.status());
  req.window_days = ctx->window_days;
  req.selection = ctx->selection;
  auto out = model::Forecast(ctx->store.get(), *ctx->ref, req);
  if (!out.ok()) return Fail(out.status());
  const auto& units = out->units;
  const auto& rows = out->rows;
  const bool cell = req.level == model::Level::kCell;
  // Every format lists the units highest first (then by id, for a stable order).
  std::vector<size_t> order(units.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return rows[a].expected > rows[b].expected; });
  // A cell is named by the region and cercle of its centre.
  auto place = [&](size_t i) { return ctx->ref->Reverse(units[i].lat, units[i].lon); };
  if (*fmt == Format::kCsv) {
    std::printf("%s,lat,lon,expected_count,p_any%s%s\n", cell ? "gid" : "unit", f.quantiles ? ",p10,p50,p90" : "",
                cell ? ",admin1,admin2" : "");
    for (size_t i : order) {
      std::printf("%s,%.4f,%.4f,%.6f,%.6f", CsvField(units[i].id).c_str(), units[i].lat, units[i].lon, rows[i].expected,
                  rows[i].p_any);
      if (f.quantiles) std::printf(",%g,%g,%g", rows[i].p10, rows[i].p50, rows[i].p90);
      if (cell) {
        const geo::AdminInfo a = place(i);
        std::printf(",%s,%s", CsvField(a.admin1).c_str(), CsvField(a.admin2).c_str());
      }
      std::printf("\n");
    }
  } else if (*fmt == Format::kJson || *fmt == Format::kGeojson) {
    core::Json feats = core::Json::array();
    report::ForecastFeatureOptions fo;
    fo.quantiles = f.quantiles;
    fo.admin_names = true;
    for (size_t i : order) {
      if (*fmt == Format::kJson) {
        core::Json props = report::ForecastProperties(units[i], rows[i], req.level, *ctx->ref, fo);
        props["lat"] = units[i].lat;
        props["lon"] = units[i].lon;
        feats.push_back(props);
        continue;
      }
      feats.push_back(report::ForecastFeature(units[i], rows[i], req.level, *ctx->ref, fo));
    }
    core::Json doc = *fmt == Format::kJson
                         ? core::Json{{"as_of", req.as_of.ToIso()},           {"horizon_days", req.horizon_days},
                                      {"level", model::LevelName(req.level)}, {"model", req.model},
                                      {"snapshot_id", out->snapshot_id},      {"units", feats}}
                         : core::Json{{"type", "FeatureCollection"}, {"features", feats}};
    std::printf("%s\n", doc.dump().c_str());
  } else {
    const report::Writer* w = (*words)->get();
    auto T = [w](const char* key, const char* english, const std::vector<std::string>& args = {}) {
      return w ? w->T(key, args) : report::Fill(english, args);
    };
    auto num = [w](double v) { return w ? w->Num(v, 3) : FixedDecimals(v, 3); };
    std::printf("%s\n", T("forecast_title", "{1} forecast, {2} days from {3}, level {4} ({5} units), highest first",
                          {req.model, std::to_string(req.horizon_days), req.as_of.ToIso(),
                           model::LevelName(req.level), std::to_string(units.size())})
                            .c_str());
    std::printf("%s %s %s %s %s%s%s\n", Cell(T("col_unit", "unit"), 28).c_str(), RightCell(T("col_lat", "lat"), 9).c_str(),
                RightCell(T("col_lon", "lon"), 10).c_str(), RightCell(T("col_expected", "expected"), 9).c_str(),
                RightCell(T("col_p_any", "P(>=1)"), 7).c_str(), f.quantiles ? "   p10   p50   p90" : "",
                cell ? ("  " + T("col_region_cercle", "region / cercle")).c_str() : "");
    for (size_t k = 0; k < order.size() && k < 25; ++k) {
      const size_t i = order[k];
      std::printf("%s %s %s %s %s", Cell(units[i].id, 28).c_str(), RightCell(num(units[i].lat), 9).c_str(),
                  RightCell(num(units[i].lon), 10).c_str(), RightCell(num(rows[i].expected), 9).c_str(),
                  RightCell(num(rows[i].p_any), 7).c_str());
      if (f.quantiles) std::printf(" %5.0f %5.0f %5.0f", rows[i].p10, rows[i].p50, rows[i].p90);
      if (cell) {
        const geo::AdminInfo a = place(i);
        std::printf("  %s%s%s", a.admin1.c_str(), a.admin2.empty() ? "" : " / ", a.admin2.c_str());
      }
      std::printf("\n");
    }
    if (units.size() > 25)
      std::printf("%s\n", T("more_units", "({1} more; --format csv for all)", {std::to_string(units.size() - 25)}).c_str());
  }
  return 0;
}

struct BacktestFlags {
  ModelFlags m;
  std::string from, to, level = "cell", report;
  int step = 30, horizon = 30;
  std::vector<std::string> models{"hawkes", "ratemix", "historical", "persistence"};
};

int RunBacktest(const Globals& g, const BacktestFlags& f) {
  auto fmt = ParseFormat(f.m.format, {Format::kTable, Format::kJson});
  if (!fmt.ok()) return Fail(fmt.status());
  model::BacktestRequest req;
  auto from = ParseDateFlag(f.from, "--from");
  if (!from.ok()) return Fail(from.status());
  auto to = ParseDateFlag(f.to, "--to");
  if (!to.ok()) return Fail(to.status());
  req.from = *from;
  req.to = *to;
  req.step_days = f.step;
  req.horizon_days = f.horizon;
  auto level = model::ParseLevel(f.level);
  if (!level.ok()) return Fail(level.status());
  req.level = *level;
  for (const auto& m : f.models)
    if (m != "hawkes" && m != "ratemix" && m != "historical" && m != "persistence" && m != "ensemble" && m != "xgb")
      return Fail(core::InvalidArgument("--models: unknown model '" + m +
                                        "' (hawkes, ratemix, historical, persistence, xgb, ensemble)"));
  req.models = f.models;
  auto ctx = PrepareContext(g, f.m, true);
  if (!ctx.ok()) return Fail(ctx.status());
  req.window_days = ctx->window_days;
  req.selection = ctx->selection;
  // Under mpirun each rank forecasts its share of the origins; rank 0 reports.
  const dist::World& world = dist::World::Get();
  req.shard = world.rank();
  req.shards = world.size();
  if (world.distributed()) req.gather = [&world](std::vector<double>* v) { world.SumToRoot(v); };
  Globals quiet = g;
  quiet.quiet = g.quiet || !world.root();
  Progress progress(quiet, "backtest");
  req.progress = [&](int done, int total) { progress.Update(done, total, done); };
  auto rep = model::Backtest(ctx->store.get(), *ctx->ref, req);
  progress.Finish();
  if (!rep.ok() && world.distributed()) world.Abort(Fail(rep.status()));
  if (!rep.ok()) return Fail(rep.status());
  if (!world.root()) return 0;
  const std::string md = report::BacktestMarkdown(*rep, req);
  if (!f.report.empty()) {
    std::ofstream out(f.report);
    out << md;
    if (!out) return Fail(core::IoError("cannot write " + f.report));
  }
  if (*fmt == Format::kJson)
    std::printf("%s\n", rep->ToJson().dump().c_str());
  else
    std::printf("%s", md.c_str());
  return 0;
}

struct SimulateFlags {
  std::string params, from, to, output;
  uint64_t seed = 1;
};

int RunSimulate(const SimulateFlags& f) {
  std::ifstream in(f.params);
  if (!in) return Fail(core::NotFound("cannot read --params " + f.params));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto j = core::ParseJson(text, {.max_depth = 64, .max_bytes = 64 << 20});
  if (!j.ok()) return Fail(core::ParseError(f.params + ": " + j.status().message()));
  auto spec = model::SpecFromJson(*j);
  if (!spec.ok()) return Fail(core::InvalidArgument(f.params + ": " + spec.status().message()));
  auto from = ParseDateFlag(f.from, "--from");
  if (!from.ok()) return Fail(from.status());
  auto to = ParseDateFlag(f.to, "--to");
  if (!to.ok()) return Fail(to.status());
  if (!(*from < *to)) return Fail(core::InvalidArgument("--from must be before --to"));
  auto sim = model::Simulate(*spec, static_cast<double>(*to - *from), f.seed);
  if (!sim.ok()) return Fail(sim.status());
  std::FILE* out = stdout;
  if (!f.output.empty()) {
    out = std::fopen(f.output.c_str(), "wb");
    if (!out) return Fail(core::IoError("cannot write " + f.output));
  }
  auto writer = MakeEventWriter(Format::kJsonl, out);
  for (auto& e : model::ToEvents(*sim, *from, f.seed)) writer->Write(e);
  writer->End();
  if (out != stdout) std::fclose(out);
  std::fprintf(stderr, "simulated %zu events\n", sim->size());
  return 0;
}

}  // namespace

void AddModel(CLI::App& app, Globals& g, int& rc) {
  {
    auto f = std::make_shared<ModelFlags>();
    auto* cmd = app.add_subcommand("fit", "fit the space-time Hawkes model; store and print the snapshot");
    AddModelFlags(cmd, f.get(), true);
    cmd->add_option("--format", f->format, "table or json");
    cmd->callback([&g, &rc, f] { rc = RunFit(g, *f); });
  }
  {
    auto f = std::make_shared<ForecastFlags>();
    auto* cmd = app.add_subcommand("forecast", "expected events and P(at least one) by unit over a horizon");
    AddModelFlags(cmd, &f->m, true);
    cmd->add_option("--horizon", f->horizon, "days after --as-of (default 30)");
    cmd->add_option("--level", f->level, "cell (PRIO-GRID 0.5°), cell01 (0.1°), admin1, admin2, point");
    cmd->add_option("--lat", f->lat, "centre for --level point")->default_str("");
    cmd->add_option("--lon", f->lon, "centre for --level point")->default_str("");
    cmd->add_option("--radius-km", f->radius_km, "radius for --level point (default 25)");
    cmd->add_option("--model", f->model, "hawkes (default), ratemix, historical, persistence, xgb, ensemble");
    cmd->add_flag("--quantiles", f->quantiles, "add p10/p50/p90 of the count from Monte Carlo simulation");
    cmd->add_option("--reps", f->reps, "simulations for --quantiles (default 500)");
    cmd->add_option("--seed", f->seed, "random seed for --quantiles (default 1)");
    cmd->add_option("--format", f->m.format, "table, csv, geojson or json");
    cmd->add_option("--lang", f->lang, "the table's language: en (default) or fr");
    cmd->callback([&g, &rc, f] { rc = RunForecast(g, *f); });
  }
  {
    auto f = std::make_shared<BacktestFlags>();
    auto* cmd = app.add_subcommand("backtest", "rolling-origin evaluation against baselines");
    AddModelFlags(cmd, &f->m, false);
    cmd->add_option("--from", f->from, "first origin, YYYY-MM-DD")->required();
    cmd->add_option("--to", f->to, "origins stop before this date")->required();
    cmd->add_option("--step", f->step, "days between origins (default 30)");
    cmd->add_option("--horizon", f->horizon, "forecast horizon in days (default 30)");
    cmd->add_option("--level", f->level, "cell (default), cell01, admin1, admin2");
    cmd->add_option("--models", f->models, "hawkes,ratemix,historical,persistence (default), xgb, ensemble")
        ->delimiter(',');
    cmd->add_option("--report", f->report, "also write the report as Markdown to this file");
    cmd->add_option("--format", f->m.format, "table (Markdown) or json");
    cmd->callback([&g, &rc, f] { rc = RunBacktest(g, *f); });
  }
  {
    auto f = std::make_shared<SimulateFlags>();
    auto* cmd = app.add_subcommand("simulate", "write a synthetic catalogue (JSON Lines) from model parameters");
    cmd->add_option("--params", f->params, "parameters JSON (docs/models.md)")->required();
    cmd->add_option("--from", f->from, "first day")->required();
    cmd->add_option("--to", f->to, "day after the last")->required();
    cmd->add_option("--seed", f->seed, "random seed (default 1)");
    cmd->add_option("--output", f->output, "file to write (default standard output)");
    cmd->callback([&rc, f] { rc = RunSimulate(*f); });
  }
}

}  // namespace vigil::cli

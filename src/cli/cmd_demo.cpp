#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "alert/alert_store.h"
#include "alert/config.h"
#include "alert/keys.h"
#include "alert/service.h"
#include "auth/accounts.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "core/clock.h"
#include "core/json.h"
#include "ingest/importer.h"
#include "ingest/setup.h"
#include "model/road_service.h"
#include "model/service.h"
#include "model/simulate.h"
#include "model/site_exposure.h"
#include "model/site_store.h"
#include "report/sitrep.h"
#include "server/server.h"

namespace vigil::cli {

namespace fs = std::filesystem;

namespace {

struct DemoFlags {
  std::string dir = "demo";
  bool no_serve = false;
  int port = 8080;
  // How long the dashboard stays up: -1 = until Ctrl-C on a terminal, 120 s
  // when run by a script (so `make demo` in automation ends by itself).
  int serve_seconds = -1;
};

// Adds the demo user (analyst) to `db` with `password`.
core::Status AddDemoUser(const std::string& db, const std::string& password) {
  VIGIL_ASSIGN_OR_RETURN(auto acc, auth::Accounts::Open(db));
  return acc->AddUser("demo", auth::Role::kAnalyst, password).status();
}

// The early-warning loop on the bundled example configuration: three
// villagers' reports from three phones about armed men near one town make
// a corroborated cluster, which raises an alert to the area's first tier.
// Returns the configuration's path for the server.
core::Result<std::string> DemoEarlyWarning(const std::string& dir, const std::string& data, const std::string& db,
                                           std::shared_ptr<const geo::Reference> ref) {
  std::error_code ec;
  const std::string config = dir + "/alerts.toml";
  fs::remove_all(dir + "/keys", ec);
  fs::copy_file(data + "/alerts/kayes.example.toml", config, fs::copy_options::overwrite_existing, ec);
  if (ec) return core::IoError("cannot copy the example alert configuration to " + config + ": " + ec.message());
  VIGIL_RETURN_IF_ERROR(alert::InitKeys(dir + "/keys"));
  VIGIL_ASSIGN_OR_RETURN(alert::AlertConfig cfg, alert::LoadAlertConfig(config));
  alert::ServiceOptions so;
  so.db_url = db;
  so.ref = std::move(ref);
  so.data_dir = data;
  VIGIL_ASSIGN_OR_RETURN(so.keys, alert::LoadServerKeys(dir + "/keys"));
  so.config = std::make_shared<const alert::AlertConfig>(std::move(cfg));
  VIGIL_ASSIGN_OR_RETURN(auto svc, alert::AlertService::Create(std::move(so)));
  const char* texts[] = {"Des hommes armés à moto ont été vus près de Diboli ce matin",
                         "beaucoup d'hommes armés autour de Diboli, les gens ont peur",
                         "Armed men on motorbikes near Diboli, villagers are leaving"};
  std::printf("\nEarly warning (%s, keys in %s/keys):\n", config.c_str(), dir.c_str());
  for (int i = 0; i < 3; ++i) {
    alert::ReportInput in;
    in.text = texts[i];
    in.contact = "+2237600000" + std::to_string(i + 1);
    in.channel = alert::Channel::kCli;
    VIGIL_ASSIGN_OR_RETURN(auto sub, svc->SubmitReport(in, "demo", "", {"demo", "analyst", "demo"}));
    auto answer = core::ParseJson(sub.body);
    std::printf("  report %s, phone %d of 3: %s\n",
                answer.ok() && answer->contains("reference") ? (*answer)["reference"].get<std::string>().c_str() : "?",
                i + 1, texts[i]);
  }
  alert::AlertFilter f;
  VIGIL_ASSIGN_OR_RETURN(auto alerts, svc->reads().ListAlerts(f));
  for (const auto& a : alerts)
    std::printf("  alert %s (%s): %s\n  -> tier 1 of area '%s', escalates if nobody acknowledges it in time\n",
                a.Reference().c_str(), alert::Name(a.severity), a.headline_en.c_str(), a.area_id.c_str());
  if (alerts.empty()) std::printf("  (no alert raised)\n");
  return config;
}

// Roads and sites on the bundled events: the corridors cut as of the day
// after the newest event, and two watched sites with their exposure.
core::Status DemoRoads(const std::string& data, const std::string& db, store::EventStore* st) {
  VIGIL_ASSIGN_OR_RETURN(auto roads, model::LoadRoadsFor(data, db));
  VIGIL_ASSIGN_OR_RETURN(auto sites, model::SiteStore::Open(db));
  std::vector<geo::Site> demo(2);
  demo[0].name = "Diamou cement plant (demo)", demo[0].type = "plant", demo[0].lat = 14.09, demo[0].lon = -11.27;
  demo[0].radius_km = 25;
  demo[1].name = "Kayes warehouse (demo)", demo[1].type = "warehouse", demo[1].lat = 14.45, demo[1].lon = -11.44;
  for (auto& x : demo) VIGIL_RETURN_IF_ERROR(geo::ValidateSite(&x));
  VIGIL_ASSIGN_OR_RETURN(auto ids, sites->Add(demo, true));
  for (size_t i = 0; i < demo.size(); ++i) demo[i].id = ids[i];
  VIGIL_ASSIGN_OR_RETURN(auto rep, model::AssessSites(st, roads, demo, std::nullopt));
  std::printf("\nCorridors as of %s (docs/corridors.md); routes that are open left out\n", rep.as_of.ToIso().c_str());
  for (const auto& c : rep.corridors.statuses)
    if (!c.corridor->is_route || c.state != geo::CorridorState::kOpen)
      std::printf("  %s %s %s\n", Cell(c.corridor->id, 10).c_str(), Cell(geo::CorridorStateName(c.state), 10).c_str(),
                  c.reason_en.c_str());
  std::printf("\nWatched sites (docs/sites.md; no forecast here: the bundled events are too few to fit)\n");
  for (const auto& x : rep.sites) {
    std::string cut;
    for (const auto& c : x.corridors) {
      const auto& cs = rep.corridors.statuses[c.status];
      if (cs.state != geo::CorridorState::kOpen)
        cut += (cut.empty() ? "" : ", ") + cs.corridor->id + " " + geo::CorridorStateName(cs.state);
    }
    std::printf("  %s %d events in 90 days, trend %s; corridors cut: %s\n", Cell(x.site.name, 28).c_str(),
                x.events_long, model::TrendName(x.trend), cut.empty() ? "none" : cut.c_str());
  }
  return core::Status::Ok();
}

// Briefs on Kayes region, July-September 2025, from the bundled events, in
// English and French (docs/sitrep.md).
core::Status DemoBriefs(const std::string& dir, const std::string& data, const std::string& db, store::EventStore* st,
                        const geo::Reference& ref) {
  VIGIL_ASSIGN_OR_RETURN(auto phrases, report::LoadPhrases(data + "/report/sitrep.tsv"));
  report::SignalRequest req;
  req.area = "Kayes";
  req.from = *core::Date::Parse("2025-07-01");
  req.to = *core::Date::Parse("2025-09-30");
  auto alerts = alert::AlertStore::Open(db);
  auto sites = model::SiteStore::Open(db);
  const report::BriefSources more{alerts.ok() ? alerts->get() : nullptr, sites.ok() ? sites->get() : nullptr};
  VIGIL_ASSIGN_OR_RETURN(auto brief, report::BuildSitrep(st, ref, req, more));
  const core::Date today = core::Date::FromDays(static_cast<int32_t>(core::SystemClock::Get().Now() / 86400));
  std::printf("\nSituation reports (vigil sitrep)\n");
  for (const char* lang : {"en", "fr"}) {
    const report::Doc doc = report::ComposeSitrep(brief, phrases, lang, today);
    const report::Figures figures = report::SitrepFigures(brief, ref, phrases, lang);
    const report::PageSetup page = report::SitrepPage(brief, phrases, lang, today);
    VIGIL_ASSIGN_OR_RETURN(std::string pdf, report::RenderPdf(doc, figures, page));
    const std::pair<const char*, std::string> files[] = {
        {"md", report::RenderMarkdown(doc)}, {"html", report::RenderHtml(doc, figures, page)}, {"pdf", pdf}};
    for (const auto& [ext, body] : files) {
      const std::string path = dir + "/sitrep-kayes-2025-q3." + lang + "." + ext;
      std::ofstream out(path, std::ios::binary);
      out << body;
      if (!out.flush()) return core::IoError("cannot write " + path);
      std::printf("  %s\n", path.c_str());
    }
  }
  std::printf("  Kayes, July-September 2025: %lld events, %zu coordinated wave(s)\n",
              static_cast<long long>(brief.now.events), brief.signals.waves.size());
  return core::Status::Ok();
}

int Run(Globals g, const DemoFlags& flags) {
  const std::string& dir = flags.dir;
  auto data = ResolveDataDir(g);
  if (!data.ok()) return Fail(data.status());
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Fail(core::IoError("cannot create " + dir + ": " + ec.message()));
  const std::string db = dir + "/vigil.db";
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix, ec);
  g.db = db;
  std::printf("vigil demo: a fresh database at %s\n", db.c_str());
  auto ref = geo::Reference::Load(*data);
  if (!ref.ok()) return Fail(ref.status());
  auto st = store::EventStore::Open(db, true);
  if (!st.ok()) return Fail(st.status());
  auto init = ingest::InitDatabase(st->get(), **ref);
  if (!init.ok()) return Fail(init.status());
  std::printf("reference data: %lld places, %lld admin units, %lld PRIO-GRID cells\n",
              static_cast<long long>(init->places), static_cast<long long>(init->admin_units),
              static_cast<long long>(init->grid_cells));
  ingest::Importer importer(st->get(), *ref);
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(*data + "/events"))
    if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto r = importer.ImportFile(ingest::SourceKind::kJsonl, f.string(), {});
    if (!r.ok()) return Fail(r.status());
    std::printf("imported %s: %lld events (%lld rejected)\n", f.filename().c_str(),
                static_cast<long long>(r->summary.rows_new + r->summary.rows_linked),
                static_cast<long long>(r->summary.rows_rejected));
  }
  auto rows = (*st)->Stats({});
  if (!rows.ok()) return Fail(rows.status());
  struct Agg {
    int64_t events = 0, fatalities = 0, known = 0;
    std::string first, last;
  };
  std::map<std::string, Agg> by_region;
  for (const auto& r : *rows) {
    auto& a = by_region[r.admin1.empty() ? "(no region)" : r.admin1];
    a.events += r.events;
    a.fatalities += r.fatalities;
    a.known += r.fatalities_known;
    if (a.first.empty() || r.period < a.first) a.first = r.period;
    if (r.period > a.last) a.last = r.period;
  }
  std::printf("\nEvents by region (bundled events from the seed reports, 2024-2025)\n");
  std::printf("%s %7s %11s %6s  %s\n", Cell("region", 16).c_str(), "events", "fatalities", "known", "months");
  for (const auto& [region, a] : by_region)
    std::printf("%s %7lld %11s %6lld  %s .. %s\n", Cell(region, 16).c_str(), static_cast<long long>(a.events),
                a.known ? std::to_string(a.fatalities).c_str() : "?", static_cast<long long>(a.known), a.first.c_str(),
                a.last.c_str());
  std::printf("(fatalities summed over the events whose count is known; \"?\": none known, not zero)\n");
  std::printf("\nLatest events\n");
  store::EventFilter latest;
  latest.limit = 12;
  auto writer = MakeEventWriter(Format::kTable, stdout);
  auto s = (*st)->ForEachEvent(latest, [&](const core::Event& e) {
    writer->Write(e);
    return true;
  });
  writer->End();
  if (!s.ok()) return Fail(s);
  if (auto r = DemoRoads(*data, db, st->get()); !r.ok()) return Fail(r);
  if (auto r = DemoBriefs(dir, *data, db, st->get(), **ref); !r.ok()) return Fail(r);

  // The forecasting engine needs a longer history than the seed articles
  // give: show it on a simulated Sahel catalogue, in a database of its own.
  const std::string sim_db = dir + "/simulated.db";
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(sim_db + suffix, ec);
  std::ifstream params(*data + "/models/sahel_simulation.json");
  auto spec = model::SpecFromJson(core::Json::parse(params, nullptr, false));
  if (!spec.ok()) return Fail(spec.status());
  const auto start = *core::Date::Parse("2016-01-01");
  auto sim = model::Simulate(*spec, 8 * 365, 7);
  if (!sim.ok()) return Fail(sim.status());
  const std::string sim_file = dir + "/simulated.jsonl";
  size_t dropped = 0;
  {
    std::FILE* out = std::fopen(sim_file.c_str(), "wb");
    if (!out) return Fail(core::IoError("cannot write " + sim_file));
    auto w = MakeEventWriter(Format::kJsonl, out);
    // The simulator's kernels know no borders: events it places in the
    // Sahara or the Atlantic side of Mauritania would look like real places
    // hit. The demo keeps those in Mali and its two central-Sahel neighbours.
    for (const auto& e : model::ToEvents(*sim, start, 7)) {
      const std::string country = (*ref)->Reverse(e.latitude, e.longitude).country;
      if (country == "Mali" || country == "Burkina Faso" || country == "Niger")
        w->Write(e);
      else
        ++dropped;
    }
    std::fclose(out);
  }
  auto sst = store::EventStore::Open(sim_db, true);
  if (!sst.ok()) return Fail(sst.status());
  if (auto i = ingest::InitDatabase(sst->get(), **ref); !i.ok()) return Fail(i.status());
  ingest::Importer sim_importer(sst->get(), *ref);
  if (auto r = sim_importer.ImportFile(ingest::SourceKind::kJsonl, sim_file, {}); !r.ok()) return Fail(r.status());
  model::ForecastRequest fr;
  fr.as_of = *core::Date::Parse("2023-12-01");
  fr.horizon_days = 30;
  auto fc = model::Forecast(sst->get(), **ref, fr);
  if (!fc.ok()) return Fail(fc.status());
  const auto& m = fc->model_summary;
  std::printf(
      "\nForecasting engine on a SIMULATED Sahel catalogue (%zu events, 2016-2023, %zu outside Mali, Burkina Faso "
      "and Niger left out; %s)\n",
      sim->size() - dropped, dropped, sim_db.c_str());
  std::printf(
      "Hawkes fit at 2023-12-01 on 5 years: branching ratio %.2f (true 0.50), half-life %.1f days (7), "
      "spatial scale %.1f km (15)\n",
      m["branching_ratio"].get<double>(), m["half_life_days"].get<double>(), m["spatial_scale_km"].get<double>());
  std::vector<size_t> order(fc->units.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return fc->rows[a].expected > fc->rows[b].expected; });
  std::printf("Highest-risk PRIO-GRID cells, 2023-12-01 + 30 days:\n  %-8s %-22s %9s %7s\n", "gid", "region / cercle",
              "expected", "P(>=1)");
  for (size_t k = 0; k < order.size() && k < 8; ++k) {
    const auto& u = fc->units[order[k]];
    const geo::AdminInfo a = (*ref)->Reverse(u.lat, u.lon);
    std::printf("  %-8s %s %9.2f %7.2f\n", u.id.c_str(), Cell(a.admin1 + " / " + a.admin2, 22).c_str(),
                fc->rows[order[k]].expected, fc->rows[order[k]].p_any);
  }
  auto alerts_config = DemoEarlyWarning(dir, *data, db, *ref);
  if (!alerts_config.ok()) return Fail(alerts_config.status());
  std::printf(
      "\nTry: vigil --db %s events --admin1 Kayes\n     vigil --db %s stats\n     vigil geocode Farabougou "
      "--admin1 Ségou\n     vigil --db %s forecast --as-of 2023-12-01 --horizon 30 --level admin2\n     "
      "vigil --db %s backtest --from 2022-01-01 --to 2023-01-01 --step 30 --horizon 30 --level cell\n"
      "     vigil --db %s alert list --alerts %s\n     vigil --db %s corridors --lang fr\n"
      "     vigil --db %s site show 1\n     vigil --db %s route Bamako Kayes --alternatives 2\n",
      db.c_str(), db.c_str(), sim_db.c_str(), sim_db.c_str(), db.c_str(), alerts_config->c_str(), db.c_str(),
      db.c_str(), sim_db.c_str());
  if (flags.no_serve) return 0;

  // The dashboard on the bundled events, with a demo login.
  if (auto c = auth::InitCrypto(); !c.ok()) return Fail(c);
  const std::string password = auth::RandomToken().substr(0, 16);
  for (const auto& d : {db, sim_db})
    if (auto s2 = AddDemoUser(d, password); !s2.ok()) return Fail(s2);
  server::ServerOptions so;
  so.db = db;
  so.port = flags.port;
  so.alerts_config = *alerts_config;
  auto web = ResolveWebDir("");
  if (web.ok())
    so.web_dir = *web;
  else
    std::printf("\n(dashboard unavailable: %s)\n", web.status().message().c_str());
  auto server = server::Server::Create(so, *ref);
  if (!server.ok()) return Fail(server.status());
  if (!(*server)->Bind().ok()) {
    so.port = 0;  // 8080 is taken: any free port
    server = server::Server::Create(so, *ref);
    if (!server.ok()) return Fail(server.status());
    if (auto b = (*server)->Bind(); !b.ok()) return Fail(b);
  }
  int seconds = flags.serve_seconds;
  if (seconds < 0) seconds = isatty(STDIN_FILENO) ? 0 : 120;
  std::printf(
      "\nDashboard: http://127.0.0.1:%d/  (sign in as demo / %s)\n"
      "The simulated catalogue with its forecast layer: vigil --db %s serve --port %d (same login)\n",
      (*server)->port(), password.c_str(), sim_db.c_str(), (*server)->port() + 1);
  if (seconds > 0)
    std::printf("Serving for %d s (--serve-seconds 0 keeps it up until Ctrl-C).\n", seconds);
  else
    std::printf("Ctrl-C stops the server.\n");
  std::fflush(stdout);
  std::atomic<bool> done{false};
  std::thread timer;
  if (seconds > 0)
    timer = std::thread([&] {
      for (int i = 0; i < seconds * 10 && !done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (!done) (*server)->Stop();
    });
  auto st2 = server::ServeUntilSignal(**server);
  done = true;
  if (timer.joinable()) timer.join();
  if (seconds > 0) std::printf("Demo server stopped; run `vigil --db %s serve` to start it again.\n", db.c_str());
  return st2.ok() ? 0 : Fail(st2);
}

}  // namespace

void AddDemo(CLI::App& app, Globals& g, int& rc) {
  auto f = std::make_shared<DemoFlags>();
  auto* cmd = app.add_subcommand(
      "demo", "the main job on bundled data: fresh database, events, summary, forecast, then the dashboard");
  cmd->add_option("--dir", f->dir, "folder for the demo database (default ./demo)");
  cmd->add_flag("--no-serve", f->no_serve, "stop after the summary (do not start the dashboard)");
  cmd->add_option("--port", f->port, "dashboard port (default 8080, else any free one)");
  cmd->add_option("--serve-seconds", f->serve_seconds,
                  "how long the dashboard stays up (default: until Ctrl-C on a terminal, 120 s otherwise; 0: until "
                  "Ctrl-C)")
      ->default_str("");
  cmd->callback([&g, &rc, f] { rc = Run(g, *f); });
}

}  // namespace vigil::cli

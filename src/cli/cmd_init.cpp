#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/event_json.h"
#include "ingest/setup.h"
#include "store/postgres/pg.h"

namespace vigil::cli {

namespace {

// Creates or upgrades a state database kept apart from the events one
// (--state-db); returns its schema version.
core::Result<int> InitStateDb(const std::string& url) {
  VIGIL_ASSIGN_OR_RETURN(auto st, store::EventStore::Open(url, /*create=*/true));
  VIGIL_RETURN_IF_ERROR(st->Migrate().status());
  return st->Version();
}

}  // namespace

void AddInit(CLI::App& app, Globals& g, int& rc) {
  auto* cmd = app.add_subcommand("init", "create or upgrade the database and load the bundled reference data");
  auto format = std::make_shared<std::string>("table");
  cmd->add_option("--format", *format, "table or json");
  cmd->callback([&g, &rc, format] {
    auto fmt = ParseFormat(*format, {Format::kTable, Format::kJson});
    if (!fmt.ok()) {
      rc = Fail(fmt.status());
      return;
    }
    auto ref = LoadReference(g);
    if (!ref.ok()) {
      rc = Fail(ref.status());
      return;
    }
    const std::string url = ResolveDb(g);
    const std::string db = store::pg::RedactUrl(url);  // as printed
    // The state database is SQLite: refuse another kind before creating
    // anything, so a wrong option leaves no half-made setup behind.
    const std::string state_url = ResolveStateDb(g);
    if (state_url != url)
      if (auto path = store::SqlitePathFromUrl(state_url); !path.ok()) {
        rc = Fail(path.status());
        return;
      }
    auto st = store::EventStore::Open(url, /*create=*/true);
    if (!st.ok()) {
      rc = Fail(st.status());
      return;
    }
    auto r = ingest::InitDatabase(st->get(), **ref);
    if (!r.ok()) {
      rc = Fail(r.status());
      return;
    }
    // A separate state database (alerts, sites, briefs...) is created or
    // upgraded with the events database.
    int state_version = 0;
    if (state_url != url) {
      auto v = InitStateDb(state_url);
      if (!v.ok()) {
        rc = Fail(v.status());
        return;
      }
      state_version = *v;
    }
    if (*fmt == Format::kJson) {
      core::Json j{{"database", db},
                   {"schema_version_before", r->version_before},
                   {"schema_version", r->version_after},
                   {"reference_loaded", r->reference_loaded},
                   {"places", r->places},
                   {"admin_units", r->admin_units},
                   {"grid_cells", r->grid_cells}};
      if (state_version > 0) j["state_database"] = {{"database", state_url}, {"schema_version", state_version}};
      std::printf("%s\n", j.dump().c_str());
      return;
    }
    if (r->version_before == 0)
      std::printf("created %s (schema version %d)\n", db.c_str(), r->version_after);
    else if (r->version_before < r->version_after)
      std::printf("upgraded %s from schema %d to %d\n", db.c_str(), r->version_before, r->version_after);
    else
      std::printf("%s is at schema version %d\n", db.c_str(), r->version_after);
    std::printf("reference data %s: %lld places, %lld admin units, %lld grid cells\n",
                r->reference_loaded ? "loaded" : "already current", static_cast<long long>(r->places),
                static_cast<long long>(r->admin_units), static_cast<long long>(r->grid_cells));
    if (state_version > 0)
      std::printf("state database %s (alerts, sites, roads, briefs, scenarios) at schema version %d\n",
                  state_url.c_str(), state_version);
  });
}

// `vigil info`: the version and where the reference data, the dashboard and
// the database are found (an installed copy reads its own share/vigil/).
void AddInfo(CLI::App& app, Globals& g, int& rc) {
  auto* cmd = app.add_subcommand("info", "the version and the folders vigil reads (data, dashboard, database)");
  cmd->callback([&g, &rc] {
    auto data = ResolveDataDir(g);
    auto web = ResolveWebDir("");
    const std::string db = ResolveDb(g);
    std::printf("vigil %s\n", kVersion);
    std::printf("reference data  %s\n", data.ok() ? data->c_str() : data.status().message().c_str());
    std::printf("dashboard       %s\n", web.ok() ? web->c_str() : web.status().message().c_str());
    if (store::pg::IsPostgresUrl(db))
      std::printf("database        %s (PostgreSQL)\n", store::pg::RedactUrl(db).c_str());
    else
      std::printf("database        %s%s\n", db.c_str(),
                  std::filesystem::exists(db) ? "" : " (not created yet: vigil init)");
    if (const std::string state = ResolveStateDb(g); state != db) std::printf("state database  %s\n", state.c_str());
    rc = data.ok() ? 0 : Fail(data.status());
  });
}

}  // namespace vigil::cli

// The `vigil` command line. See docs/cli.md.
#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "cli/suggest.h"
#include "core/status.h"
#include "dist/world.h"
#include "store/sqlite.h"

int main(int argc, char** argv) {
  using namespace vigil::cli;
  // Under mpirun, one rank of a world (docs/deployment.md); else a world of one.
  vigil::dist::World::Init(&argc, &argv);
  vigil::store::ConfigureSqliteOnce();
  Globals g;
  int rc = 0;
  CLI::App app{"vigil — conflict early warning and risk monitoring for the Sahel", "vigil"};
  app.set_version_flag("--version", std::string("vigil ") + kVersion);
  app.require_subcommand(1);
  app.fallthrough();
  app.option_defaults()->always_capture_default();
  app.add_option("--db", g.db, "database: a path, sqlite:///path or postgresql://user@host/db (default $VIGIL_DB or ./vigil.db)");
  app.add_option("--state-db", g.state_db,
                 "SQLite database for alerts, sites, road closures, briefs and scenario results when --db is "
                 "PostgreSQL (default $VIGIL_STATE_DB or the --db)");
  app.add_option("--data-dir", g.data_dir, "reference data folder (default $VIGIL_DATA or the bundled data)");
  app.add_flag("-q,--quiet", g.quiet, "no progress bars or chatter");
  AddInit(app, g, rc);
  AddIngest(app, g, rc);
  AddEvents(app, g, rc);
  AddStats(app, g, rc);
  AddGeocode(app, g, rc);
  AddDemo(app, g, rc);
  AddModel(app, g, rc);
  AddExtract(app, g, rc);
  AddServe(app, g, rc);
  AddAudit(app, g, rc);
  AddAlert(app, g, rc);
  AddRoads(app, g, rc);
  AddSite(app, g, rc);
  AddSignals(app, g, rc);
  AddSitrep(app, g, rc);
  AddScenario(app, g, rc);
  AddMigrate(app, g, rc);
  AddInfo(app, g, rc);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const std::string hint = Suggestion(app, argc, argv);
    if (!hint.empty()) {
      std::fprintf(stderr, "vigil: %s\nRun with --help for more information.\n", hint.c_str());
      return vigil::core::ExitCode(vigil::core::Code::kInvalidArgument);
    }
    const int code = app.exit(e);
    return code == 0 ? 0 : vigil::core::ExitCode(vigil::core::Code::kInvalidArgument);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil: internal error: %s (please report it)\n", e.what());
    return vigil::core::ExitCode(vigil::core::Code::kInternal);
  }
  return rc;
}

// vigil::cli — one function per subcommand, each in its own file. A
// subcommand parses its flags into an options struct, validates, makes one
// library call and maps the Status to an exit code (docs/cli.md).
#pragma once

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace vigil::cli {

// The version (CMake's project version), for --version and `vigil info`.
inline constexpr const char* kVersion = VIGIL_VERSION;

void AddInit(CLI::App& app, Globals& g, int& rc);
void AddInfo(CLI::App& app, Globals& g, int& rc);  // version and folders
void AddIngest(CLI::App& app, Globals& g, int& rc);
void AddEvents(CLI::App& app, Globals& g, int& rc);
void AddStats(CLI::App& app, Globals& g, int& rc);
void AddGeocode(CLI::App& app, Globals& g, int& rc);
void AddDemo(CLI::App& app, Globals& g, int& rc);
void AddModel(CLI::App& app, Globals& g, int& rc);    // fit, forecast, backtest, simulate
void AddExtract(CLI::App& app, Globals& g, int& rc);  // extract, eval extract
void AddServe(CLI::App& app, Globals& g, int& rc);    // serve, user, token
void AddAudit(CLI::App& app, Globals& g, int& rc);    // audit verify, audit list
void AddAlert(CLI::App& app, Globals& g, int& rc);    // keys, report, alert, rules
void AddRoads(CLI::App& app, Globals& g, int& rc);    // roads, corridors, route
void AddSite(CLI::App& app, Globals& g, int& rc);     // site add, import, list, show, remove
void AddSignals(CLI::App& app, Globals& g, int& rc);  // waves, repeat, onsets, drift, control
void AddSitrep(CLI::App& app, Globals& g, int& rc);   // situation reports
void AddScenario(CLI::App& app, Globals& g, int& rc);  // scenario run, list, show
void AddMigrate(CLI::App& app, Globals& g, int& rc);   // move a database between backends

}  // namespace vigil::cli

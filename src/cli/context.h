// vigil::cli — what every subcommand shares: global options, the database,
// the reference data, progress bars and error reporting.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/status.h"
#include "geo/reference.h"
#include "report/writer.h"
#include "store/store.h"

namespace vigil::cli {

struct Globals {
  std::string db;        // --db, else $VIGIL_DB, else ./vigil.db
  std::string state_db;  // --state-db, else $VIGIL_STATE_DB, else the --db
  std::string data_dir;  // --data-dir, else $VIGIL_DATA, else found next to the binary
  bool quiet = false;
};

// The database URL to use (flag, environment, default).
std::string ResolveDb(const Globals& g);
// Where alerts, sites, road closures, situation reports and scenario
// results live: --state-db, $VIGIL_STATE_DB, else the events database. They
// are SQLite tables; with a PostgreSQL --db they need a SQLite --state-db.
std::string ResolveStateDb(const Globals& g);
// The reference data folder; fails with kNotFound listing where it looked.
core::Result<std::string> ResolveDataDir(const Globals& g);
// Opens the store and checks its schema is current (else: "run vigil init").
core::Result<std::unique_ptr<store::EventStore>> OpenStore(const Globals& g);
core::Result<std::shared_ptr<const geo::Reference>> LoadReference(const Globals& g);
// The dashboard folder (web/ with its node_modules): `flag`, else $VIGIL_WEB,
// else found next to the binary or in the source tree. Fails with kNotFound.
core::Result<std::string> ResolveWebDir(const std::string& flag);

// The words of a table in `lang` (--lang: en or fr). English is built in,
// so an English table needs no data; French reads data/report/cli.tsv.
struct TableWords {
  report::Phrases phrases;
  std::unique_ptr<report::Writer> writer;  // null: English
  const report::Writer* get() const { return writer.get(); }
};
core::Result<std::unique_ptr<TableWords>> OpenTableWords(const Globals& g, const std::string& lang);

// Prints "vigil: <message>" to stderr and returns the exit code for it.
int Fail(const core::Status& s);

// A progress bar on stderr when it is a terminal (and not --quiet).
class Progress {
 public:
  Progress(const Globals& g, std::string label);
  ~Progress();
  void Update(int64_t done, int64_t total, int64_t rows);
  // A line of its own in place of the bar ("fit: EM iteration 12, ...").
  void Status(const std::string& text);
  void Finish();

 private:
  bool enabled_;
  std::string label_;
  bool drawn_ = false;
};

// Parses "LAT,LON" with range checks.
core::Result<std::pair<double, double>> ParseLatLon(const std::string& s);

}  // namespace vigil::cli

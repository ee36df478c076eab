// `vigil migrate --from URL --to URL`: moves a database to another backend
// (SQLite to PostgreSQL for an office server, or back for a laptop copy),
// provenance and snapshots included, and checks counts and digests at the
// end (store/move.h).
#include <cstdio>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/event_json.h"
#include "store/move.h"
#include "store/postgres/pg.h"

namespace vigil::cli {

void AddMigrate(CLI::App& app, Globals& g, int& rc) {
  auto* cmd = app.add_subcommand(
      "migrate", "move a database to another backend (e.g. SQLite to PostgreSQL), provenance and snapshots included");
  auto from = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("table");
  cmd->add_option("--from", *from, "source database: a path, sqlite:///path or postgresql://...")->required();
  cmd->add_option("--to", *to, "target database, migrated and empty (postgresql://... or a SQLite path)")->required();
  cmd->add_option("--format", *format, "table or json");
  cmd->callback([&g, &rc, from, to, format] {
    auto fmt = ParseFormat(*format, {Format::kTable, Format::kJson});
    if (!fmt.ok()) {
      rc = Fail(fmt.status());
      return;
    }
    if (*from == *to) {
      rc = Fail(core::InvalidArgument("--from and --to name the same database"));
      return;
    }
    auto src = store::EventStore::Open(*from, /*create=*/false);
    if (!src.ok()) {
      rc = Fail(src.status());
      return;
    }
    auto dst = store::EventStore::Open(*to, /*create=*/true);
    if (!dst.ok()) {
      rc = Fail(dst.status());
      return;
    }
    auto progress = [&g](int64_t done) {
      if (!g.quiet) std::fprintf(stderr, "\rmigrate: %lld events moved", static_cast<long long>(done));
    };
    auto r = store::MoveDatabase(src->get(), dst->get(), progress);
    if (!g.quiet) std::fprintf(stderr, "\r");
    if (!r.ok()) {
      rc = Fail(r.status());
      return;
    }
    if (*fmt == Format::kJson) {
      core::Json j{{"from", store::pg::RedactUrl(*from)}, {"to", store::pg::RedactUrl(*to)},
                   {"events", r->events}, {"links", r->links},
                   {"source_rows", r->source_rows}, {"source_files", r->source_files},
                   {"snapshots", r->snapshots},     {"places", r->places},
                   {"events_fingerprint", r->events_fingerprint}, {"digest", r->digest},
                   {"seconds", r->seconds}};
      std::printf("%s\n", j.dump().c_str());
      return;
    }
    std::printf("moved %lld events (%lld links to other sources), %lld source rows from %lld files, %lld model "
                "snapshots and %lld places in %.1f s\n",
                static_cast<long long>(r->events), static_cast<long long>(r->links),
                static_cast<long long>(r->source_rows), static_cast<long long>(r->source_files),
                static_cast<long long>(r->snapshots), static_cast<long long>(r->places), r->seconds);
    std::printf("checked: counts equal, events fingerprint %s, digest %s on both sides\n",
                r->events_fingerprint.c_str(), r->digest.c_str());
  });
  (void)g;
}

}  // namespace vigil::cli

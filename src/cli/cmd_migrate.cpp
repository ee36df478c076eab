// `vigil migrate --from URL --to URL`: moves a database to another backend
// (SQLite to PostgreSQL for an office server, or back for a laptop copy),
// provenance and snapshots included, and checks counts and digests at the
// end (store/move.h). Accounts and the audit log go first, in their own
// transaction: a run stopped between the two halves is finished by running
// it again (the target then holds the same accounts, which are kept).
#include <cstdio>

#include "auth/account_store.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "core/event_json.h"
#include "store/move.h"
#include "store/postgres/pg.h"

namespace vigil::cli {

namespace {

core::Result<auth::AccountsMove> MoveAccountsBetween(const std::string& from, const std::string& to) {
  VIGIL_ASSIGN_OR_RETURN(auto src, auth::AccountStore::Open(from));
  VIGIL_ASSIGN_OR_RETURN(auto dst, auth::AccountStore::Open(to));
  return auth::MoveAccounts(src.get(), dst.get());
}

}  // namespace

void AddMigrate(CLI::App& app, Globals& g, int& rc) {
  auto* cmd = app.add_subcommand(
      "migrate", "move a database to another backend (e.g. SQLite to PostgreSQL), provenance and snapshots included");
  auto from = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("table");
  cmd->add_option("--from", *from, "source database: a path, sqlite:///path or postgresql://...")->required();
  cmd->add_option("--to", *to, "target database holding no events (postgresql://... or a SQLite path; its schema is created)")->required();
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
    // The target's schema is created or brought up to date first (as
    // `vigil init` would; the reference data comes with the move).
    if (auto m = (*dst)->Migrate(); !m.ok()) {
      rc = Fail(m.status());
      return;
    }
    auto accounts = MoveAccountsBetween(*from, *to);
    if (!accounts.ok()) {
      rc = Fail(accounts.status());
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
                   {"users", accounts->users}, {"tokens", accounts->tokens},
                   {"audit_rows", accounts->audit_rows}, {"seconds", r->seconds}};
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
    std::printf("%s %lld users, %lld API tokens and %lld audit rows (chain verified on the target); users sign in "
                "again\n",
                accounts->already_there ? "already there:" : "moved", static_cast<long long>(accounts->users),
                static_cast<long long>(accounts->tokens), static_cast<long long>(accounts->audit_rows));
  });
  (void)g;
}

}  // namespace vigil::cli

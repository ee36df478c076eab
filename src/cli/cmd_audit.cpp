// vigil audit verify | list: the hash-chained audit log (store/audit.h).
#include <cstdio>

#include "auth/accounts.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "core/event_json.h"
#include "core/strings.h"

namespace vigil::cli {

namespace {

core::Result<std::unique_ptr<auth::Accounts>> OpenAuditLog(const Globals& g) {
  VIGIL_ASSIGN_OR_RETURN(auto st, OpenStore(g));  // checks the schema is current
  return auth::Accounts::Open(ResolveDb(g));
}

int RunVerify(const Globals& g, const std::string& format) {
  auto fmt = ParseFormat(format, {Format::kTable, Format::kJson});
  if (!fmt.ok()) return Fail(fmt.status());
  auto acc = OpenAuditLog(g);
  if (!acc.ok()) return Fail(acc.status());
  auto c = (*acc)->VerifyAudit();
  if (!c.ok()) return Fail(c.status());
  if (*fmt == Format::kJson) {
    std::printf("%s\n", core::Json{{"ok", c->ok},
                                   {"rows", c->rows},
                                   {"unchained", c->unchained},
                                   {"first_bad_id", c->first_bad_id},
                                   {"problem", c->problem},
                                   {"head_hash", c->head_hash}}
                            .dump()
                            .c_str());
  } else if (c->ok) {
    std::printf("audit log intact: %lld rows, head %s\n", static_cast<long long>(c->rows),
                c->head_hash.empty() ? "(empty)" : c->head_hash.c_str());
    if (c->unchained > 0)
      std::printf("(%lld rows written before the chain existed are not covered)\n",
                  static_cast<long long>(c->unchained));
  }
  if (!c->ok)
    return Fail(core::DatabaseError("the audit log was tampered with: " + c->problem +
                                    " (restore the database from a backup and compare)"));
  return 0;
}

int RunList(const Globals& g, int64_t limit) {
  auto acc = OpenAuditLog(g);
  if (!acc.ok()) return Fail(acc.status());
  auto rows = (*acc)->ListAudit(limit);
  if (!rows.ok()) return Fail(rows.status());
  std::printf("%s %s %s %s %s %s\n", Cell("id", 6).c_str(), Cell("at", 20).c_str(), Cell("user", 12).c_str(),
              Cell("action", 30).c_str(), Cell("target", 24).c_str(), "status");
  for (const auto& a : *rows)
    std::printf("%s %s %s %s %s %d\n", Cell(std::to_string(a.id), 6).c_str(), Cell(a.at, 20).c_str(),
                Cell(a.user.empty() ? "-" : a.user, 12).c_str(), Cell(a.action, 30).c_str(), Cell(a.target, 24).c_str(),
                a.status);
  return 0;
}

}  // namespace

void AddAudit(CLI::App& app, Globals& g, int& rc) {
  auto* audit = app.add_subcommand("audit", "the audit log of writes, alerts and acknowledgements");
  audit->require_subcommand(1);
  struct Flags {
    std::string format = "table";
    int64_t limit = 50;
  };
  auto f = std::make_shared<Flags>();
  auto* verify = audit->add_subcommand("verify", "check the hash chain: exit 0 if no row was edited or removed");
  verify->add_option("--format", f->format, "table or json");
  verify->callback([&g, &rc, f] { rc = RunVerify(g, f->format); });
  auto* list = audit->add_subcommand("list", "the newest audit rows");
  list->add_option("--limit", f->limit, "rows to show (default 50)");
  list->callback([&g, &rc, f] { rc = RunList(g, f->limit); });
}

}  // namespace vigil::cli

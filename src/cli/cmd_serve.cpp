// vigil serve; vigil user add|list|set-role|passwd; vigil token create|list|revoke.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "auth/accounts.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "server/server.h"

namespace vigil::cli {

namespace {

struct ServeFlags {
  server::ServerOptions opt;
  std::string web_dir;
  bool no_dashboard = false;
};

int RunServe(const Globals& g, ServeFlags f) {
  f.opt.db = ResolveDb(g);
  f.opt.state_db = ResolveStateDb(g);
  if (f.opt.alerts_config.empty())
    if (const char* env = std::getenv("VIGIL_ALERTS"); env && *env) f.opt.alerts_config = env;
  if (auto st = OpenStore(g); !st.ok()) return Fail(st.status());
  auto ref = LoadReference(g);
  if (!ref.ok()) return Fail(ref.status());
  if (!f.no_dashboard) {
    auto web = ResolveWebDir(f.web_dir);
    if (!web.ok()) return Fail(web.status());
    f.opt.web_dir = *web;
  }
  if (f.opt.bind != "127.0.0.1" && f.opt.bind != "localhost" && f.opt.bind != "::1")
    std::fprintf(stderr, "vigil serve: listening on %s: put a TLS proxy in front and pass --secure-cookies\n",
                 f.opt.bind.c_str());
  auto s = server::Serve(f.opt, *ref);
  return s.ok() ? 0 : Fail(s);
}

// Reads a password from stdin (one line), without echo on a terminal.
std::string ReadPassword() {
  if (isatty(STDIN_FILENO)) std::fprintf(stderr, "password: ");
  std::string pw;
  std::getline(std::cin, pw);
  if (!pw.empty() && pw.back() == '\r') pw.pop_back();
  return pw;
}

core::Result<std::unique_ptr<auth::Accounts>> OpenAccounts(const Globals& g) {
  VIGIL_ASSIGN_OR_RETURN(auto st, OpenStore(g));  // checks the schema is current
  return auth::Accounts::Open(ResolveDb(g));
}

}  // namespace

void AddServe(CLI::App& app, Globals& g, int& rc) {
  auto f = std::make_shared<ServeFlags>();
  f->opt.briefs_every_s = 3600;
  auto* serve = app.add_subcommand("serve", "HTTP API, OGC API - Features and the dashboard (docs/http.md)");
  serve->add_option("--bind", f->opt.bind, "address to listen on (default 127.0.0.1)");
  serve->add_option("--port", f->opt.port, "port (default 8080; 0 picks a free one)");
  serve->add_flag("--public-read", f->opt.public_read, "allow reads without signing in");
  serve->add_option("--threads", f->opt.threads, "handler threads (default 16; open connections hold none)");
  serve->add_option("--max-body", f->opt.max_body_bytes, "largest request body in bytes (default 2 MiB)");
  serve->add_option("--rate-limit", f->opt.rate_limit, "API requests per second per client, burst 2x (0: off)");
  serve->add_option("--timeout", f->opt.timeout_s,
                    "seconds a request body and a response may take, plus 1 s per 32 KiB (default 15; headers: 10)");
  serve->add_option("--busy-timeout-ms", f->opt.busy_timeout_ms,
                    "a write waits this long for an import to finish, then 503 (default 5000)");
  serve->add_option("--query-budget-ms", f->opt.query_budget_ms,
                    "a read request's queries stop after this many ms with 503 (default 10000)");
  serve->add_option("--max-conns-per-client", f->opt.max_connections_per_client,
                    "open connections per client address (default 64)");
  serve->add_option("--web-dir", f->web_dir, "dashboard folder (default: the bundled web/)");
  serve->add_flag("--no-dashboard", f->no_dashboard, "serve the API only");
  serve->add_flag("--secure-cookies", f->opt.secure_cookies, "mark the session cookie Secure (behind TLS)");
  serve->add_flag("--access-log", f->opt.access_log, "one line per request on stderr");
  serve->add_option("--alerts", f->opt.alerts_config,
                    "alert configuration (TOML): community reports, rules, escalation (docs/warnings.md)");
  serve->add_option("--briefs-every", f->opt.briefs_every_s,
                    "seconds between checks that last week's brief of every region is written (default 3600; 0: "
                    "none; docs/sitrep.md)");
  serve->add_option("--cache-mb", f->opt.cache_mb, "memory for serialised events, in MiB (default 256; 0: off)");
  serve->callback([&g, &rc, f] { rc = RunServe(g, *f); });

  // ---- users
  auto* user = app.add_subcommand("user", "dashboard and API users");
  user->require_subcommand(1);
  struct UserFlags {
    std::string name, role = "viewer";
    bool password_stdin = false;
  };
  auto uf = std::make_shared<UserFlags>();
  auto* add = user->add_subcommand("add", "add a user (prints a generated password unless --password-stdin)");
  add->add_option("name", uf->name, "user name")->required();
  add->add_option("--role", uf->role, "reporter, viewer, responder, analyst or admin (default viewer)");
  add->add_flag("--password-stdin", uf->password_stdin, "read the password from stdin");
  add->callback([&g, &rc, uf] {
    auto role = auth::ParseRole(uf->role);
    if (!role.ok()) {
      rc = Fail(role.status());
      return;
    }
    auto acc = OpenAccounts(g);
    if (!acc.ok()) {
      rc = Fail(acc.status());
      return;
    }
    const std::string pw = uf->password_stdin ? ReadPassword() : auth::RandomToken().substr(0, 20);
    auto id = (*acc)->AddUser(uf->name, *role, pw);
    if (!id.ok()) {
      rc = Fail(id.status());
      return;
    }
    std::printf("added user %s (%s)\n", uf->name.c_str(), auth::RoleName(*role));
    if (!uf->password_stdin)
      std::printf("password: %s\n(shown once; change it with 'vigil user passwd %s')\n", pw.c_str(), uf->name.c_str());
    rc = 0;
  });
  auto* list = user->add_subcommand("list", "list users");
  list->callback([&g, &rc] {
    auto acc = OpenAccounts(g);
    if (!acc.ok()) {
      rc = Fail(acc.status());
      return;
    }
    auto users = (*acc)->ListUsers();
    if (!users.ok()) {
      rc = Fail(users.status());
      return;
    }
    std::printf("%-5s %-20s %-10s %-21s %s\n", "id", "name", "role", "created", "password");
    for (const auto& u : *users)
      std::printf("%-5lld %-20s %-10s %-21s %s\n", static_cast<long long>(u.id), u.name.c_str(), auth::RoleName(u.role),
                  u.created_at.c_str(), u.has_password ? "set" : "none");
    rc = 0;
  });
  auto* set_role = user->add_subcommand("set-role", "change a user's role");
  set_role->add_option("name", uf->name, "user name")->required();
  set_role->add_option("role", uf->role, "reporter, viewer, responder, analyst or admin")->required();
  set_role->callback([&g, &rc, uf] {
    auto role = auth::ParseRole(uf->role);
    if (!role.ok()) {
      rc = Fail(role.status());
      return;
    }
    auto acc = OpenAccounts(g);
    if (!acc.ok()) {
      rc = Fail(acc.status());
      return;
    }
    auto s = (*acc)->SetRole(uf->name, *role);
    rc = s.ok() ? 0 : Fail(s);
    if (s.ok()) std::printf("%s is now %s\n", uf->name.c_str(), auth::RoleName(*role));
  });
  auto* passwd = user->add_subcommand("passwd", "set a user's password (read from stdin)");
  passwd->add_option("name", uf->name, "user name")->required();
  passwd->callback([&g, &rc, uf] {
    auto acc = OpenAccounts(g);
    if (!acc.ok()) {
      rc = Fail(acc.status());
      return;
    }
    auto s = (*acc)->SetPassword(uf->name, ReadPassword());
    rc = s.ok() ? 0 : Fail(s);
    if (s.ok()) std::printf("password of %s changed\n", uf->name.c_str());
  });

  // ---- tokens
  auto* token = app.add_subcommand("token", "API tokens (Authorization: Bearer)");
  token->require_subcommand(1);
  struct TokenFlags {
    std::string user, label;
    int64_t id = 0;
  };
  auto tf = std::make_shared<TokenFlags>();
  auto* create = token->add_subcommand("create", "create a token for a user; prints it once");
  create->add_option("name", tf->user, "user name")->required();
  create->add_option("--label", tf->label, "what the token is for");
  create->callback([&g, &rc, tf] {
    auto acc = OpenAccounts(g);
    if (!acc.ok()) {
      rc = Fail(acc.status());
      return;
    }
    auto t = (*acc)->CreateToken(tf->user, tf->label);
    if (!t.ok()) {
      rc = Fail(t.status());
      return;
    }
    std::printf("%s\n", t->token.c_str());
    std::fprintf(stderr, "token %lld for %s (shown once; only its hash is stored)\n", static_cast<long long>(t->id),
                 tf->user.c_str());
    rc = 0;
  });
  auto* tlist = token->add_subcommand("list", "list tokens (never the secrets)");
  tlist->callback([&g, &rc] {
    auto acc = OpenAccounts(g);
    if (!acc.ok()) {
      rc = Fail(acc.status());
      return;
    }
    auto ts = (*acc)->ListTokens();
    if (!ts.ok()) {
      rc = Fail(ts.status());
      return;
    }
    std::printf("%-5s %-16s %-11s %-21s %-21s %s\n", "id", "user", "prefix", "created", "revoked", "label");
    for (const auto& t : *ts)
      std::printf("%-5lld %-16s %-11s %-21s %-21s %s\n", static_cast<long long>(t.id), t.user.c_str(), t.prefix.c_str(),
                  t.created_at.c_str(), t.revoked_at.empty() ? "-" : t.revoked_at.c_str(), t.label.c_str());
    rc = 0;
  });
  auto* revoke = token->add_subcommand("revoke", "revoke a token by id (see 'vigil token list')");
  revoke->add_option("id", tf->id, "token id")->required();
  revoke->callback([&g, &rc, tf] {
    auto acc = OpenAccounts(g);
    if (!acc.ok()) {
      rc = Fail(acc.status());
      return;
    }
    auto s = (*acc)->RevokeToken(tf->id);
    rc = s.ok() ? 0 : Fail(s);
    if (s.ok()) std::printf("token %lld revoked\n", static_cast<long long>(tf->id));
  });
}

}  // namespace vigil::cli

// vigil::server — `vigil serve`: the HTTP API (/api/v1), OGC API – Features
// (/ogc), health and metrics, and the dashboard's static files
// (docs/http.md).
//
// The transport (transport.h, on Boost.Beast) reads whole requests on a few
// I/O threads, with header and body deadlines, size limits and connection
// caps per client; complete requests run on a Scheduler (scheduler.h) fair
// between clients, health checks ahead of the queues. Each worker borrows a
// SQLite connection (event store + accounts) from a pool, so reads run in
// parallel under WAL. Requests go through, in order: size and time limits
// (transport), a per-client rate limit, authentication (bearer token or
// session cookie), the route's role check, CSRF check on cookie writes, the
// handler, and the audit log for writes. Every error is JSON {code, message}
// with the matching HTTP status.
//
// Thread-safety: Start/Stop from one thread; handlers run on the pool.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "geo/reference.h"

namespace vigil::server {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;                      // 0: any free port (see Server::port())
  bool public_read = false;             // anonymous reads allowed
  int threads = 16;                     // handler threads (open connections hold none)
  size_t max_body_bytes = 2 << 20;      // larger bodies get 413
  double rate_limit = 200;              // requests per second per client (burst 2x); 0: off
  int timeout_s = 15;                   // body and write deadlines (headers: at most 10 s)
  int max_connections_per_client = 64;  // open connections per client address
  int max_connections = 4096;           // open connections in all
  std::string db;                       // database URL
  // SQLite database for alerts, sites, road closures, briefs and scenario
  // results ("" : the same as db, which must then be SQLite).
  std::string state_db;
  std::string web_dir;                  // dashboard files ("" : no dashboard)
  bool secure_cookies = false;          // add Secure to the session cookie (behind TLS)
  int64_t session_max_age_s = 12 * 3600;
  bool access_log = false;      // one line per request on stderr
  int64_t cache_mb = 256;       // serialised-event cache (0: off)
  int busy_timeout_ms = 5000;   // a write waits this long for an import, then 503
  int query_budget_ms = 10000;  // a read request's queries stop after this (503)
  int64_t query_max_steps = 0;  // and after this many SQLite VM steps (0: no limit)
  // Early warning (docs/warnings.md): the alert configuration file ("" : off),
  // how often escalations and rules are checked and the outbox drained, and
  // the clock they run on (tests pass a FakeClock).
  std::string alerts_config;
  int alerts_tick_ms = 250;            // 0: no background ticking (tests tick by hand)
  const core::Clock* clock = nullptr;  // null: the system clock
  // Weekly situation reports (docs/sitrep.md): how often to check that the
  // last whole week's briefs are written (0: never; `vigil serve` says 3600).
  int briefs_every_s = 0;
};

class Server {
 public:
  static core::Result<std::unique_ptr<Server>> Create(const ServerOptions& opt,
                                                      std::shared_ptr<const geo::Reference> ref);
  ~Server();
  // Binds the socket; fails with kConflict when the address is taken (no
  // port sharing), kIo for other socket errors.
  core::Status Bind();
  int port() const;
  // Serves until Stop(), or SIGINT/SIGTERM with `stop_on_signals` (blocking).
  core::Status Run(bool stop_on_signals = false);
  void Stop();

  // Runs `raw` (one HTTP/1.1 request as bytes) through the same parsing,
  // limits, routing and handlers as a socket would, on the calling thread,
  // without binding. For fuzzing and tests. Unparseable bytes give the
  // status the transport would answer (400 or 413).
  int HandleRawForTesting(std::string_view raw, std::string* body);
  // Runs one round of escalation, rules and delivery now (what the
  // background ticker does), for tests. kNotFound without --alerts.
  core::Status TickAlertsForTesting();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Runs a bound server until SIGINT/SIGTERM.
core::Status ServeUntilSignal(Server& server);

// Serves until SIGINT/SIGTERM; prints the URL on stdout once listening.
core::Status Serve(const ServerOptions& opt, std::shared_ptr<const geo::Reference> ref, const std::string& banner = "");

}  // namespace vigil::server

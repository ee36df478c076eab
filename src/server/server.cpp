#include "server/server.h"

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <thread>

#include "alert/delivery.h"
#include "core/strings.h"
#include "core/timing.h"
#include "model/site_store.h"
#include "report/sitrep_store.h"
#include "report/weekly.h"
#include "server/caching.h"
#include "server/compress.h"
#include "server/internal.h"
#include "server/router.h"
#include "server/scheduler.h"
#include "server/static_files.h"
#include "server/transport.h"

namespace vigil::server {

using core::Json;
using core::Result;
using core::Status;

// ------------------------------------------------------------------ helpers

void SendJson(Response& res, int status, const Json& j, const char* type) {
  res.status = status;
  res.set_content(j.dump(-1, ' ', false, Json::error_handler_t::replace), type);
}

void SendError(Response& res, int http_status, const std::string& code, const std::string& message) {
  SendJson(res, http_status, Json{{"code", code}, {"message", message}});
}

void SendError(Response& res, const Status& s) {
  // What the server's own storage or disks say stays in its log: an HTTP
  // client gets what it can act on, never SQL text or file paths.
  if (s.code() == core::Code::kDatabase || s.code() == core::Code::kIo || s.code() == core::Code::kInternal) {
    std::fprintf(stderr, "vigil serve: %s\n", core::EscapeControl(s.ToString()).c_str());
    return SendError(res, core::HttpStatus(s.code()), core::CodeName(s.code()),
                     "the server could not complete the request; its log has details");
  }
  if (s.code() == core::Code::kUnavailable) res.set_header("Retry-After", "5");
  SendError(res, core::HttpStatus(s.code()), core::CodeName(s.code()), s.message());
}

Status CheckParams(const Request& req, const std::vector<std::string>& allowed) {
  for (auto it = req.params.begin(); it != req.params.end(); ++it) {
    const auto& [k, v] = *it;
    if (!core::IsValidUtf8(k) || !core::IsValidUtf8(v))
      return core::InvalidArgument("query parameters must be valid UTF-8");
    if (v.size() > 2000) return core::InvalidArgument("parameter '" + k + "' is too long (at most 2000 bytes)");
    bool known = false;
    for (const auto& a : allowed) known = known || a == k;
    if (!known) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return core::InvalidArgument("unknown parameter '" + k + "'" +
                                   (list.empty() ? " (this endpoint takes none)" : " (expected: " + list + ")"));
    }
    if (req.params.count(k) > 1) return core::InvalidArgument("parameter '" + k + "' is given more than once");
  }
  return Status::Ok();
}

std::string Param(const Request& req, const char* name) {
  return req.has_param(name) ? req.get_param_value(name) : std::string();
}

Result<int64_t> IntParam(const Request& req, const char* name, int64_t def, int64_t lo, int64_t hi) {
  if (!req.has_param(name)) return def;
  int64_t v = 0;
  if (!core::ParseInt64(req.get_param_value(name), &v) || v < lo || v > hi)
    return core::InvalidArgument(std::string(name) + " must be an integer from " + std::to_string(lo) + " to " +
                                 std::to_string(hi));
  return v;
}

std::string SessionCookie(const Request& req) {
  const std::string c = req.get_header_value("Cookie");
  for (auto part : core::Split(c, ';')) {
    part = core::Trim(part);
    if (core::StartsWith(part, "vigil_session=")) return std::string(part.substr(14));
  }
  return "";
}

std::string MakeCursor(std::string_view date_start, int64_t id) {
  return std::string(date_start) + "_" + std::to_string(id);
}

Result<std::pair<std::string, int64_t>> ParseCursor(const std::string& c) {
  const size_t us = c.find('_');
  int64_t id = 0;
  if (us == std::string::npos || !core::Date::Parse(c.substr(0, us)).ok() || !core::ParseInt64(c.substr(us + 1), &id) ||
      id < 0)
    return core::InvalidArgument("cursor '" + c + "' is not one this server returned (use it as given)");
  return std::make_pair(c.substr(0, us), id);
}

Json EventFeature(const core::Event& e) {
  // One definition of the Feature (core::AppendEventFeature); a tree here
  // for the single-event endpoints that add members to it.
  std::string s;
  core::AppendEventFeature(&s, e);
  return Json::parse(s);
}

auth::Role RoleFor(Access a) {
  switch (a) {
    case Access::kOpen:
    case Access::kReport:
      return auth::Role::kReporter;
    case Access::kRead:
      return auth::Role::kViewer;
    case Access::kRespond:
      return auth::Role::kResponder;
    case Access::kWrite:
      return auth::Role::kAnalyst;
    case Access::kAdmin:
      return auth::Role::kAdmin;
  }
  return auth::Role::kAdmin;
}

store::AuditRecord AuditInTransaction(Ctx& c, int status) {
  c.audit_written = true;
  store::AuditRecord r;
  if (c.who) {
    r.user = c.who->name;
    r.role = auth::RoleName(c.who->role);
  }
  r.action = c.req.method + " " + c.route;
  r.target = c.audit_target;
  r.detail = c.audit_detail;
  r.client = c.client;
  r.status = status;
  return r;
}

// ---------------------------------------------------------------- ConnPool

Result<ConnPool::Lease> ConnPool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!free_.empty()) {
      auto c = std::move(free_.back());
      free_.pop_back();
      return Lease(this, std::move(c));
    }
  }
  auto c = std::make_unique<Conn>();
  VIGIL_ASSIGN_OR_RETURN(c->store, store::EventStore::Open(db_, false));
  VIGIL_RETURN_IF_ERROR(c->store->CheckCurrent());
  // Reads map the database file rather than copy pages out of the OS cache.
  VIGIL_RETURN_IF_ERROR(c->store->TuneForReads(int64_t{4} << 30, 8192));
  VIGIL_ASSIGN_OR_RETURN(c->accounts, auth::Accounts::Open(db_));
  VIGIL_ASSIGN_OR_RETURN(c->alerts, alert::AlertStore::Open(state_db_));
  c->alerts->SetBusyTimeout(busy_timeout_ms_);
  c->store->SetBusyTimeout(busy_timeout_ms_);
  c->accounts->SetBusyTimeout(busy_timeout_ms_);
  return Lease(this, std::move(c));
}

void ConnPool::Release(std::unique_ptr<Conn> c) {
  std::lock_guard<std::mutex> lock(mu_);
  free_.push_back(std::move(c));
}

// ------------------------------------------------------------ FeatureCache

bool FeatureCache::Contains(int64_t id) {
  if (!enabled()) return false;
  Shard& sh = ShardOf(id);
  std::lock_guard<std::mutex> lock(sh.mu);
  return sh.map.count(id) > 0;
}

bool FeatureCache::AppendTo(int64_t id, std::string* out) {
  if (!enabled()) return false;
  Shard& sh = ShardOf(id);
  std::lock_guard<std::mutex> lock(sh.mu);
  auto it = sh.map.find(id);
  if (it == sh.map.end()) return false;
  out->append(it->second);
  return true;
}

void FeatureCache::Put(int64_t id, std::string_view feature) {
  if (!enabled()) return;
  Shard& sh = ShardOf(id);
  std::lock_guard<std::mutex> lock(sh.mu);
  if (sh.bytes + feature.size() > max_shard_bytes_) {  // full: start over (cheap, rare)
    sh.map.clear();
    sh.bytes = 0;
  }
  auto [it, inserted] = sh.map.try_emplace(id, feature);
  if (inserted) sh.bytes += feature.size();
}

void FeatureCache::Clear() {
  for (auto& sh : shards_) {
    std::lock_guard<std::mutex> lock(sh.mu);
    sh.map.clear();
    sh.bytes = 0;
  }
}

Status FeatureCache::Revalidate(Conn* conn) {
  if (!enabled()) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(int64_t v, conn->store->DataVersion());
  // The events' generation is the database's, the same for every
  // connection: the first to see it move clears the cache for all.
  if (generation_.exchange(v) != v) Clear();
  return Status::Ok();
}

// ----------------------------------------------------------- ResponseCache

std::shared_ptr<const std::string> ResponseCache::Get(const std::string& key, int64_t generation) {
  std::lock_guard<std::mutex> lock(mu_);
  if (generation != generation_) return nullptr;
  auto it = map_.find(key);
  return it == map_.end() ? nullptr : it->second;
}

void ResponseCache::Put(const std::string& key, int64_t generation, std::string body) {
  std::lock_guard<std::mutex> lock(mu_);
  if (generation < generation_) return;  // computed before a write: already stale
  if (generation != generation_ || map_.size() >= 64) map_.clear();
  generation_ = generation;
  map_[key] = std::make_shared<const std::string>(std::move(body));
}

// ------------------------------------------------------------- RateLimiter

bool RateLimiter::Allow(const std::string& key, int* retry_after_s) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  if (buckets_.size() > 100000) buckets_.clear();  // bounded memory under address churn
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& b = it->second;
  if (!inserted) {
    const double dt = std::chrono::duration<double>(now - b.last).count();
    b.tokens = std::min(burst_, b.tokens + dt * rate_);
    b.last = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return true;
  }
  *retry_after_s = std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / rate_)));
  return false;
}

// ----------------------------------------------------------------- Metrics

void Metrics::Record(const std::string& route, const std::string& method, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{route, method, status}];
  Series& s = latency_[route];
  ++s.count;
  s.sum += seconds;
  for (size_t i = 0; i < kNumBuckets; ++i)
    if (seconds <= kBuckets[i]) ++s.buckets[i];
}

std::string Metrics::Render(const Gauges& g) const {
  std::string out;
  char buf[1024];
  std::lock_guard<std::mutex> lock(mu_);
  out += "# HELP vigil_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE vigil_http_requests_total counter\n";
  for (const auto& [k, n] : requests_) {
    std::snprintf(buf, sizeof buf, "vigil_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %lld\n",
                  std::get<0>(k).c_str(), std::get<1>(k).c_str(), std::get<2>(k), static_cast<long long>(n));
    out += buf;
  }
  out += "# HELP vigil_http_request_duration_seconds Time from routing to response, by route.\n";
  out += "# TYPE vigil_http_request_duration_seconds histogram\n";
  for (const auto& [route, s] : latency_) {
    for (size_t i = 0; i < kNumBuckets; ++i) {
      std::snprintf(buf, sizeof buf, "vigil_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %lld\n",
                    route.c_str(), kBuckets[i], static_cast<long long>(s.buckets[i]));
      out += buf;
    }
    std::snprintf(buf, sizeof buf,
                  "vigil_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %lld\n"
                  "vigil_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                  "vigil_http_request_duration_seconds_count{route=\"%s\"} %lld\n",
                  route.c_str(), static_cast<long long>(s.count), route.c_str(), s.sum, route.c_str(),
                  static_cast<long long>(s.count));
    out += buf;
  }
  std::snprintf(buf, sizeof buf,
                "# HELP vigil_db_size_bytes Size of the database file and its WAL.\n"
                "# TYPE vigil_db_size_bytes gauge\nvigil_db_size_bytes %lld\n"
                "# HELP vigil_http_worker_threads Worker threads of the HTTP server.\n"
                "# TYPE vigil_http_worker_threads gauge\nvigil_http_worker_threads %lld\n"
                "# HELP vigil_http_open_connections Client connections open now.\n"
                "# TYPE vigil_http_open_connections gauge\nvigil_http_open_connections %lld\n"
                "# HELP vigil_http_queued_requests Requests read and waiting for a worker.\n"
                "# TYPE vigil_http_queued_requests gauge\nvigil_http_queued_requests %lld\n",
                static_cast<long long>(g.db_bytes), static_cast<long long>(g.worker_threads),
                static_cast<long long>(g.open_connections), static_cast<long long>(g.queued_requests));
  out += buf;
  return out;
}

// ------------------------------------------------------------------ Server

struct Server::Impl {
  State state;
  Router router;
  StaticFiles files;
  // Declared before the scheduler, so destroyed after it: handlers still
  // running reply into the transport's (stopped) I/O context.
  std::unique_ptr<Transport> transport;
  std::unique_ptr<Scheduler> scheduler;
  // Background work of the early-warning loop: escalations and rules on
  // one thread, the outbox on another (a slow receiver never delays an
  // escalation).
  std::thread ticker, deliverer, briefer;
  std::mutex tick_mu;
  std::condition_variable tick_cv;
  bool ticking = false;

  Impl(const ServerOptions& o, std::shared_ptr<const geo::Reference> r) : state(o, std::move(r)) {}

  int64_t DbBytes() const {
    int64_t n = 0;
    struct stat sb {};
    for (const std::string& p : {state.db_path, state.db_path + "-wal"})
      if (::stat(p.c_str(), &sb) == 0) n += sb.st_size;
    return n;
  }

  // Resolves who is calling: a bearer token, else a session cookie.
  // Returns nullopt for anonymous; kUnauthenticated for bad credentials.
  Result<std::optional<auth::Principal>> Authenticate(const Request& req, Conn* conn) {
    const std::string authz = req.get_header_value("Authorization");
    if (!authz.empty()) {
      if (!core::StartsWith(authz, "Bearer "))
        return core::Unauthenticated("the Authorization header must be 'Bearer <token>'");
      VIGIL_ASSIGN_OR_RETURN(auto p, conn->accounts->CheckToken(authz.substr(7)));
      return std::optional<auth::Principal>(p);
    }
    const std::string cookie = SessionCookie(req);
    if (!cookie.empty()) {
      VIGIL_ASSIGN_OR_RETURN(auto p, conn->accounts->CheckSession(cookie));
      return std::optional<auth::Principal>(p);
    }
    return std::optional<auth::Principal>();
  }

  void Route(const char* method, const std::string& pattern, const std::string& name, Access access, Handler h) {
    router.Add(method, pattern, [this, name, access, h = std::move(h)](Request& req, Response& res) {
      const auto t0 = std::chrono::steady_clock::now();
      Dispatch(name, access, h, req, res);
      state.metrics.Record(name, req.method, res.status,
                           std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    });
  }

  void Dispatch(const std::string& name, Access access, const Handler& h, const Request& req, Response& res) {
    auto lease = state.pool.Acquire();
    if (!lease.ok()) return SendError(res, lease.status());
    Ctx ctx{req, res, lease->get(), std::nullopt, req.remote_addr, "", "", name};
    if (access == Access::kOpen) {
      // Open routes need no one, but may say who is calling (/api/v1/me).
      if (auto who = Authenticate(req, ctx.conn); who.ok()) ctx.who = *who;
    } else {
      auto who = Authenticate(req, ctx.conn);
      if (!who.ok()) return SendError(res, who.status());
      ctx.who = *who;
      const auth::Role need = RoleFor(access);
      if (!ctx.who) {
        if (!(access == Access::kRead && state.opt.public_read))
          return SendError(res, core::Unauthenticated(
                                    "sign in or send 'Authorization: Bearer <token>' (create one with 'vigil token "
                                    "create NAME')"));
      } else if (static_cast<int>(ctx.who->role) < static_cast<int>(need)) {
        return SendError(
            res, core::PermissionDenied(std::string("this needs the ") + auth::RoleName(need) + " role or above; '" +
                                        ctx.who->name + "' is " + auth::RoleName(ctx.who->role)));
      }
      // Every write by a signed-in browser carries the session's CSRF token.
      if (req.method != "GET" && req.method != "HEAD" && ctx.who && ctx.who->via == "session") {
        const std::string csrf = req.get_header_value("X-CSRF-Token");
        if (csrf.empty() || !auth::SecureEquals(csrf, ctx.who->csrf))
          return SendError(res, core::PermissionDenied("missing or wrong X-CSRF-Token header (from /api/v1/me)"));
      }
    }
    // Reads have a cost budget: one request cannot hold a worker for long.
    const bool budgeted = access != Access::kOpen && (req.method == "GET" || req.method == "HEAD");
    if (budgeted)
      ctx.conn->store->SetQueryBudget(
          {std::chrono::steady_clock::now() + std::chrono::milliseconds(state.opt.query_budget_ms),
           state.opt.query_max_steps});
    Status s = h(ctx);
    if (budgeted) ctx.conn->store->ClearQueryBudget();
    if (!s.ok()) SendError(res, s);
    if (res.status == -1) res.status = 200;
    if (access == Access::kWrite && res.status >= 200 && res.status < 300) {
      state.features.Clear();  // at once, before another request can read the old features
      if (ctx.audit_written) return;
      Status a = ctx.conn->accounts->Audit(ctx.who, req.method + " " + name, ctx.audit_target, ctx.audit_detail,
                                           ctx.client, res.status);
      if (!a.ok()) std::fprintf(stderr, "vigil serve: audit log write failed: %s\n", a.ToString().c_str());
    }
  }

  // Checks that come before routing: a decodable path and the rate limit.
  bool PreRoute(const Request& req, Response& res) {
    if (!core::IsValidUtf8(req.path)) {
      SendError(res, 400, "invalid_argument", "the request path must be valid UTF-8");
      return false;
    }
    const bool api = core::StartsWith(req.path, "/api/") || core::StartsWith(req.path, "/ogc");
    int retry = 0;
    if (api && state.limiter && !state.limiter->Allow(req.remote_addr, &retry)) {
      res.set_header("Retry-After", std::to_string(retry));
      SendError(res, 429, "rate_limited",
                "too many requests from this client; retry after " + std::to_string(retry) + " s");
      state.metrics.Record("rate_limited", req.method, 429, 0);
      return false;
    }
    if (api) res.set_header("Cache-Control", "no-store");
    return true;
  }

  // The whole request, on a worker thread.
  void Handle(Request& req, Response& res) {
    try {
      if (PreRoute(req, res)) {
        const Router::Fn* fn = nullptr;
        std::string allowed;
        switch (router.Find(req, &fn, &allowed)) {
          case Router::Match::kFound:
            (*fn)(req, res);
            break;
          case Router::Match::kWrongMethod:
            res = ErrorResponse(405, "method_not_allowed", "this endpoint takes " + allowed);
            res.set_header("Allow", allowed);
            break;
          case Router::Match::kNoPath:
            if (!files.Serve(req, &res)) res = ErrorResponse(404, "not_found", "no such endpoint; see docs/http.md");
            break;
        }
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "vigil serve: internal error on %s %s: %s\n", req.method.c_str(),
                   core::EscapeControl(req.path).c_str(), e.what());
      res = ErrorResponse(500, "internal", "internal error; the server log has details");
    }
    if (res.status == -1) res.status = 200;
    MaybeRevalidate(req, &res);
    MaybeCompress(req, &res);
    if (state.opt.access_log)
      std::fprintf(stderr, "%s %s %s %d %zu\n", req.remote_addr.c_str(), req.method.c_str(),
                   core::EscapeControl(req.path).c_str(), res.status, res.body.size());
  }

  // From the transport: runs the request on the scheduler (health checks
  // ahead of everything), or answers 503 when the client's queue is full.
  void Enqueue(Request req, Reply reply) {
    const std::string client = req.remote_addr;
    const bool priority = req.path == "/healthz";
    auto task = [this, req = std::move(req), reply]() mutable {
      Response res;
      Handle(req, res);
      reply(std::move(res));
    };
    const bool queued =
        priority ? scheduler->SubmitPriority(std::move(task)) : scheduler->Submit(client, std::move(task));
    if (!queued) {
      Response res = ErrorResponse(503, "unavailable", "too many requests from this client are waiting; retry shortly");
      res.set_header("Retry-After", "1");
      reply(std::move(res));
    }
  }

  // Sleeps up to `ms` unless the ticker is being stopped; false when stopping.
  bool Wait(int ms) {
    std::unique_lock<std::mutex> lock(tick_mu);
    tick_cv.wait_for(lock, std::chrono::milliseconds(ms), [this] { return !ticking; });
    return ticking;
  }

  Status TickOnce(store::EventStore* events) {
    auto t = state.alerts->Tick(events);
    return t.status();
  }

  // With VIGIL_TIMINGS=1, background steps longer than 50 ms are logged.
  static void SlowTimings(const char* what, std::chrono::steady_clock::time_point a,
                          std::chrono::steady_clock::time_point b) {
    const double ms = std::chrono::duration<double, std::milli>(b - a).count();
    if (core::TimingsEnabled() && ms > 50) std::fprintf(stderr, "timing: slow %s: %.0f ms\n", what, ms);
  }
  // The background threads: the alert ticker and deliverer (with --alerts)
  // and the weekly briefs (briefs_every_s > 0).
  void StartBackground() {
    {
      std::lock_guard<std::mutex> lock(tick_mu);
      ticking = true;
    }
    StartTicker();
    StartBriefer();
  }

  // Weekly briefs (docs/sitrep.md): at start, then every briefs_every_s, the
  // last whole week's brief of every region in both languages, unless kept.
  void StartBriefer() {
    if (state.opt.briefs_every_s <= 0) return;
    briefer = std::thread([this] {
      do {
        Status s = WriteBriefsOnce();
        if (!s.ok())
          std::fprintf(stderr, "vigil serve: weekly briefs: %s\n", core::EscapeControl(s.ToString()).c_str());
      } while (Wait(state.opt.briefs_every_s * 1000));
    });
  }

  Status WriteBriefsOnce() {
    VIGIL_ASSIGN_OR_RETURN(auto events, store::EventStore::Open(state.opt.db, false));
    VIGIL_ASSIGN_OR_RETURN(auto briefs, report::SitrepStore::Open(state.opt.state_db));
    VIGIL_ASSIGN_OR_RETURN(auto phrases, report::LoadPhrases(state.ref->data_dir() + "/report/sitrep.tsv"));
    const core::Clock& clock = state.opt.clock ? *state.opt.clock : core::SystemClock::Get();
    auto alerts = alert::AlertStore::Open(state.opt.state_db);
    auto sites = model::SiteStore::Open(state.opt.state_db);
    const report::BriefSources more{alerts.ok() ? alerts->get() : nullptr, sites.ok() ? sites->get() : nullptr};
    VIGIL_ASSIGN_OR_RETURN(
        auto run, report::WriteWeeklyBriefs(events.get(), *state.ref, phrases, briefs.get(), clock.Now(), more));
    if (run.written > 0)
      std::fprintf(stderr, "vigil serve: wrote %d weekly brief(s) for %s to %s\n", run.written,
                   run.from.ToIso().c_str(), run.to.ToIso().c_str());
    return Status::Ok();
  }

  void StartTicker() {
    if (!state.alerts || state.opt.alerts_tick_ms <= 0) return;
    // The service's commits leave checkpoints to this thread, so that no
    // report's commit waits for one.
    state.alerts->DeferCheckpoints();
    ticker = std::thread([this] {
      auto events = store::EventStore::Open(state.opt.db, false);
      while (Wait(state.opt.alerts_tick_ms)) {
        const auto t0 = std::chrono::steady_clock::now();
        Status s = events.ok() ? TickOnce(events->get()) : events.status();
        const auto t1 = std::chrono::steady_clock::now();
        if (s.ok()) s = state.alerts->CheckpointInTurn();
        SlowTimings("tick", t0, t1);
        SlowTimings("checkpoint", t1, std::chrono::steady_clock::now());
        if (!s.ok()) std::fprintf(stderr, "vigil serve: alerts: %s\n", core::EscapeControl(s.ToString()).c_str());
      }
    });
    deliverer = std::thread([this] {
      alert::CurlSender sender(state.alerts ? &state.alerts->clock() : nullptr);
      while (Wait(state.opt.alerts_tick_ms)) {
        auto d = state.alerts->DeliverDue(sender);
        if (!d.ok())
          std::fprintf(stderr, "vigil serve: delivery: %s\n", core::EscapeControl(d.status().ToString()).c_str());
      }
    });
  }

  void StopTicker() {
    {
      std::lock_guard<std::mutex> lock(tick_mu);
      ticking = false;
    }
    tick_cv.notify_all();
    if (ticker.joinable()) ticker.join();
    if (deliverer.joinable()) deliverer.join();
    if (briefer.joinable()) briefer.join();
  }

  Status Configure() {
    const auto& o = state.opt;
    TransportOptions t;
    t.bind = o.bind;
    t.port = o.port;
    t.max_body_bytes = o.max_body_bytes;
    t.body_timeout_s = o.timeout_s;
    t.write_timeout_s = o.timeout_s;
    t.header_timeout_s = std::min(o.timeout_s, 10);
    t.max_connections_per_client = o.max_connections_per_client;
    t.max_connections = o.max_connections;
    t.default_headers = {
        {"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "no-referrer"}, {"X-Frame-Options", "DENY"}};
    VIGIL_ASSIGN_OR_RETURN(transport, Transport::Create(t, [this](Request req, Reply reply) {
                             Enqueue(std::move(req), std::move(reply));
                           }));
    SchedulerOptions so;
    so.workers = o.threads;
    so.max_running_per_client = std::max(1, o.threads / 2);
    scheduler = std::make_unique<Scheduler>(so);

    auto route = [this](const char* m, const std::string& p, const std::string& n, Access a, Handler h) {
      Route(m, p, n, a, std::move(h));
    };
    route("GET", "/healthz", "/healthz", Access::kOpen, [](Ctx& c) {
      VIGIL_ASSIGN_OR_RETURN(int v, c.conn->store->Version());
      SendJson(c.res, 200, Json{{"status", "ok"}, {"schema_version", v}});
      return Status::Ok();
    });
    route("GET", "/metrics", "/metrics", Access::kOpen, [this](Ctx& c) {
      const Metrics::Gauges g{DbBytes(), state.opt.threads, transport->open_connections(),
                              static_cast<int64_t>(scheduler->queued())};
      c.res.set_content(state.metrics.Render(g), "text/plain; version=0.0.4");
      return Status::Ok();
    });
    AddApiRoutes(state, route);
    AddOgcRoutes(state, route);
    AddAlertRoutes(state, route);
    AddRoadRoutes(state, route);
    AddSiteRoutes(state, route);
    AddRegionRoutes(state, route);
    AddSignalRoutes(state, route);
    AddSitrepRoutes(state, route);
    AddScenarioRoutes(state, route);

    if (!o.web_dir.empty()) {
      // Vendor files are versioned by package-lock; the app's own files revalidate.
      files.Mount("/", o.web_dir, "no-cache");
      files.Mount("/vendor/", o.web_dir + "/node_modules", "public, max-age=86400");
    }
    return Status::Ok();
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() {
  Stop();
  impl_->StopTicker();
  if (impl_->scheduler) impl_->scheduler->Stop();
}

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions& opt, std::shared_ptr<const geo::Reference> ref) {
  if (opt.threads < 2 || opt.threads > 1024) return core::InvalidArgument("--threads must be 2..1024");
  if (opt.rate_limit < 0) return core::InvalidArgument("--rate-limit must be >= 0");
  if (opt.cache_mb < 0 || opt.cache_mb > 65536) return core::InvalidArgument("--cache-mb must be 0..65536");
  if (opt.port < 0 || opt.port > 65535) return core::InvalidArgument("--port must be 0..65535");
  if (opt.timeout_s < 1 || opt.timeout_s > 3600) return core::InvalidArgument("--timeout must be 1..3600 seconds");
  if (opt.max_body_bytes < 1024) return core::InvalidArgument("--max-body must be at least 1024 bytes");
  if (opt.max_connections_per_client < 1) return core::InvalidArgument("--max-conns-per-client must be >= 1");
  if (opt.query_budget_ms < 1) return core::InvalidArgument("--query-budget-ms must be >= 1");
  VIGIL_RETURN_IF_ERROR(auth::InitCrypto());
  ServerOptions o = opt;
  if (o.state_db.empty()) o.state_db = o.db;
  // The SQLite file whose size /metrics reports: the events database, or
  // the state database beside a PostgreSQL one. A PostgreSQL URL as state
  // database is refused here, with the way out.
  auto impl = std::make_unique<Impl>(o, std::move(ref));
  VIGIL_ASSIGN_OR_RETURN(impl->state.db_path, store::SqlitePathFromUrl(o.state_db));
  {
    // Fail now, not on the first request, when the database is missing or old.
    VIGIL_ASSIGN_OR_RETURN(auto lease, impl->state.pool.Acquire());
    (void)lease;
  }
  if (opt.rate_limit > 0) impl->state.limiter = std::make_unique<RateLimiter>(opt.rate_limit, 2 * opt.rate_limit);
  BuildBoundaries(impl->state);
  if (!opt.alerts_config.empty()) {
    VIGIL_ASSIGN_OR_RETURN(alert::AlertConfig cfg, alert::LoadAlertConfig(opt.alerts_config));
    alert::ServiceOptions so;
    so.db_url = o.state_db;
    so.ref = impl->state.ref;
    so.data_dir = impl->state.ref->data_dir();
    so.clock = opt.clock ? opt.clock : &core::SystemClock::Get();
    if (!cfg.keys_dir.empty()) {
      VIGIL_ASSIGN_OR_RETURN(so.keys, alert::LoadServerKeys(cfg.keys_dir));
    }
    so.config = std::make_shared<const alert::AlertConfig>(std::move(cfg));
    VIGIL_ASSIGN_OR_RETURN(impl->state.alerts, alert::AlertService::Create(std::move(so)));
  }
  VIGIL_RETURN_IF_ERROR(impl->Configure());
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Status Server::Bind() { return impl_->transport->Bind(); }

int Server::port() const { return impl_->transport->port(); }

Status Server::Run(bool stop_on_signals) {
  impl_->StartBackground();
  Status s = impl_->transport->Run(stop_on_signals);
  impl_->StopTicker();
  return s;
}

Status Server::TickAlertsForTesting() {
  if (!impl_->state.alerts) return core::NotFound("no --alerts configuration");
  auto events = store::EventStore::Open(impl_->state.opt.db, false);
  if (!events.ok()) return events.status();
  VIGIL_RETURN_IF_ERROR(impl_->TickOnce(events->get()));
  alert::CurlSender sender(&impl_->state.alerts->clock());
  return impl_->state.alerts->DeliverDue(sender).status();
}

int Server::HandleRawForTesting(std::string_view raw, std::string* body) {
  TransportOptions t;
  t.max_body_bytes = impl_->state.opt.max_body_bytes;
  auto req = ParseRequest(raw, t, "127.0.0.1");
  if (!req.ok()) {
    if (body) *body = req.status().message();
    return req.status().code() == core::Code::kTooLarge ? 413 : 400;
  }
  Response res;
  impl_->Handle(*req, res);
  if (body) *body = std::move(res.body);
  return res.status;
}

void Server::Stop() {
  if (impl_->transport) impl_->transport->Stop();
}

Status ServeUntilSignal(Server& server) { return server.Run(/*stop_on_signals=*/true); }

Status Serve(const ServerOptions& opt, std::shared_ptr<const geo::Reference> ref, const std::string& banner) {
  VIGIL_ASSIGN_OR_RETURN(auto server, Server::Create(opt, std::move(ref)));
  VIGIL_RETURN_IF_ERROR(server->Bind());
  const std::string host = opt.bind == "0.0.0.0" || opt.bind == "::" ? "127.0.0.1" : opt.bind;
  std::printf("vigil serve: listening on http://%s:%d/ (%s reads; Ctrl-C stops)\n", host.c_str(), server->port(),
              opt.public_read ? "public" : "authenticated");
  if (!banner.empty()) std::printf("%s", banner.c_str());
  std::fflush(stdout);
  return ServeUntilSignal(*server);
}

}  // namespace vigil::server

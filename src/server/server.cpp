#include "server/server.h"

#include <sys/stat.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <thread>

#include "core/strings.h"
#include "server/internal.h"

namespace vigil::server {

using core::Json;
using core::Result;
using core::Status;

// ------------------------------------------------------------------ helpers

void SendJson(httplib::Response& res, int status, const Json& j, const char* type) {
  res.status = status;
  res.set_content(j.dump(-1, ' ', false, Json::error_handler_t::replace), type);
}

void SendError(httplib::Response& res, int http_status, const std::string& code, const std::string& message) {
  SendJson(res, http_status, Json{{"code", code}, {"message", message}});
}

void SendError(httplib::Response& res, const Status& s) {
  SendError(res, core::HttpStatus(s.code()), core::CodeName(s.code()), s.message());
}

Status CheckParams(const httplib::Request& req, const std::vector<std::string>& allowed) {
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

std::string Param(const httplib::Request& req, const char* name) {
  return req.has_param(name) ? req.get_param_value(name) : std::string();
}

Result<int64_t> IntParam(const httplib::Request& req, const char* name, int64_t def, int64_t lo, int64_t hi) {
  if (!req.has_param(name)) return def;
  int64_t v = 0;
  if (!core::ParseInt64(req.get_param_value(name), &v) || v < lo || v > hi)
    return core::InvalidArgument(std::string(name) + " must be an integer from " + std::to_string(lo) + " to " +
                                 std::to_string(hi));
  return v;
}

std::string SessionCookie(const httplib::Request& req) {
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
  // A new connection cannot tell what changed before it opened: clear too.
  if (v != conn->data_version) Clear();
  conn->data_version = v;
  return Status::Ok();
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

std::string Metrics::Render(int64_t db_bytes, int64_t pool_threads) const {
  std::string out;
  char buf[512];
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
                "# TYPE vigil_http_worker_threads gauge\nvigil_http_worker_threads %lld\n",
                static_cast<long long>(db_bytes), static_cast<long long>(pool_threads));
  out += buf;
  return out;
}

// ------------------------------------------------------------------ Server

struct Server::Impl {
  State state;
  httplib::Server http;
  int port = 0;
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
  Result<std::optional<auth::Principal>> Authenticate(const httplib::Request& req, Conn* conn) {
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
    auto fn = [this, name, access, h = std::move(h)](const httplib::Request& req, httplib::Response& res) {
      const auto t0 = std::chrono::steady_clock::now();
      Dispatch(name, access, h, req, res);
      state.metrics.Record(name, req.method, res.status,
                           std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    };
    const std::string m = method;
    if (m == "GET")
      http.Get(pattern, fn);
    else if (m == "POST")
      http.Post(pattern, fn);
    else if (m == "DELETE")
      http.Delete(pattern, fn);
  }

  void Dispatch(const std::string& name, Access access, const Handler& h, const httplib::Request& req,
                httplib::Response& res) {
    auto lease = state.pool.Acquire();
    if (!lease.ok()) return SendError(res, lease.status());
    Ctx ctx{req, res, lease->get(), std::nullopt, req.remote_addr, "", ""};
    if (access != Access::kOpen) {
      auto who = Authenticate(req, ctx.conn);
      if (!who.ok()) return SendError(res, who.status());
      ctx.who = *who;
      const auth::Role need = access == Access::kRead    ? auth::Role::kViewer
                              : access == Access::kWrite ? auth::Role::kAnalyst
                                                         : auth::Role::kAdmin;
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
      if (access == Access::kWrite && ctx.who && ctx.who->via == "session") {
        const std::string csrf = req.get_header_value("X-CSRF-Token");
        if (csrf.empty() || !auth::SecureEquals(csrf, ctx.who->csrf))
          return SendError(res, core::PermissionDenied("missing or wrong X-CSRF-Token header (from /api/v1/me)"));
      }
    }
    Status s = h(ctx);
    if (!s.ok()) SendError(res, s);
    if (res.status == -1) res.status = 200;
    if (access == Access::kWrite && res.status >= 200 && res.status < 300) {
      state.features.Clear();  // this connection's own commit: data_version does not see it
      Status a = ctx.conn->accounts->Audit(ctx.who, req.method + " " + name, ctx.audit_target, ctx.audit_detail,
                                           ctx.client, res.status);
      if (!a.ok()) std::fprintf(stderr, "vigil serve: audit log write failed: %s\n", a.ToString().c_str());
    }
  }

  void Configure() {
    const auto& o = state.opt;
    http.new_task_queue = [n = o.threads] { return new httplib::ThreadPool(static_cast<size_t>(n)); };
    http.set_payload_max_length(o.max_body_bytes);
    http.set_read_timeout(o.timeout_s, 0);
    http.set_write_timeout(o.timeout_s, 0);
    http.set_keep_alive_timeout(5);
    http.set_keep_alive_max_count(10000);
    http.set_tcp_nodelay(true);
    http.set_default_headers(
        {{"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "no-referrer"}, {"X-Frame-Options", "DENY"}});
    // Every error is JSON; httplib's own (404 for no route, 413, 400) too.
    http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return;
      switch (res.status) {
        case 404:
          return SendError(res, 404, "not_found", "no such endpoint; see docs/http.md");
        case 413:
          return SendError(res, 413, "payload_too_large", "the request body is too large");
        case 414:
          return SendError(res, 414, "uri_too_long", "the request URI is too long");
        case 405:
          return SendError(res, 405, "method_not_allowed", "this endpoint does not take this method");
        default:
          return SendError(res, res.status, "bad_request", "the request could not be read");
      }
    });
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      std::string what = "unexpected error";
      try {
        if (ep) std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {
      }
      std::fprintf(stderr, "vigil serve: internal error: %s\n", what.c_str());
      SendError(res, 500, "internal", "internal error; the server log has details");
    });
    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (!core::IsValidUtf8(req.path)) {
        SendError(res, 400, "invalid_argument", "the request path must be valid UTF-8");
        return httplib::Server::HandlerResponse::Handled;
      }
      const bool api = core::StartsWith(req.path, "/api/") || core::StartsWith(req.path, "/ogc");
      int retry = 0;
      if (api && state.limiter && !state.limiter->Allow(req.remote_addr, &retry)) {
        res.set_header("Retry-After", std::to_string(retry));
        SendError(res, 429, "rate_limited",
                  "too many requests from this client; retry after " + std::to_string(retry) + " s");
        state.metrics.Record("rate_limited", req.method, 429, 0);
        return httplib::Server::HandlerResponse::Handled;
      }
      if (api) res.set_header("Cache-Control", "no-store");
      return httplib::Server::HandlerResponse::Unhandled;
    });
    if (o.access_log)
      http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
        std::fprintf(stderr, "%s %s %s %d %zu\n", req.remote_addr.c_str(), req.method.c_str(), req.path.c_str(),
                     res.status, res.body.size());
      });

    auto route = [this](const char* m, const std::string& p, const std::string& n, Access a, Handler h) {
      Route(m, p, n, a, std::move(h));
    };
    route("GET", "/healthz", "/healthz", Access::kOpen, [](Ctx& c) {
      VIGIL_ASSIGN_OR_RETURN(int v, c.conn->store->Version());
      SendJson(c.res, 200, Json{{"status", "ok"}, {"schema_version", v}});
      return Status::Ok();
    });
    route("GET", "/metrics", "/metrics", Access::kOpen, [this](Ctx& c) {
      c.res.set_content(state.metrics.Render(DbBytes(), state.opt.threads), "text/plain; version=0.0.4");
      return Status::Ok();
    });
    AddApiRoutes(state, route);
    AddOgcRoutes(state, route);

    if (!o.web_dir.empty()) {
      const std::string web = o.web_dir;
      http.set_mount_point("/", web);
      http.set_mount_point("/vendor", web + "/node_modules");
      http.set_file_extension_and_mimetype_mapping("mjs", "text/javascript");
      http.set_file_extension_and_mimetype_mapping("geojson", "application/json");
      http.set_file_request_handler([](const httplib::Request& req, httplib::Response& res) {
        // Vendor files are versioned by package-lock; the app's own files revalidate.
        res.set_header("Cache-Control", core::StartsWith(req.path, "/vendor/") ? "public, max-age=86400" : "no-cache");
      });
    }
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions& opt, std::shared_ptr<const geo::Reference> ref) {
  if (opt.threads < 2 || opt.threads > 1024) return core::InvalidArgument("--threads must be 2..1024");
  if (opt.rate_limit < 0) return core::InvalidArgument("--rate-limit must be >= 0");
  if (opt.cache_mb < 0 || opt.cache_mb > 65536) return core::InvalidArgument("--cache-mb must be 0..65536");
  if (opt.port < 0 || opt.port > 65535) return core::InvalidArgument("--port must be 0..65535");
  VIGIL_RETURN_IF_ERROR(auth::InitCrypto());
  auto impl = std::make_unique<Impl>(opt, std::move(ref));
  VIGIL_ASSIGN_OR_RETURN(impl->state.db_path, store::SqlitePathFromUrl(opt.db));
  {
    // Fail now, not on the first request, when the database is missing or old.
    VIGIL_ASSIGN_OR_RETURN(auto lease, impl->state.pool.Acquire());
    (void)lease;
  }
  if (opt.rate_limit > 0) impl->state.limiter = std::make_unique<RateLimiter>(opt.rate_limit, 2 * opt.rate_limit);
  BuildBoundaries(impl->state);
  impl->Configure();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Status Server::Bind() {
  auto& o = impl_->state.opt;
  if (o.port == 0) {
    impl_->port = impl_->http.bind_to_any_port(o.bind);
    if (impl_->port <= 0) return core::IoError("cannot bind to " + o.bind);
  } else {
    if (!impl_->http.bind_to_port(o.bind, o.port))
      return core::IoError("cannot listen on " + o.bind + ":" + std::to_string(o.port) +
                           " (in use? try --port 0 for any free port)");
    impl_->port = o.port;
  }
  return Status::Ok();
}

int Server::port() const { return impl_->port; }

Status Server::Run() {
  if (!impl_->http.listen_after_bind()) return core::IoError("the server stopped with an error");
  return Status::Ok();
}

void Server::Stop() { impl_->http.stop(); }

namespace {
std::atomic<Server*> g_running{nullptr};
void OnSignal(int) {
  if (Server* s = g_running.load()) s->Stop();
}
}  // namespace

Status ServeUntilSignal(Server& server) {
  g_running = &server;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  Status s = server.Run();
  g_running = nullptr;
  return s;
}

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

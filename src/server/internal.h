// vigil::server internals shared by the API, OGC and static-file parts.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "alert/service.h"
#include "auth/accounts.h"
#include "core/event_json.h"
#include "core/status.h"
#include "core/url.h"
#include "geo/reference.h"
#include "server/http_message.h"
#include "server/server.h"
#include "store/store.h"

namespace vigil::server {

// One worker's database handles.
struct Conn {
  std::unique_ptr<store::EventStore> store;
  std::unique_ptr<auth::Accounts> accounts;
  std::unique_ptr<alert::AlertStore> alerts;
};

// Serialised GeoJSON features by event id, shared by all workers, bounded
// in bytes. Cleared whenever events change: after this server's own writes,
// and when a request sees the events' generation move (an import by another
// process; EventStore::DataVersion), so a response never mixes old and new
// data of an event. Writes to other tables (reports, alerts, sessions) keep it.
class FeatureCache {
 public:
  explicit FeatureCache(size_t max_bytes) : max_shard_bytes_(max_bytes / kShards) {}
  bool enabled() const { return max_shard_bytes_ > 0; }
  bool Contains(int64_t id);
  // Appends the cached feature to `out`; false when absent.
  bool AppendTo(int64_t id, std::string* out);
  void Put(int64_t id, std::string_view feature);
  void Clear();
  // Checks the events' generation (EventStore::DataVersion); clears the
  // cache when it moved.
  core::Status Revalidate(Conn* conn);

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    std::mutex mu;
    std::unordered_map<int64_t, std::string> map;
    size_t bytes = 0;
  };
  Shard& ShardOf(int64_t id) { return shards_[static_cast<size_t>(id) % kShards]; }
  size_t max_shard_bytes_;
  std::atomic<int64_t> generation_{-1};  // events' generation the entries belong to
  Shard shards_[kShards];
};

// Whole answers of expensive reads (the weekly stats of a million events
// scan them all, 2 s), kept while the events do not change: keyed by the
// request target, valid for one events generation (EventStore::DataVersion),
// at most 64 at a time.
class ResponseCache {
 public:
  std::shared_ptr<const std::string> Get(const std::string& key, int64_t generation);
  void Put(const std::string& key, int64_t generation, std::string body);

 private:
  std::mutex mu_;
  int64_t generation_ = -1;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> map_;
};

class ConnPool {
 public:
  // Events and accounts come from `db`, alerts from `state_db`.
  ConnPool(std::string db, std::string state_db, int busy_timeout_ms)
      : db_(std::move(db)), state_db_(std::move(state_db)), busy_timeout_ms_(busy_timeout_ms) {}
  class Lease {
   public:
    Lease(ConnPool* pool, std::unique_ptr<Conn> c) : pool_(pool), c_(std::move(c)) {}
    Lease(Lease&& o) noexcept = default;
    ~Lease() {
      if (c_) pool_->Release(std::move(c_));
    }
    Conn* operator->() const { return c_.get(); }
    Conn* get() const { return c_.get(); }

   private:
    ConnPool* pool_;
    std::unique_ptr<Conn> c_;
  };
  core::Result<Lease> Acquire();

 private:
  void Release(std::unique_ptr<Conn> c);
  std::string db_, state_db_;
  int busy_timeout_ms_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Conn>> free_;
};

// Token buckets per client key.
class RateLimiter {
 public:
  RateLimiter(double per_second, double burst) : rate_(per_second), burst_(burst) {}
  // True when the request may go ahead; else sets *retry_after_s.
  bool Allow(const std::string& key, int* retry_after_s);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  double rate_, burst_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

// Request counts and latency histograms by route and status, for /metrics.
class Metrics {
 public:
  void Record(const std::string& route, const std::string& method, int status, double seconds);
  struct Gauges {
    int64_t db_bytes = 0, worker_threads = 0, open_connections = 0, queued_requests = 0;
  };
  std::string Render(const Gauges& g) const;

 private:
  static constexpr double kBuckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
  static constexpr size_t kNumBuckets = sizeof(kBuckets) / sizeof(kBuckets[0]);
  struct Series {
    int64_t count = 0;
    double sum = 0;
    int64_t buckets[kNumBuckets] = {};
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, int64_t> requests_;
  std::map<std::string, Series> latency_;
};

enum class Access {
  kOpen,     // anyone (health, metrics, sign-in; SMS webhooks check their own signature)
  kRead,     // viewer or above; anonymous with --public-read
  kReport,   // reporter or above: send community reports
  kRespond,  // responder or above: read reports, acknowledge alerts, triage
  kWrite,    // analyst or above; audited
  kAdmin,    // admin
};
// The lowest role an access level admits.
auth::Role RoleFor(Access a);

struct Ctx {
  const Request& req;
  Response& res;
  Conn* conn;
  std::optional<auth::Principal> who;
  std::string client;                      // remote address
  std::string audit_target, audit_detail;  // filled by write handlers
  std::string route;                       // the route's name ("/api/v1/events")
  // Set by a handler that wrote its audit row inside its own transaction
  // (AuditInTransaction); otherwise a successful write is audited after it.
  bool audit_written = false;
};

// The audit row of this request with `status`, marking it written: for
// ImportOptions::audit, so the row commits with the data.
store::AuditRecord AuditInTransaction(Ctx& c, int status);

using Handler = std::function<core::Status(Ctx&)>;

struct State {
  ServerOptions opt;
  std::shared_ptr<const geo::Reference> ref;
  ConnPool pool;
  std::unique_ptr<RateLimiter> limiter;
  Metrics metrics;
  FeatureCache features;
  ResponseCache stats_cache;  // GET /api/v1/stats
  std::string db_path;  // the SQLite file of /metrics (events database, or state database beside PostgreSQL)
  // Forecast responses by (snapshot id, level, horizon).
  std::mutex forecast_mu;
  std::map<std::tuple<int64_t, std::string, int>, std::shared_ptr<const std::string>> forecast_cache;
  // Simplified boundaries by name ("admin0", "admin1", "admin2").
  std::map<std::string, std::string> boundaries;
  std::map<std::string, std::string> admin_geometry;  // p-code -> simplified geometry JSON
  std::atomic<int64_t> started_at{0};
  // The early-warning loop, when --alerts is given.
  std::unique_ptr<alert::AlertService> alerts;
  explicit State(const ServerOptions& o, std::shared_ptr<const geo::Reference> r)
      : opt(o), ref(std::move(r)), pool(o.db, o.state_db.empty() ? o.db : o.state_db, o.busy_timeout_ms), features(static_cast<size_t>(o.cache_mb) << 20) {}
};

// JSON helpers.
void SendJson(Response& res, int status, const core::Json& j, const char* type = "application/json");
void SendError(Response& res, const core::Status& s);
void SendError(Response& res, int http_status, const std::string& code, const std::string& message);

// Query parameters: only `allowed` names; each at most once; valid UTF-8.
core::Status CheckParams(const Request& req, const std::vector<std::string>& allowed);
std::string Param(const Request& req, const char* name);
core::Result<int64_t> IntParam(const Request& req, const char* name, int64_t def, int64_t lo, int64_t hi);

core::Json EventFeature(const core::Event& e);

// The session id from the request's `vigil_session` cookie, or "".
std::string SessionCookie(const Request& req);
// Paging cursors: "<date_start>_<id>" of the last event of a page, read back
// as a store::EventFilter::after_key.
std::string MakeCursor(std::string_view date_start, int64_t id);
core::Result<std::pair<std::string, int64_t>> ParseCursor(const std::string& cursor);

// Registration of the API and OGC routes.
using RouteFn = std::function<void(const char* method, const std::string& pattern, const std::string& name,
                                   Access access, Handler h)>;
void AddApiRoutes(State& st, const RouteFn& route);
void AddOgcRoutes(State& st, const RouteFn& route);
void AddAlertRoutes(State& st, const RouteFn& route);
void AddRoadRoutes(State& st, const RouteFn& route);
void AddSiteRoutes(State& st, const RouteFn& route);
void AddRegionRoutes(State& st, const RouteFn& route);
void AddSignalRoutes(State& st, const RouteFn& route);
void AddSitrepRoutes(State& st, const RouteFn& route);
void AddScenarioRoutes(State& st, const RouteFn& route);

void BuildBoundaries(State& st);

}  // namespace vigil::server

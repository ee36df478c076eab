// Regressions for what a hostile tester did to `vigil serve` (issue 11),
// each against a running server on 127.0.0.1 over real sockets:
//   1. a deeply nested JSON body crashed the server (stack overflow);
//   2. slow clients held every worker, so /healthz timed out;
//   3. chunked bodies skipped the body limit;
//   4. a second server could share the port (SO_REUSEPORT);
//   6. one viewer's expensive reads starved every other client;
//   7. writes during an import failed with 500 and SQL text;
//  11. login timing revealed users; sessions outlived a password change;
//      logout needed no CSRF token; a write could lack its audit row;
//  12. 400,000 headers were accepted; Content-Length: -1 held a worker.
// Bounds on waiting here are liveness bounds many times larger than the
// behaviour needs (a server that works answers at once), never speeds.
#include <gtest/gtest.h>
#include <httplib.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "auth/accounts.h"
#include "core/event_json.h"
#include "regression/raw_http.h"
#include "server/scheduler.h"
#include "server/server.h"
#include "store/sqlite.h"
#include "test_support.h"

namespace vigil::server {
namespace {

using core::Json;
using testing::RawConn;

struct RunningServer {
  std::unique_ptr<Server> server;
  std::thread thread;
  ~RunningServer() {
    if (server) server->Stop();
    if (thread.joinable()) thread.join();
  }
  int port() const { return server->port(); }
};

class HostileHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    db_ = dir_->path() + "/t.db";
    auto st = testing::FreshStore(*dir_);
    auto acc = auth::Accounts::Open(db_);
    ASSERT_TRUE(acc.ok()) << acc.status().ToString();
    ASSERT_TRUE((*acc)->AddUser("ana", auth::Role::kAnalyst, "analyst-password").ok());
    analyst_ = (*acc)->CreateToken("ana", "test")->token;
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::unique_ptr<RunningServer> Start(ServerOptions o) {
    o.db = db_;
    o.port = 0;
    o.rate_limit = 0;
    auto s = Server::Create(o, testing::Ref());
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    auto rs = std::make_unique<RunningServer>();
    rs->server = std::move(*s);
    EXPECT_TRUE(rs->server->Bind().ok());
    rs->thread = std::thread([srv = rs->server.get()] { (void)srv->Run(); });
    return rs;
  }

  static int Healthz(int port, const std::string& source = "127.0.0.2") {
    RawConn c(port, source);
    if (!c.Send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")) return 0;
    return RawConn::Status(c.ReadResponse(30000));
  }

  static std::string Nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

  static inline testing::TempDir* dir_ = nullptr;
  static inline std::string db_, analyst_;
};

TEST_F(HostileHttpTest, DeeplyNestedJsonSessionBodyIs400AndServerStaysUp) {
  ServerOptions o;
  o.threads = 4;
  auto rs = Start(o);
  httplib::Client c("127.0.0.1", rs->port());
  c.set_read_timeout(60, 0);
  for (size_t depth : {50000u, 500000u}) {
    const std::string body = R"({"name": )" + Nested(depth) + R"(, "password": "x"})";
    auto r = c.Post("/api/v1/session", body, "application/json");
    ASSERT_TRUE(r) << "the server did not answer a body nested " << depth << " deep";
    EXPECT_EQ(r->status, 400) << r->body;
    EXPECT_EQ(Json::parse(r->body)["code"], "invalid_argument");
    EXPECT_NE(r->body.find("nested"), std::string::npos) << r->body;
  }
  // The analyst's write path and JSON Lines bodies too.
  auto e = c.Post("/api/v1/events", {{"Authorization", "Bearer " + analyst_}}, R"({"events": )" + Nested(100000) + "}",
                  "application/json");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->status, 400) << e->body;
  auto l = c.Post("/api/v1/events", {{"Authorization", "Bearer " + analyst_}}, Nested(100000) + "\n",
                  "application/x-ndjson");
  ASSERT_TRUE(l);
  EXPECT_EQ(l->status, 400) << l->body;
  EXPECT_EQ(Healthz(rs->port()), 200);
}

TEST_F(HostileHttpTest, SlowClientsDoNotHoldWorkersAndHealthzAnswers) {
  ServerOptions o;
  o.threads = 4;  // far fewer than the slow connections
  o.timeout_s = 60;
  auto rs = Start(o);
  std::vector<std::unique_ptr<RawConn>> slow;
  std::vector<bool> sent;
  for (int i = 0; i < 70; ++i) {
    auto c = std::make_unique<RawConn>(rs->port());
    ASSERT_TRUE(c->connected());
    // Half a request: the headers never end.
    sent.push_back(c->Send("POST /api/v1/session HTTP/1.1\r\nHost: t\r\n"));
    slow.push_back(std::move(c));
  }
  // Another client is served while all of them are held open.
  EXPECT_EQ(Healthz(rs->port()), 200);
  RawConn other(rs->port(), "127.0.0.3");
  ASSERT_TRUE(other.Send("GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  const std::string m = other.ReadResponse(30000);
  const size_t at = m.find("\nvigil_http_open_connections ");
  ASSERT_NE(at, std::string::npos) << m.substr(0, 300);
  EXPECT_GE(std::stoi(m.substr(at + 29)), 64) << "the slow connections should still be open";
  // Past the per-address cap (64), connections are answered 503 and closed.
  int capped = 0;
  for (size_t i = 0; i < slow.size(); ++i)
    if (!sent[i] || RawConn::Status(slow[i]->ReadResponse(50)) == 503) ++capped;
  EXPECT_EQ(capped, 6);
}

TEST_F(HostileHttpTest, TrickledHeadersCannotExtendTheHeaderDeadline) {
  ServerOptions o;
  o.timeout_s = 2;  // header deadline 2 s
  auto rs = Start(o);
  RawConn c(rs->port());
  ASSERT_TRUE(c.Send("GET /healthz HTTP/1.1\r\n"));
  // One byte every 200 ms for up to 30 s: a per-read timeout would never
  // fire; the deadline closes the connection after about 2 s.
  bool closed = false;
  for (int i = 0; i < 150 && !closed; ++i) {
    closed = !c.Send("X") || c.PeerClosed(200);
  }
  EXPECT_TRUE(closed) << "a trickle kept the connection open for 30 s";
}

TEST_F(HostileHttpTest, ChunkedBodyPastTheLimitIs413) {
  ServerOptions o;
  o.max_body_bytes = 64 * 1024;
  auto rs = Start(o);
  RawConn c(rs->port());
  ASSERT_TRUE(
      c.Send("POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: "
             "chunked\r\n\r\n"));
  const std::string chunk(16 * 1024, 'a');
  char size[16];
  std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
  // 8 MiB offered; the server must stop reading at 64 KiB.
  for (int i = 0; i < 512; ++i)
    if (!c.Send(size + chunk + "\r\n")) break;
  const std::string r = c.ReadResponse(30000);
  EXPECT_EQ(RawConn::Status(r), 413) << r.substr(0, 200);
  // An analyst's chunked write just over the limit too.
  RawConn w(rs->port());
  ASSERT_TRUE(w.Send("POST /api/v1/events HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + analyst_ +
                     "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
  for (int i = 0; i < 5; ++i) (void)w.Send(size + chunk + "\r\n");
  (void)w.Send("0\r\n\r\n");
  EXPECT_EQ(RawConn::Status(w.ReadResponse(30000)), 413);
  EXPECT_EQ(Healthz(rs->port()), 200);
}

TEST_F(HostileHttpTest, SecondServerOnAPortInUseRefusesToStart) {
  auto rs = Start(ServerOptions{});
  ServerOptions o;
  o.db = db_;
  o.port = rs->port();
  auto second = Server::Create(o, testing::Ref());
  ASSERT_TRUE(second.ok());
  core::Status s = (*second)->Bind();
  EXPECT_EQ(s.code(), core::Code::kConflict) << s.ToString();
  EXPECT_NE(s.message().find("in use"), std::string::npos);
  EXPECT_EQ(Healthz(rs->port()), 200);
}

TEST_F(HostileHttpTest, TooManyHeadersIs431AndNegativeContentLengthIs400) {
  ServerOptions o;
  o.timeout_s = 60;  // so a held connection could not pass for an answer
  auto rs = Start(o);
  {
    std::string req = "GET /healthz HTTP/1.1\r\nHost: t\r\n";
    for (int i = 0; i < 400; ++i) req += "X-" + std::to_string(i) + ": 1\r\n";
    RawConn c(rs->port());
    (void)c.Send(req + "\r\n");
    EXPECT_EQ(RawConn::Status(c.ReadResponse(30000)), 431);
  }
  {
    std::string req = "GET /healthz HTTP/1.1\r\nHost: t\r\n";
    for (int i = 0; i < 400000; ++i) req += "A:\r\n";
    RawConn c(rs->port());
    (void)c.Send(req + "\r\n");  // the server may close before reading it all
    EXPECT_EQ(RawConn::Status(c.ReadResponse(30000)), 431);
  }
  {
    RawConn c(rs->port());
    ASSERT_TRUE(c.Send("POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n"));
    EXPECT_EQ(RawConn::Status(c.ReadResponse(20000)), 400);
  }
  EXPECT_EQ(Healthz(rs->port()), 200);
}

TEST_F(HostileHttpTest, LoginTimingRevealedWhetherAUserExists) {
  auto acc = auth::Accounts::Open(db_);
  ASSERT_TRUE(acc.ok());
  // The same work (one argon2id verification) and the same answer either way.
  const int64_t before = auth::PasswordVerifications();
  auto known = (*acc)->CheckPassword("ana", "wrong-password");
  const int64_t after_known = auth::PasswordVerifications();
  auto unknown = (*acc)->CheckPassword("nobody-at-all", "wrong-password");
  const int64_t after_unknown = auth::PasswordVerifications();
  auto huge = (*acc)->CheckPassword("nobody", std::string(5000, 'x'));
  EXPECT_EQ(after_known - before, 1);
  EXPECT_EQ(after_unknown - after_known, 1);
  EXPECT_EQ(auth::PasswordVerifications() - after_unknown, 1);
  ASSERT_FALSE(known.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(known.status().message(), unknown.status().message());
  EXPECT_EQ(huge.status().message(), unknown.status().message());
}

TEST_F(HostileHttpTest, SessionsSurvivedAPasswordChange) {
  auto acc = auth::Accounts::Open(db_);
  ASSERT_TRUE(acc.ok());
  ASSERT_TRUE((*acc)->AddUser("pat", auth::Role::kViewer, "first-password").ok());
  auto p = (*acc)->CheckPassword("pat", "first-password");
  ASSERT_TRUE(p.ok());
  auto s = (*acc)->CreateSession(p->user_id, 3600);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*acc)->CheckSession(s->id).ok());
  ASSERT_TRUE((*acc)->SetPassword("pat", "second-password").ok());
  EXPECT_EQ((*acc)->CheckSession(s->id).status().code(), core::Code::kUnauthenticated);
}

TEST_F(HostileHttpTest, LogoutNeededNoCsrfToken) {
  ServerOptions o;
  auto rs = Start(o);
  httplib::Client c("127.0.0.1", rs->port());
  auto login = c.Post("/api/v1/session", R"({"name":"ana","password":"analyst-password"})", "application/json");
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200);
  const std::string set = login->get_header_value("Set-Cookie");
  const std::string cookie = set.substr(0, set.find(';'));
  const std::string csrf = Json::parse(login->body)["csrf_token"];
  // A cross-site request carries the cookie but cannot know the token.
  auto forged = c.Delete("/api/v1/session", {{"Cookie", cookie}});
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  EXPECT_EQ(c.Get("/api/v1/me", {{"Cookie", cookie}})->status, 200) << "the forged request signed the user out";
  auto real = c.Delete("/api/v1/session", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  ASSERT_TRUE(real);
  EXPECT_EQ(real->status, 200);
  EXPECT_EQ(c.Get("/api/v1/me", {{"Cookie", cookie}})->status, 401);
}

std::string PostableEvent(const std::string& id) {
  return R"({"source":"api-test","source_id":")" + id +
         R"(","date_start":"2025-07-03","latitude":14.45,"longitude":-11.44,"geo_precision":1,)"
         R"("event_type":"Battles","sub_event_type":"Armed clash","actor1":"JNIM"})";
}

TEST_F(HostileHttpTest, ACommittedWriteCouldLackItsAuditRow) {
  testing::TempDir dir;
  const std::string db = dir.path() + "/a.db";
  (void)testing::FreshStore(dir, "a.db");
  auto acc = auth::Accounts::Open(db);
  ASSERT_TRUE((*acc)->AddUser("ana", auth::Role::kAnalyst, "analyst-password").ok());
  const std::string token = (*acc)->CreateToken("ana", "t")->token;
  ServerOptions o;
  o.db = db;
  o.port = 0;
  auto s = Server::Create(o, testing::Ref());
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->Bind().ok());
  std::thread t([srv = s->get()] { (void)srv->Run(); });
  httplib::Client c("127.0.0.1", (*s)->port());
  const httplib::Headers auth{{"Authorization", "Bearer " + token}};
  auto ok = c.Post("/api/v1/events", auth, PostableEvent("E1"), "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 201);
  auto raw = store::Db::Open(db, false);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(*raw->QueryInt("SELECT count(*) FROM audit_log WHERE action = 'POST /api/v1/events'"), 1);
  // When the audit row cannot be written, the data must not be either.
  ASSERT_TRUE(raw->Exec("CREATE TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'x'); END").ok());
  auto refused = c.Post("/api/v1/events", auth, PostableEvent("E2"), "application/json");
  ASSERT_TRUE(refused);
  EXPECT_GE(refused->status, 500);
  EXPECT_EQ(*raw->QueryInt("SELECT count(*) FROM events WHERE source_id = 'E2'"), 0) << "a write without its audit row";
  (*s)->Stop();
  t.join();
}

TEST_F(HostileHttpTest, WritesDuringAnImportFailedWith500AndSqlText) {
  ServerOptions o;
  o.busy_timeout_ms = 300;
  auto rs = Start(o);
  // Another process holds the write lock, as a long CLI import does.
  auto holder = store::Db::Open(db_, false);
  ASSERT_TRUE(holder.ok());
  ASSERT_TRUE(holder->Exec("BEGIN IMMEDIATE").ok());
  httplib::Client c("127.0.0.1", rs->port());
  c.set_read_timeout(60, 0);
  auto r = c.Post("/api/v1/events", {{"Authorization", "Bearer " + analyst_}}, PostableEvent("L1"), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503) << r->body;
  EXPECT_FALSE(r->get_header_value("Retry-After").empty());
  EXPECT_EQ(r->body.find("INSERT"), std::string::npos) << "SQL text leaked: " << r->body;
  EXPECT_EQ(r->body.find("SELECT"), std::string::npos) << r->body;
  ASSERT_TRUE(holder->Exec("ROLLBACK").ok());
  auto after =
      c.Post("/api/v1/events", {{"Authorization", "Bearer " + analyst_}}, PostableEvent("L1"), "application/json");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 201) << after->body;
}

// Finding 6, at the scheduler: a client whose requests all block cannot take
// the workers another client and the health check need.
TEST(SchedulerFairness, OneClientsSlowRequestsStarvedEveryoneElse) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  int started_a = 0;
  bool ran_b = false, ran_health = false;
  {
    SchedulerOptions o;
    o.workers = 4;
    o.max_running_per_client = 2;
    Scheduler sched(o);
    for (int i = 0; i < 64; ++i)
      ASSERT_TRUE(sched.Submit("10.0.0.1", [&] {
        std::unique_lock<std::mutex> lock(mu);
        ++started_a;
        cv.notify_all();
        cv.wait(lock, [&] { return release; });
      }));
    ASSERT_TRUE(sched.Submit("10.0.0.2", [&] {
      std::lock_guard<std::mutex> lock(mu);
      ran_b = true;
      cv.notify_all();
    }));
    ASSERT_TRUE(sched.SubmitPriority([&] {
      std::lock_guard<std::mutex> lock(mu);
      ran_health = true;
      cv.notify_all();
    }));
    {
      std::unique_lock<std::mutex> lock(mu);
      // Waits without a clock: if B could not run, this never returns and
      // the test runner's timeout fails the test.
      cv.wait(lock, [&] { return ran_b && ran_health && started_a == 2; });
      EXPECT_EQ(started_a, 2) << "client A ran more than its share at once";
      release = true;
      cv.notify_all();
    }
    // A full queue is refused, not grown.
    for (int i = 0; i < 200; ++i) (void)sched.Submit("10.0.0.3", [] {});
  }
  EXPECT_EQ(started_a, 64) << "every queued request runs in the end";
}

TEST_F(HostileHttpTest, AnUnboundedReadHadNoCostBudget) {
  ServerOptions o;
  o.query_max_steps = 2000;  // a deterministic budget: a few thousand VM steps
  auto rs = Start(o);
  auto acc = auth::Accounts::Open(db_);
  const std::string viewer = (*acc)->CreateToken("ana", "budget")->token;
  // Enough events that the unfiltered stats query needs far more steps.
  std::string lines;
  for (int i = 0; i < 400; ++i) lines += PostableEvent("budget-" + std::to_string(i)) + "\n";
  httplib::Client c("127.0.0.1", rs->port());
  auto post = c.Post("/api/v1/events", {{"Authorization", "Bearer " + viewer}}, lines, "application/x-ndjson");
  ASSERT_TRUE(post);
  ASSERT_EQ(post->status, 201) << post->body;
  auto r = c.Get("/api/v1/stats", {{"Authorization", "Bearer " + viewer}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503) << r->body;
  EXPECT_NE(r->body.find("budget"), std::string::npos) << r->body;
  EXPECT_EQ(Healthz(rs->port()), 200);
}

}  // namespace
}  // namespace vigil::server

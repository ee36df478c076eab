// Regressions for what a hostile tester did to `vigil serve` (issue 11),
// each against a running server on 127.0.0.1 over real sockets:
//   1. a deeply nested JSON body crashed the server (stack overflow);
//   2. slow clients held every worker, so /healthz timed out;
//   3. chunked bodies skipped the body limit;
//   4. a second server could share the port (SO_REUSEPORT);
//  12. 400,000 headers were accepted; Content-Length: -1 held a worker.
// Bounds on waiting here are liveness bounds many times larger than the
// behaviour needs (a server that works answers at once), never speeds.
#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <thread>
#include <vector>

#include "auth/accounts.h"
#include "core/event_json.h"
#include "regression/raw_http.h"
#include "server/server.h"
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

}  // namespace
}  // namespace vigil::server

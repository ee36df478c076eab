// `vigil serve` on PostgreSQL, end to end over real sockets: events,
// accounts, sessions and the audit log in a throwaway PostgreSQL server this
// test starts; alerts, sites and briefs in the SQLite state database beside
// it (--state-db). A team's servers share the first; the second is local.
#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

#include "auth/accounts.h"
#include "core/json.h"
#include "ingest/importer.h"
#include "ingest/setup.h"
#include "model/site_store.h"
#include "pg_cluster.h"
#include "server/server.h"
#include "store/store.h"
#include "test_support.h"

namespace vigil::server {
namespace {

using core::Json;
using testing::Ref;

class PgServeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto* cluster = testing::SharedPgCluster();
    ASSERT_NE(cluster, nullptr);
    auto url = cluster->CreateDatabase("serve");
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    url_ = *url;
    dir_ = new testing::TempDir();
    state_ = "sqlite://" + dir_->path() + "/state.db";
    {
      auto st = store::EventStore::Open(url_, true);
      ASSERT_TRUE(st.ok()) << st.status().ToString();
      ASSERT_TRUE(ingest::InitDatabase(st->get(), *Ref()).ok());
      ingest::Importer imp(st->get(), Ref());
      auto r = imp.ImportFile(ingest::SourceKind::kJsonl,
                              std::string(VIGIL_TEST_DATA_DIR) + "/events/seed_events.jsonl", {});
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      imported_ = r->summary.rows_new;
      auto state = store::EventStore::Open(state_, true);
      ASSERT_TRUE(state.ok()) << state.status().ToString();
      ASSERT_TRUE((*state)->Migrate().ok());
    }
    auto acc = auth::Accounts::Open(url_);
    ASSERT_TRUE(acc.ok()) << acc.status().ToString();
    ASSERT_TRUE((*acc)->AddUser("vera", auth::Role::kViewer, "viewer-password").ok());
    ASSERT_TRUE((*acc)->AddUser("ana", auth::Role::kAnalyst, "analyst-password").ok());
    viewer_ = (*acc)->CreateToken("vera", "test")->token;
    analyst_ = (*acc)->CreateToken("ana", "test")->token;
    ServerOptions o;
    o.db = url_;
    o.state_db = state_;
    o.port = 0;
    o.threads = 4;
    o.rate_limit = 0;
    o.briefs_every_s = 0;
    auto s = Server::Create(o, Ref());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = s->release();
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = new std::thread([] { (void)server_->Run(); });
  }
  static void TearDownTestSuite() {
    if (server_) {
      server_->Stop();
      thread_->join();
    }
    delete thread_;
    delete server_;
    delete dir_;
  }
  void SetUp() override { ASSERT_NE(server_, nullptr) << "the server did not start"; }

  static httplib::Client Client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(30, 0);
    return c;
  }
  static httplib::Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

  static inline testing::TempDir* dir_ = nullptr;
  static inline std::string url_, state_, viewer_, analyst_;
  static inline int64_t imported_ = 0;
  static inline Server* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;
};

TEST_F(PgServeTest, ReadsComeFromPostgresWithTokensStoredThere) {
  auto c = Client();
  EXPECT_EQ(c.Get("/api/v1/events")->status, 401);
  EXPECT_EQ(c.Get("/api/v1/events", Bearer("vgl_not-a-real-token-at-all"))->status, 401);
  auto all = c.Get("/api/v1/events?limit=10000", Bearer(viewer_));
  ASSERT_EQ(all->status, 200) << all->body;
  ASSERT_GT(imported_, 0);
  EXPECT_EQ(static_cast<int64_t>(Json::parse(all->body)["features"].size()), imported_);
  // The box query of OGC API - Features, on the GiST index.
  auto box = c.Get("/ogc/collections/events/items?bbox=-12.5,10,-10,15.5&limit=10000", Bearer(viewer_));
  ASSERT_EQ(box->status, 200) << box->body;
  const Json in_box = Json::parse(box->body)["features"];
  EXPECT_GT(in_box.size(), 0u);
  EXPECT_LT(static_cast<int64_t>(in_box.size()), imported_);
  for (const auto& f : in_box) {
    const double lon = f["geometry"]["coordinates"][0], lat = f["geometry"]["coordinates"][1];
    EXPECT_TRUE(lon >= -12.5 && lon <= -10 && lat >= 10 && lat <= 15.5) << f.dump();
  }
}

TEST_F(PgServeTest, AWriteLandsInPostgresWithItsAuditRow) {
  auto c = Client();
  const std::string event =
      R"({"source":"pg-serve","source_id":"W-1","date_start":"2025-07-03","date_end":"2025-07-03",)"
      R"("date_precision":"day","latitude":14.45,"longitude":-11.44,"geo_precision":1,"location":"Kayes",)"
      R"("event_type":"Battles","sub_event_type":"Armed clash","actor1":"JNIM","fatalities":2})";
  EXPECT_EQ(c.Post("/api/v1/events", Bearer(viewer_), event, "application/json")->status, 403);
  auto r = c.Post("/api/v1/events", Bearer(analyst_), event, "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  auto st = store::EventStore::Open(url_, false);
  ASSERT_TRUE(st.ok());
  store::EventFilter f;
  f.sources = {"pg-serve"};
  auto found = (*st)->CountEvents(f);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(*found, 1);
  auto acc = auth::Accounts::Open(url_);
  ASSERT_TRUE(acc.ok());
  auto log = (*acc)->ListAudit(100);
  ASSERT_TRUE(log.ok());
  bool written = false;
  for (const auto& e : *log) written |= e.user == "ana" && e.action == "POST /api/v1/events" && e.status == 201;
  EXPECT_TRUE(written);
  auto check = (*acc)->VerifyAudit();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok) << check->problem;
}

TEST_F(PgServeTest, SessionsLiveInPostgresAndEndWithAPasswordChange) {
  auto c = Client();
  EXPECT_EQ(c.Post("/api/v1/session", R"({"name":"vera","password":"wrong-password"})", "application/json")->status,
            401);
  auto login = c.Post("/api/v1/session", R"({"name":"vera","password":"viewer-password"})", "application/json");
  ASSERT_EQ(login->status, 200) << login->body;
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  auto me = c.Get("/api/v1/me", {{"Cookie", cookie}});
  ASSERT_EQ(me->status, 200);
  EXPECT_EQ(Json::parse(me->body)["user"], "vera");
  auto acc = auth::Accounts::Open(url_);
  ASSERT_TRUE(acc.ok());
  ASSERT_TRUE((*acc)->SetPassword("vera", "viewer-password-2").ok());
  EXPECT_EQ(c.Get("/api/v1/me", {{"Cookie", cookie}})->status, 401);
}

TEST_F(PgServeTest, SitesGoToTheStateDatabase) {
  auto c = Client();
  const std::string site =
      R"({"type":"Feature","geometry":{"type":"Point","coordinates":[-11.44,14.45]},)"
      R"("properties":{"name":"Diamou plant","type":"plant","radius_km":25}})";
  auto r = c.Post("/api/v1/sites", Bearer(analyst_), site, "application/geo+json");
  ASSERT_EQ(r->status, 201) << r->body;
  auto sites = model::SiteStore::Open(state_);
  ASSERT_TRUE(sites.ok()) << sites.status().ToString();
  auto list = (*sites)->List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name, "Diamou plant");
  auto read = c.Get("/api/v1/sites?exposure=true", Bearer(viewer_));
  ASSERT_EQ(read->status, 200) << read->body;
  EXPECT_EQ(Json::parse(read->body)["features"].size(), 1u);
}

TEST(PgServeOptions, APostgresStateDatabaseIsRefusedWithTheWayOut) {
  auto* cluster = testing::SharedPgCluster();
  ASSERT_NE(cluster, nullptr);
  auto url = cluster->CreateDatabase("serve_refused");
  ASSERT_TRUE(url.ok());
  ServerOptions o;
  o.db = *url;
  o.port = 0;
  auto s = Server::Create(o, Ref());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), core::Code::kInvalidArgument);
  EXPECT_NE(s.status().message().find("--state-db"), std::string::npos) << s.status().message();
}

}  // namespace
}  // namespace vigil::server

// The HTTP server end to end, in process, over real sockets on 127.0.0.1:
// authentication and roles, hostile input (SQL-injection strings, absurd
// values, oversized and malformed bodies) leaving the database byte-for-byte
// unchanged, CSRF, rate limits, the audit log, paging, OGC API - Features and
// the forecast endpoint.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sqlite3.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <fstream>
#include <sstream>
#include <thread>

#include "auth/accounts.h"
#include "core/event_json.h"
#include "ingest/importer.h"
#include "model/service.h"
#include "model/simulate.h"
#include "query/actor_aliases.h"
#include "report/sitrep.h"
#include "report/sitrep_store.h"
#include "report/weekly.h"
#include "scenario/engine.h"
#include "scenario/scenario_store.h"
#include "server/compress.h"
#include "server/server.h"
#include "test_support.h"

namespace vigil::server {
namespace {

using core::Json;
using testing::Ref;

// Every row of the tables a request could change, as one string.
std::string Digest(const std::string& db_path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::string out;
  for (const char* table : {"events", "event_sources", "source_records", "source_chunks", "source_files", "users",
                            "api_tokens", "audit_log", "model_snapshots"}) {
    sqlite3_stmt* st = nullptr;
    const std::string sql = std::string("SELECT * FROM ") + table + " ORDER BY 1";
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << table;
    out += table;
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const unsigned char* t = sqlite3_column_text(st, c);
        out += t ? reinterpret_cast<const char*>(t) : "<null>";
        out += '\x1f';
      }
      out += '\n';
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return out;
}

class HttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    db_ = dir_->path() + "/t.db";
    auto st = testing::FreshStore(*dir_);
    ingest::Importer imp(st.get(), Ref());
    auto r =
        imp.ImportFile(ingest::SourceKind::kJsonl, std::string(VIGIL_TEST_DATA_DIR) + "/events/seed_events.jsonl", {});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    auto acc = auth::Accounts::Open(db_);
    ASSERT_TRUE(acc.ok()) << acc.status().ToString();
    ASSERT_TRUE((*acc)->AddUser("vera", auth::Role::kViewer, "viewer-password").ok());
    ASSERT_TRUE((*acc)->AddUser("ana", auth::Role::kAnalyst, "analyst-password").ok());
    ASSERT_TRUE((*acc)->AddUser("root", auth::Role::kAdmin, "admin-password").ok());
    viewer_ = (*acc)->CreateToken("vera", "test")->token;
    analyst_ = (*acc)->CreateToken("ana", "test")->token;
    admin_ = (*acc)->CreateToken("root", "test")->token;
    auto revoked = (*acc)->CreateToken("ana", "old");
    revoked_ = revoked->token;
    ASSERT_TRUE((*acc)->RevokeToken(revoked->id).ok());
    ServerOptions o;
    o.db = db_;
    o.port = 0;
    o.threads = 8;
    o.max_body_bytes = 64 * 1024;
    o.rate_limit = 0;
    o.query_budget_ms = 300000;  // not what these tests are about (see PublicReadRateLimitAndForecast)
    auto s = Server::Create(o, Ref());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = s->release();
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = new std::thread([] { (void)server_->Run(); });
  }
  static void TearDownTestSuite() {
    server_->Stop();
    thread_->join();
    delete thread_;
    delete server_;
    delete dir_;
  }

  static httplib::Client Client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(30, 0);
    return c;
  }
  static httplib::Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

  static inline testing::TempDir* dir_ = nullptr;
  static inline std::string db_, viewer_, analyst_, admin_, revoked_;
  static inline Server* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;
};

std::string OneEvent(const std::string& id) {
  return R"({"source":"api-test","source_id":")" + id +
         R"(","date_start":"2025-07-03","date_end":"2025-07-03","date_precision":"day","latitude":14.45,)"
         R"("longitude":-11.44,"geo_precision":1,"location":"Kayes","event_type":"Battles",)"
         R"("sub_event_type":"Armed clash","actor1":"JNIM","fatalities":2})";
}

TEST_F(HttpTest, HealthAndMetricsAreOpen) {
  auto c = Client();
  auto h = c.Get("/healthz");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
  EXPECT_EQ(Json::parse(h->body)["status"], "ok");
  auto m = c.Get("/metrics");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, 200);
  EXPECT_NE(m->body.find("vigil_http_requests_total{route=\"/healthz\""), std::string::npos);
  EXPECT_NE(m->body.find("vigil_db_size_bytes "), std::string::npos);
  EXPECT_NE(m->body.find("vigil_http_request_duration_seconds_bucket"), std::string::npos);
}

TEST_F(HttpTest, NoTokenIs401WrongRoleIs403RevokedIs401) {
  auto c = Client();
  auto none = c.Get("/api/v1/events");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(Json::parse(none->body)["code"], "unauthenticated");
  EXPECT_EQ(c.Get("/api/v1/events", Bearer("vgl_not-a-real-token-at-all"))->status, 401);
  EXPECT_EQ(c.Get("/api/v1/events", Bearer(revoked_))->status, 401);
  EXPECT_EQ(c.Get("/api/v1/events", {{"Authorization", "Basic dXNlcjpwYXNz"}})->status, 401);
  EXPECT_EQ(c.Get("/ogc/collections/events/items", Bearer(revoked_))->status, 401);
  EXPECT_EQ(c.Get("/api/v1/events", Bearer(viewer_))->status, 200);

  const std::string before = Digest(db_);
  auto post = c.Post("/api/v1/events", Bearer(viewer_), OneEvent("role-1"), "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 403);
  EXPECT_EQ(Json::parse(post->body)["code"], "permission_denied");
  EXPECT_EQ(c.Get("/api/v1/audit", Bearer(analyst_))->status, 403);
  EXPECT_EQ(c.Post("/api/v1/events", Bearer(revoked_), OneEvent("role-2"), "application/json")->status, 401);
  EXPECT_EQ(c.Post("/api/v1/events", OneEvent("role-3"), "application/json")->status, 401);
  EXPECT_EQ(Digest(db_), before) << "a refused write changed the database";
}

TEST_F(HttpTest, HostileFilterValuesGive400OrNoEffectAndChangeNothing) {
  auto c = Client();
  const std::string before = Digest(db_);
  auto all = c.Get("/api/v1/events?limit=10000&format=json", Bearer(viewer_));
  ASSERT_EQ(all->status, 200);
  const size_t total = Json::parse(all->body)["events"].size();
  const std::vector<std::string> injections = {"' OR 1=1 --",   "'; DROP TABLE events; --",
                                               "\" OR \"\"=\"", "1) UNION SELECT * FROM users --",
                                               "%' OR '1'='1",  "Kayes'); DELETE FROM events; --"};
  const std::vector<std::string> params = {"country",   "admin1",         "admin2", "bbox",   "near",
                                           "radius_km", "from",           "to",     "type",   "sub_type",
                                           "actor",     "min_fatalities", "limit",  "cursor", "format"};
  for (const auto& p : params)
    for (const auto& v : injections) {
      const std::string url = "/api/v1/events?format=json&" + p + "=" + httplib::detail::encode_query_param(v);
      auto r = c.Get(url, Bearer(viewer_));
      ASSERT_TRUE(r) << url;
      if (r->status == 200) {
        // Only a free-text filter may accept it, and it must not widen the result.
        EXPECT_EQ(p, "actor") << url;
        EXPECT_LE(Json::parse(r->body)["events"].size(), total) << url;
      } else {
        EXPECT_TRUE(r->status == 400 || r->status == 404) << url << " -> " << r->status << " " << r->body;
        auto j = Json::parse(r->body);
        EXPECT_TRUE(j.contains("code") && j.contains("message")) << r->body;
      }
    }
  const std::vector<std::string> absurd = {"limit=-1",
                                           "limit=0",
                                           "limit=99999999999999999999",
                                           "limit=1e9",
                                           "bbox=999,999,1000,1000",
                                           "bbox=10,10,5,5",
                                           "bbox=1,2,3",
                                           "bbox=nan,nan,nan,nan",
                                           "near=91,0",
                                           "near=0,0&radius_km=1e308",
                                           "near=0,0&radius_km=-5",
                                           "from=2025-13-45",
                                           "from=2025-02-30",
                                           "to=0000-00-00",
                                           "from=2025-07-01&to=2024-01-01",
                                           "min_fatalities=-5",
                                           "min_fatalities=abc",
                                           "type=Nonsense",
                                           "sub_type=Nonsense",
                                           "cursor=garbage",
                                           "cursor=2025-07-01_abc",
                                           "format=xml",
                                           "unknown=1",
                                           "limit=5&limit=6",
                                           "actor=" + std::string(5000, 'a')};
  for (const auto& q : absurd) {
    auto r = c.Get("/api/v1/events?" + q, Bearer(viewer_));
    ASSERT_TRUE(r) << q;
    EXPECT_EQ(r->status, 400) << q << " -> " << r->body;
  }
  for (const auto& q : {"period=year", "by=admin3", "bbox=1,2"}) {
    auto r = c.Get(std::string("/api/v1/stats?") + q, Bearer(viewer_));
    EXPECT_EQ(r->status, 400) << q;
  }
  EXPECT_EQ(c.Get("/api/v1/events/0", Bearer(viewer_))->status, 400);
  EXPECT_EQ(c.Get("/api/v1/events/abc", Bearer(viewer_))->status, 400);
  EXPECT_EQ(c.Get("/api/v1/events/999999999", Bearer(viewer_))->status, 404);
  EXPECT_EQ(c.Get("/api/v1/forecast?level=planet", Bearer(viewer_))->status, 400);
  EXPECT_EQ(c.Get("/api/v1/forecast?horizon=100000", Bearer(viewer_))->status, 400);
  EXPECT_EQ(Digest(db_), before);
}

TEST_F(HttpTest, MalformedAndOversizedBodiesAreRefusedAndChangeNothing) {
  auto c = Client();
  const std::string before = Digest(db_);
  auto big = c.Post("/api/v1/events", Bearer(analyst_), std::string(200 * 1024, '{'), "application/json");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_EQ(Json::parse(big->body)["code"], "payload_too_large");
  EXPECT_EQ(c.Post("/api/v1/events", Bearer(analyst_), "{not json", "application/json")->status, 400);
  EXPECT_EQ(c.Post("/api/v1/events", Bearer(analyst_), "{\"a\":\"\xff\xfe\"}", "application/json")->status, 400);
  EXPECT_EQ(c.Post("/api/v1/events", Bearer(analyst_), OneEvent("x"), "text/plain")->status, 400);
  EXPECT_EQ(c.Post("/api/v1/events", Bearer(analyst_), "[]", "application/json")->status, 400);
  // One bad event among good ones: nothing is stored.
  const std::string mixed = "{\"events\":[" + OneEvent("mixed-1") + "," +
                            R"({"source":"api-test","source_id":"mixed-2","date_start":"2025-02-30"})" + "]}";
  auto m = c.Post("/api/v1/events", Bearer(analyst_), mixed, "application/json");
  EXPECT_EQ(m->status, 400) << m->body;
  auto bad_lat = OneEvent("lat");
  bad_lat.replace(bad_lat.find("14.45"), 5, "914.5");
  EXPECT_EQ(c.Post("/api/v1/events", Bearer(analyst_), bad_lat, "application/json")->status, 400);
  EXPECT_EQ(c.Post("/api/v1/extract", Bearer(analyst_), "\xff\xfe\x00 binary", "text/plain")->status, 400);
  EXPECT_EQ(c.Post("/api/v1/extract", Bearer(analyst_), "{\"text\": 5}", "application/json")->status, 400);
  EXPECT_EQ(c.Post("/api/v1/session", "{\"name\":\"ana\"}", "application/json")->status, 400);
  // Invalid UTF-8 in the query string.
  EXPECT_EQ(c.Get("/api/v1/events?actor=%ff%fe", Bearer(viewer_))->status, 400);
  EXPECT_EQ(c.Get("/ogc/collections/events/items?datetime=%c3%28", Bearer(viewer_))->status, 400);
  EXPECT_EQ(Digest(db_), before);
}

TEST_F(HttpTest, AnalystWritesAreStoredAndAudited) {
  auto c = Client();
  auto r = c.Post("/api/v1/events", Bearer(analyst_), OneEvent("audit-1"), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(Json::parse(r->body)["new"], 1);
  // The same event again changes nothing.
  auto again = c.Post("/api/v1/events", Bearer(analyst_), OneEvent("audit-1"), "application/json");
  EXPECT_EQ(Json::parse(again->body)["unchanged"], 1);
  auto found = c.Get("/api/v1/events?format=json&actor=JNIM&from=2025-07-03&to=2025-07-03", Bearer(viewer_));
  ASSERT_EQ(found->status, 200) << found->body;
  bool seen = false;
  int64_t id = 0;
  const Json found_json = Json::parse(found->body);
  for (const auto& e : found_json["events"])
    if (e["source_id"] == "audit-1") seen = true, id = e["id"];
  EXPECT_TRUE(seen);
  auto one = c.Get("/api/v1/events/" + std::to_string(id), Bearer(viewer_));
  ASSERT_EQ(one->status, 200);
  auto j = Json::parse(one->body);
  EXPECT_EQ(j["properties"]["provenance"][0]["source_id"], "audit-1");
  EXPECT_EQ(j["geometry"]["type"], "Point");
  auto audit = c.Get("/api/v1/audit?limit=5", Bearer(admin_));
  ASSERT_EQ(audit->status, 200);
  auto entries = Json::parse(audit->body)["entries"];
  ASSERT_GE(entries.size(), 2u);
  EXPECT_EQ(entries[0]["user"], "ana");
  EXPECT_EQ(entries[0]["action"], "POST /api/v1/events");
  EXPECT_EQ(entries[0]["status"], 201);
}

TEST_F(HttpTest, CachedEventsFollowWritesFromThisServerAndFromOtherProcesses) {
  auto c = Client();
  const std::string box = "/api/v1/events?bbox=-11.6,14.3,-11.3,14.6&limit=100";
  // The stats are kept whole too (ResponseCache): they follow the same writes.
  auto total = [&] {
    return Json::parse(c.Get("/api/v1/stats?period=week&by=none", Bearer(viewer_))->body)["total"]["events"]
        .get<int64_t>();
  };
  const int64_t before = total();
  EXPECT_EQ(total(), before);  // served from the cache
  auto fatalities_of = [&](const std::string& source_id) -> int64_t {
    auto r = c.Get(box, Bearer(viewer_));
    EXPECT_EQ(r->status, 200);
    const Json j = Json::parse(r->body);
    for (const auto& f : j["features"])
      if (f["properties"]["source_id"] == source_id)
        return f["properties"]["fatalities"].is_null() ? -1 : f["properties"]["fatalities"].get<int64_t>();
    return -2;
  };
  ASSERT_EQ(c.Post("/api/v1/events", Bearer(analyst_), OneEvent("cache-1"), "application/json")->status, 201);
  EXPECT_EQ(fatalities_of("cache-1"), 2);  // now cached
  EXPECT_EQ(total(), before + 1);
  // A revision through the API.
  std::string revised = OneEvent("cache-1");
  revised.replace(revised.find("\"fatalities\":2"), 14, "\"fatalities\":5");
  auto r = c.Post("/api/v1/events", Bearer(analyst_), revised, "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(fatalities_of("cache-1"), 5);
  // A revision by another process (another connection), as `vigil ingest` does.
  {
    auto st = store::EventStore::Open(db_, false);
    ASSERT_TRUE(st.ok());
    ingest::Importer imp(st->get(), Ref());
    std::string again = OneEvent("cache-1");
    again.replace(again.find("\"fatalities\":2"), 14, "\"fatalities\":9");
    ASSERT_TRUE(imp.ImportJsonlContent("other-process", again + "\n", "jsonl", {}).ok());
  }
  EXPECT_EQ(fatalities_of("cache-1"), 9);
  {
    auto st = store::EventStore::Open(db_, false);
    ASSERT_TRUE(st.ok());
    ingest::Importer imp(st->get(), Ref());
    ASSERT_TRUE(imp.ImportJsonlContent("other-process", OneEvent("cache-2") + "\n", "jsonl", {}).ok());
  }
  EXPECT_EQ(total(), before + 2);  // another process's import
}

// Stats count an unknown fatality count as unknown, not zero, and equal a
// direct query of the store.
TEST_F(HttpTest, StatsSayHowManyFatalityCountsAreKnownAndMatchTheStore) {
  auto c = Client();
  const std::pair<std::string, std::string> regions[] = {{"Kayes", "kayes"}, {"Ségou", "segou"}};
  for (const auto& [region, param] : regions) {
    auto st = store::EventStore::Open(db_, false);
    ASSERT_TRUE(st.ok());
    store::EventFilter f;
    f.admin1 = {region};
    auto events = (*st)->QueryEvents(f);
    ASSERT_TRUE(events.ok());
    int64_t known = 0, sum = 0;
    for (const auto& e : *events)
      if (e.fatalities) ++known, sum += *e.fatalities;
    ASSERT_LT(known, static_cast<int64_t>(events->size())) << region << ": the case needs unknown counts";
    auto r = c.Get("/api/v1/stats?admin1=" + param, Bearer(viewer_));
    ASSERT_EQ(r->status, 200) << r->body;
    const Json total = Json::parse(r->body)["total"];
    EXPECT_EQ(total["events"], static_cast<int64_t>(events->size())) << region;
    EXPECT_EQ(total["fatalities_known"], known) << region;
    if (known == 0) {
      EXPECT_TRUE(total["fatalities"].is_null()) << region << ": " << total.dump();
    } else {
      EXPECT_EQ(total["fatalities"], sum) << region;
    }
    const Json doc = Json::parse(r->body);  // kept: a range-for would not extend a temporary's life
    for (const auto& row : doc["rows"]) EXPECT_EQ(row["country"], "Mali") << row.dump();
  }
}

// The actor filter finds what a reader calls an actor: FAMa is the data's
// "Military Forces of Mali".
TEST_F(HttpTest, ActorAliasesFindTheNamesTheDataUses) {
  auto c = Client();
  auto count = [&](const std::string& q) {
    auto r = c.Get("/api/v1/events?limit=500&actor=" + q, Bearer(viewer_));
    EXPECT_EQ(r->status, 200) << r->body;
    return Json::parse(r->body)["features"].size();
  };
  const size_t army = count("Military%20Forces%20of%20Mali");
  ASSERT_GT(army, 0u);
  EXPECT_EQ(count("FAMa"), army);
  EXPECT_EQ(count("fama"), army);
  EXPECT_EQ(count("Xyzzy"), 0u);
}

TEST(ActorAliases, AnAliasAddsItsNamesAndTheTypedTextIsAlwaysSearched) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() + "/lexicon");
  std::ofstream(dir.path() + "/lexicon/actors.tsv")
      << "# alias\tcanonical\tkind\nfama\tMilitary Forces of Mali\tstate\n"
         "wagner\tWagner Group\tstate\n";
  std::ofstream(dir.path() + "/lexicon/actor_search.tsv") << "wagner\tWagner Group|Africa Corps\n";
  auto a = query::ActorAliases::Load(dir.path());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ((*a)->Expand("FAMa"), (std::vector<std::string>{"FAMa", "Military Forces of Mali"}));
  EXPECT_EQ((*a)->Expand("Wagner"), (std::vector<std::string>{"Wagner", "Wagner Group", "Africa Corps"}));
  EXPECT_EQ((*a)->Expand("JNIM"), (std::vector<std::string>{"JNIM"}));
  testing::TempDir empty;
  auto missing = query::ActorAliases::Load(empty.path());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("actors.tsv"), std::string::npos);
}

std::string Gunzip(const std::string& z) {
  z_stream s{};
  EXPECT_EQ(inflateInit2(&s, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  std::string all;
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.data()));
  s.avail_in = static_cast<uInt>(z.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = static_cast<uInt>(out.size());
    rc = inflate(&s, Z_NO_FLUSH);
    all.append(out.data(), out.size() - s.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END);
  inflateEnd(&s);
  return all;
}

// On slow links: JSON goes gzip-encoded to a client that accepts it, the
// same bytes once decoded; as it is to one that does not, or refuses gzip.
TEST_F(HttpTest, JsonIsGzippedForClientsThatAcceptIt) {
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, gzip;q=0.8"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("*, gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip(""));
  auto c = Client();
  c.set_decompress(false);  // the bytes on the wire
  auto plain = c.Get("/api/v1/events?limit=100", Bearer(viewer_));
  ASSERT_EQ(plain->status, 200);
  EXPECT_FALSE(plain->has_header("Content-Encoding"));
  EXPECT_EQ(plain->get_header_value("Vary"), "Accept-Encoding");
  auto h = Bearer(viewer_);
  h.emplace("Accept-Encoding", "gzip");
  auto zipped = c.Get("/api/v1/events?limit=100", h);
  ASSERT_EQ(zipped->status, 200);
  EXPECT_EQ(zipped->get_header_value("Content-Encoding"), "gzip");
  EXPECT_LT(zipped->body.size(), plain->body.size() / 2);
  EXPECT_EQ(Gunzip(zipped->body), plain->body);
  auto refused = Bearer(viewer_);
  refused.emplace("Accept-Encoding", "gzip;q=0");
  EXPECT_FALSE(c.Get("/api/v1/events?limit=100", refused)->has_header("Content-Encoding"));
  // Small bodies are not worth it.
  auto small = c.Get("/healthz", {{"Accept-Encoding", "gzip"}});
  EXPECT_FALSE(small->has_header("Content-Encoding"));
}

TEST_F(HttpTest, SourcesSayWhetherTheDataIsSimulated) {
  auto c = Client();
  auto r = c.Get("/api/v1/sources", Bearer(viewer_));
  ASSERT_EQ(r->status, 200) << r->body;
  const Json j = Json::parse(r->body);
  EXPECT_FALSE(j["simulated"].get<bool>()) << r->body;
  EXPECT_NE(std::find(j["sources"].begin(), j["sources"].end(), "report"), j["sources"].end()) << r->body;
  EXPECT_EQ(c.Get("/api/v1/sources")->status, 401);
}

// A region page's numbers come from the server over every stored event,
// relative to the date asked for, and equal a direct query of the store.
TEST_F(HttpTest, RegionPageCountsEqualTheStoreRelativeToTheDateAsked) {
  auto c = Client();
  auto st = store::EventStore::Open(db_, false);
  ASSERT_TRUE(st.ok());
  auto count = [&](core::Date from, core::Date to) {
    store::EventFilter f;
    f.admin1 = {"Kayes"};
    f.from = from;
    f.to = to;
    return *(*st)->CountEvents(f);
  };
  const core::Date to = *core::Date::Parse("2025-09-20");
  auto r = c.Get("/api/v1/regions/kayes?to=2025-09-20", Bearer(viewer_));
  ASSERT_EQ(r->status, 200) << r->body;
  const Json j = Json::parse(r->body);
  EXPECT_EQ(j["admin1"], "Kayes");
  EXPECT_EQ(j["events"], count(to - 89, to));  // the 90 days to the date asked, inclusive
  EXPECT_EQ(j["events_before"], count(to - 179, to - 90));
  ASSERT_GT(j["events"].get<int64_t>(), j["events_before"].get<int64_t>() + 5) << "the July 2025 wave";
  EXPECT_EQ(j["trend"], "rising");
  // A year later the same region is quiet: the date asked for, not the newest event.
  auto later = Json::parse(c.Get("/api/v1/regions/Kayes?to=2026-09-30", Bearer(viewer_))->body);
  EXPECT_EQ(later["events"], 0);
  EXPECT_EQ(c.Get("/api/v1/regions/Narnia", Bearer(viewer_))->status, 404);
  EXPECT_EQ(c.Get("/api/v1/regions/Kayes?to=yesterday", Bearer(viewer_))->status, 400);
}

// An export from the API has the rows of the JSON answer, in the columns
// the CLI writes; a page too small for everything says where to go next.
TEST_F(HttpTest, EventsExportAsCsvAndHxlMatchTheJsonRows) {
  auto c = Client();
  auto j = c.Get("/api/v1/events?admin1=Kayes&format=json&limit=10000", Bearer(viewer_));
  ASSERT_EQ(j->status, 200);
  const Json doc = Json::parse(j->body);
  std::vector<std::string> ids;
  for (const auto& e : doc["events"]) ids.push_back(std::to_string(e["id"].get<int64_t>()));
  ASSERT_GE(ids.size(), 5u);
  auto csv = c.Get("/api/v1/events?admin1=Kayes&format=csv&limit=10000", Bearer(viewer_));
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_EQ(csv->get_header_value("Content-Type").rfind("text/csv", 0), 0u);
  EXPECT_NE(csv->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
  EXPECT_FALSE(csv->has_header("X-Next-Cursor"));
  std::istringstream lines(csv->body);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line.rfind("id,source,source_id,revision,date_start", 0), 0u) << line;
  std::vector<std::string> csv_ids;
  while (std::getline(lines, line))
    if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0])))
      csv_ids.push_back(line.substr(0, line.find(',')));
  EXPECT_EQ(csv_ids, ids);
  auto hxl = c.Get("/api/v1/events?admin1=Kayes&format=hxl&limit=2", Bearer(viewer_));
  ASSERT_EQ(hxl->status, 200);
  EXPECT_NE(hxl->body.find("\n#event+id,#date+occurred,"), std::string::npos) << hxl->body;
  EXPECT_TRUE(hxl->has_header("X-Next-Cursor"));
  auto next = c.Get("/api/v1/events?admin1=Kayes&format=hxl&limit=2&cursor=" + hxl->get_header_value("X-Next-Cursor"),
                    Bearer(viewer_));
  ASSERT_EQ(next->status, 200);
  EXPECT_NE(next->body.find("\n" + ids[2] + ","), std::string::npos) << next->body;
  EXPECT_EQ(c.Get("/api/v1/events?format=xlsx", Bearer(viewer_))->status, 400);
}

// The map's compact form holds the JSON rows, column by column; the weekly
// timeline's totals (by=none) equal the per-region rows summed.
TEST_F(HttpTest, EventColumnsAndWeeklyTotalsMatchTheFullRows) {
  auto c = Client();
  const Json full = Json::parse(c.Get("/api/v1/events?format=json&limit=10000", Bearer(viewer_))->body);
  auto r = c.Get("/api/v1/events?format=columns&limit=10000", Bearer(viewer_));
  ASSERT_EQ(r->status, 200) << r->body;
  const Json cols = Json::parse(r->body);
  const Json& col = cols["columns"];
  ASSERT_EQ(col["id"].size(), full["events"].size());
  ASSERT_EQ(cols["numberReturned"], full["events"].size());
  int unknown = 0;
  for (size_t i = 0; i < full["events"].size(); ++i) {
    const Json& e = full["events"][i];
    EXPECT_EQ(col["id"][i], e["id"]);
    EXPECT_NEAR(col["lat"][i].get<double>(), e["latitude"].get<double>(), 1e-4);
    EXPECT_NEAR(col["lon"][i].get<double>(), e["longitude"].get<double>(), 1e-4);
    EXPECT_EQ(col["date"][i], e["date_start"]);
    EXPECT_EQ(cols["types"][col["type"][i].get<size_t>()], e["event_type"]);
    EXPECT_EQ(col["fatalities"][i], e["fatalities"]);  // null stays null: unknown is not zero
    unknown += col["fatalities"][i].is_null();
  }
  EXPECT_GT(unknown, 0);
  auto page = Json::parse(c.Get("/api/v1/events?format=columns&limit=3", Bearer(viewer_))->body);
  EXPECT_EQ(page["columns"]["id"].size(), 3u);
  EXPECT_TRUE(page["next_cursor"].is_string());

  const Json weekly = Json::parse(c.Get("/api/v1/stats?by=none&period=week", Bearer(viewer_))->body);
  const Json per = Json::parse(c.Get("/api/v1/stats?by=admin1&period=week", Bearer(viewer_))->body);
  std::map<std::string, int64_t> summed;
  for (const auto& row : per["rows"]) summed[row["week"]] += row["events"].get<int64_t>();
  std::map<std::string, int64_t> got;
  for (const auto& row : weekly["rows"]) {
    EXPECT_FALSE(row.contains("admin1"));
    got[row["week"]] = row["events"];
  }
  EXPECT_EQ(got, summed);
  EXPECT_EQ(weekly["total"], per["total"]);
  EXPECT_EQ(c.Get("/api/v1/stats?by=planet", Bearer(viewer_))->status, 400);
  // The region list is every region the stats name, once.
  std::set<std::string> named;
  for (const auto& row : per["rows"])
    if (!row["admin1"].get<std::string>().empty()) named.insert(row["admin1"]);
  const Json regions = Json::parse(c.Get("/api/v1/regions", Bearer(viewer_))->body)["regions"];
  EXPECT_EQ(regions.get<std::set<std::string>>(), named);
  EXPECT_EQ(regions.size(), named.size());
}

// Data the map asks for again and again is revalidated: an ETag, and 304
// with no body when the client already has that version; other answers
// change the tag; accounts are never kept.
TEST_F(HttpTest, BoundariesAndEventsAnswer304ToTheirOwnEtag) {
  auto c = Client();
  for (const std::string path : {"/api/v1/boundaries/admin1", "/api/v1/events?admin1=Kayes", "/api/v1/stats"}) {
    auto first = c.Get(path, Bearer(viewer_));
    ASSERT_EQ(first->status, 200) << path;
    const std::string etag = first->get_header_value("ETag");
    ASSERT_EQ(etag.rfind("W/\"", 0), 0u) << path << ": " << etag;
    EXPECT_NE(first->get_header_value("Cache-Control").find("private"), std::string::npos) << path;
    auto h = Bearer(viewer_);
    h.emplace("If-None-Match", etag);
    auto again = c.Get(path, h);
    EXPECT_EQ(again->status, 304) << path;
    EXPECT_TRUE(again->body.empty());
    EXPECT_EQ(again->get_header_value("ETag"), etag);
    auto stale = Bearer(viewer_);
    stale.emplace("If-None-Match", "W/\"0000000000000000\", \"other\"");
    EXPECT_EQ(c.Get(path, stale)->status, 200) << path;
  }
  EXPECT_NE(c.Get("/api/v1/events?admin1=Kayes", Bearer(viewer_))->get_header_value("ETag"),
            c.Get("/api/v1/events?admin1=Mopti", Bearer(viewer_))->get_header_value("ETag"));
  auto me = c.Get("/api/v1/me", Bearer(viewer_));
  EXPECT_EQ(me->get_header_value("Cache-Control"), "no-store");
  EXPECT_FALSE(me->has_header("ETag"));
  // Without a token the tag does not help: 401.
  EXPECT_EQ(c.Get("/api/v1/boundaries/admin1", {{"If-None-Match", "*"}})->status, 401);
  // Towns for the map's labels, largest first.
  const Json towns = Json::parse(c.Get("/api/v1/boundaries/towns", Bearer(viewer_))->body);
  ASSERT_GE(towns["features"].size(), 50u);
  EXPECT_EQ(towns["features"][0]["properties"]["name"], "Bamako");
  EXPECT_GE(towns["features"][0]["properties"]["population"], towns["features"][1]["properties"]["population"]);
}

// The signals of docs/signals.md over HTTP: the July 2025 wave from the
// stored events, one signal or all, and clear errors.
TEST_F(HttpTest, SignalsEndpointFindsTheJulyWaveAndRefusesBadInput) {
  auto c = Client();
  auto r = c.Get("/api/v1/signals/waves?area=kayes&from=2025-07-01&to=2025-09-30", Bearer(viewer_));
  ASSERT_EQ(r->status, 200) << r->body;
  const Json j = Json::parse(r->body);
  EXPECT_EQ(j["area"], "Kayes");
  ASSERT_EQ(j["waves"].size(), 1u) << r->body;
  EXPECT_EQ(j["waves"][0]["start"], "2025-07-01");
  EXPECT_GE(j["waves"][0]["places"].size(), 7u);
  EXPECT_FALSE(j.contains("control"));
  auto all = c.Get("/api/v1/signals/all?from=2025-06-01&to=2025-09-30", Bearer(viewer_));
  ASSERT_EQ(all->status, 200) << all->body;
  const Json a = Json::parse(all->body);
  for (const char* k : {"waves", "repeat", "diffusion", "drift", "control"}) EXPECT_TRUE(a.contains(k)) << k;
  EXPECT_EQ(c.Get("/api/v1/signals/waves")->status, 401);
  EXPECT_EQ(c.Get("/api/v1/signals/omens", Bearer(viewer_))->status, 404);
  EXPECT_EQ(c.Get("/api/v1/signals/waves?area=Narnia", Bearer(viewer_))->status, 404);
  EXPECT_EQ(c.Get("/api/v1/signals/waves?from=2025-09-01&to=2025-01-01", Bearer(viewer_))->status, 400);
  EXPECT_EQ(c.Get("/api/v1/signals/waves?to=soon", Bearer(viewer_))->status, 400);
  EXPECT_EQ(c.Get("/api/v1/signals/waves?colour=red", Bearer(viewer_))->status, 400);
}

// Situation reports over HTTP (docs/sitrep.md): one written on demand as
// PDF and HTML; the weekly ones, kept by the library call the server's
// schedule makes, listed and served in each format.
TEST_F(HttpTest, SitrepsAreRenderedOnDemandAndTheWeeklyOnesListed) {
  auto c = Client();
  auto pdf =
      c.Get("/api/v1/sitreps/render?area=kayes&from=2025-07-01&to=2025-09-30&format=pdf&lang=fr", Bearer(viewer_));
  ASSERT_EQ(pdf->status, 200) << pdf->body.substr(0, 300);
  EXPECT_EQ(pdf->get_header_value("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf->body.rfind("%PDF-", 0), 0u);
  auto html = c.Get("/api/v1/sitreps/render?area=Kayes&from=2025-07-01&to=2025-09-30", Bearer(viewer_));
  ASSERT_EQ(html->status, 200);
  EXPECT_NE(html->body.find("<svg"), std::string::npos);
  EXPECT_NE(html->body.find("Situation report"), std::string::npos);
  {
    auto events = store::EventStore::Open(db_, false);
    auto briefs = report::SitrepStore::Open(db_);
    auto phrases = report::LoadPhrases(std::string(VIGIL_TEST_DATA_DIR) + "/report/sitrep.tsv");
    ASSERT_TRUE(events.ok() && briefs.ok() && phrases.ok());
    const int64_t wednesday = static_cast<int64_t>(core::Date::Parse("2025-07-09")->days()) * 86400 + 3600;
    auto run = report::WriteWeeklyBriefs(events->get(), *testing::Ref(), *phrases, briefs->get(), wednesday);
    ASSERT_TRUE(run.ok()) << run.status().message();
    EXPECT_GT(run->written, 0);
  }
  auto list = c.Get("/api/v1/sitreps?area=kayes", Bearer(viewer_));
  ASSERT_EQ(list->status, 200) << list->body;
  const Json j = Json::parse(list->body);
  ASSERT_EQ(j["sitreps"].size(), 2u) << "Kayes in English and French: " << list->body;
  for (const auto& s : j["sitreps"]) {
    EXPECT_EQ(s["area"], "Kayes");
    EXPECT_EQ(s["from"], "2025-06-30");
    EXPECT_EQ(s["to"], "2025-07-06");
  }
  auto md = c.Get(j["sitreps"][0]["links"]["md"].get<std::string>(), Bearer(viewer_));
  ASSERT_EQ(md->status, 200);
  EXPECT_EQ(md->get_header_value("Content-Type"), "text/markdown; charset=utf-8");
  EXPECT_NE(md->body.find("JNIM"), std::string::npos) << "the week of the 1 July wave";
  auto stored_pdf = c.Get(j["sitreps"][0]["links"]["pdf"].get<std::string>(), Bearer(viewer_));
  ASSERT_EQ(stored_pdf->status, 200);
  EXPECT_EQ(stored_pdf->body.rfind("%PDF-", 0), 0u);
  EXPECT_EQ(c.Get("/api/v1/sitreps")->status, 401);
  EXPECT_EQ(c.Get("/api/v1/sitreps/999999", Bearer(viewer_))->status, 404);
  EXPECT_EQ(c.Get("/api/v1/sitreps/abc", Bearer(viewer_))->status, 404);
  // The map and the chart alone, as a PNG for a slide.
  auto png = c.Get("/api/v1/sitreps/render?area=Kayes&from=2025-07-01&to=2025-09-30&format=png", Bearer(viewer_));
  ASSERT_EQ(png->status, 200) << png->body.substr(0, 300);
  EXPECT_EQ(png->get_header_value("Content-Type"), "image/png");
  EXPECT_EQ(png->body.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_NE(png->get_header_value("Content-Disposition").find(".png"), std::string::npos);
  EXPECT_EQ(c.Get("/api/v1/sitreps/1?format=png", Bearer(viewer_))->status, 400);
  EXPECT_EQ(c.Get("/api/v1/sitreps/render?format=docx", Bearer(viewer_))->status, 400);
  EXPECT_EQ(c.Get("/api/v1/sitreps/render?lang=de", Bearer(viewer_))->status, 400);
  EXPECT_EQ(c.Get("/api/v1/sitreps/render?area=Narnia", Bearer(viewer_))->status, 404);
  EXPECT_EQ(c.Get("/api/v1/sitreps?colour=red", Bearer(viewer_))->status, 400);
}

TEST_F(HttpTest, StoredScenariosAreServedAsJsonMarkdownAndHtml) {
  auto c = Client();
  EXPECT_EQ(Json::parse(c.Get("/api/v1/scenarios", Bearer(viewer_))->body)["scenarios"].size(), 0u);
  // A result as `vigil scenario run` stores it: two arms of a small process.
  model::FitResult fit;
  fit.params.mu = 1;
  fit.params.kappa = {0.3, 0.1, 0.2, 0.1};
  fit.params.omega = 0.5;
  fit.class_share = {0.4, 0.2, 0.3, 0.1};
  fit.background = model::Background::FromPoints({{14.5, -4}, {16, -1}}, 40, model::Window{-12.25, 10.15, 4.25, 25.0});
  const auto regions = *model::MakeUnits(model::Level::kAdmin1, *Ref());
  const auto cercles = *model::MakeUnits(model::Level::kAdmin2, *Ref());
  const std::vector<model::ModelEvent> none;
  scenario::Inputs in;
  in.fit = &fit;
  in.catalogue = &none;
  in.window_start = *core::Date::Parse("2024-07-01");
  in.as_of = *core::Date::Parse("2025-07-01");
  in.regions = &regions;
  in.cercles = &cercles;
  auto spec = scenario::ParseSpec("title = \"Mopti x3\"\nweeks = 2\nruns = 20\n[[background]]\nregion = \"Mopti\"\n"
                                  "factor = 3\n",
                                  "t.toml", {&Ref()->gazetteer(), nullptr, &regions, &cercles});
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  scenario::Options opt;
  opt.runs = spec->runs;
  const auto base = scenario::RunArm(in, {}, spec->weeks, opt);
  const auto scen = scenario::RunArm(in, scenario::ToChanges(*spec, in), spec->weeks, opt);
  const Json summary = scenario::SummaryJson(scenario::Summarise(*spec, in, base, scen));
  auto ss = scenario::ScenarioStore::Open(db_);
  ASSERT_TRUE(ss.ok()) << ss.status().ToString();
  auto id = (*ss)->Save(summary);
  ASSERT_TRUE(id.ok());
  const std::string url = "/api/v1/scenarios/" + std::to_string(*id);
  auto list = c.Get("/api/v1/scenarios", Bearer(viewer_));
  ASSERT_EQ(list->status, 200);
  const Json rows = Json::parse(list->body)["scenarios"];
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["title"], "Mopti x3");
  EXPECT_EQ(rows[0]["links"]["self"], url);
  auto j = c.Get(url, Bearer(viewer_));
  ASSERT_EQ(j->status, 200);
  Json got = Json::parse(j->body);
  EXPECT_EQ(got["id"], *id);
  got.erase("id");
  EXPECT_EQ(got, summary);
  auto md = c.Get(url + "?format=md&lang=fr", Bearer(viewer_));
  ASSERT_EQ(md->status, 200);
  EXPECT_EQ(md->get_header_value("Content-Type"), "text/markdown; charset=utf-8");
  EXPECT_NE(md->body.find("# Scénario — Mopti x3"), std::string::npos) << md->body;
  auto html = c.Get(url + "?format=html", Bearer(viewer_));
  ASSERT_EQ(html->status, 200);
  EXPECT_NE(html->body.find("<h1>Scenario — Mopti x3</h1>"), std::string::npos) << html->body.substr(0, 2000);
  EXPECT_EQ(c.Get(url)->status, 401);
  EXPECT_EQ(c.Get("/api/v1/scenarios/999999", Bearer(viewer_))->status, 404);
  EXPECT_EQ(c.Get("/api/v1/scenarios/abc", Bearer(viewer_))->status, 404);
  EXPECT_EQ(c.Get(url + "?format=pdf", Bearer(viewer_))->status, 400);
  EXPECT_EQ(c.Get(url + "?lang=de", Bearer(viewer_))->status, 400);
  EXPECT_EQ(c.Get(url + "?colour=red", Bearer(viewer_))->status, 400);
}

TEST_F(HttpTest, SessionCookieNeedsCsrfTokenForWrites) {
  auto c = Client();
  auto bad = c.Post("/api/v1/session", R"({"name":"ana","password":"wrong-password"})", "application/json");
  EXPECT_EQ(bad->status, 401);
  auto login = c.Post("/api/v1/session", R"({"name":"ana","password":"analyst-password"})", "application/json");
  ASSERT_EQ(login->status, 200) << login->body;
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos);  // plain HTTP on localhost
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  const std::string csrf = Json::parse(login->body)["csrf_token"];
  auto me = c.Get("/api/v1/me", {{"Cookie", cookie}});
  ASSERT_EQ(me->status, 200);
  EXPECT_EQ(Json::parse(me->body)["user"], "ana");
  const std::string before = Digest(db_);
  EXPECT_EQ(c.Post("/api/v1/events", {{"Cookie", cookie}}, OneEvent("csrf-1"), "application/json")->status, 403);
  EXPECT_EQ(
      c.Post("/api/v1/events", {{"Cookie", cookie}, {"X-CSRF-Token", "forged"}}, OneEvent("csrf-1"), "application/json")
          ->status,
      403);
  EXPECT_EQ(Digest(db_), before);
  EXPECT_EQ(
      c.Post("/api/v1/events", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}, OneEvent("csrf-1"), "application/json")
          ->status,
      201);
  EXPECT_EQ(c.Delete("/api/v1/session", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}})->status, 200);
  EXPECT_EQ(c.Get("/api/v1/me", {{"Cookie", cookie}})->status, 401);
  // Behind a TLS proxy the cookie is Secure.
  auto tls = c.Post("/api/v1/session", {{"X-Forwarded-Proto", "https"}},
                    R"({"name":"vera","password":"viewer-password"})", "application/json");
  EXPECT_NE(tls->get_header_value("Set-Cookie").find("; Secure"), std::string::npos);
}

TEST_F(HttpTest, PagingWalksEveryEventOnceInBothApis) {
  auto c = Client();
  auto all = c.Get("/api/v1/events?format=json&limit=10000", Bearer(viewer_));
  const auto total = Json::parse(all->body)["events"].size();
  ASSERT_GT(total, 10u);
  std::set<int64_t> seen;
  std::string url = "/api/v1/events?format=json&limit=7";
  for (int page = 0; page < 100; ++page) {
    auto r = c.Get(url, Bearer(viewer_));
    ASSERT_EQ(r->status, 200) << r->body;
    auto j = Json::parse(r->body);
    for (const auto& e : j["events"]) EXPECT_TRUE(seen.insert(e["id"].get<int64_t>()).second);
    if (j["next_cursor"].is_null()) break;
    url = "/api/v1/events?format=json&limit=7&cursor=" + j["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(seen.size(), total);
  // OGC: follow rel=next links.
  seen.clear();
  std::string next = "/ogc/collections/events/items?limit=5";
  for (int page = 0; page < 100 && !next.empty(); ++page) {
    auto r = c.Get(next, Bearer(viewer_));
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/geo+json");
    auto j = Json::parse(r->body);
    EXPECT_EQ(j["type"], "FeatureCollection");
    EXPECT_EQ(j["numberReturned"], j["features"].size());
    for (const auto& f : j["features"]) EXPECT_TRUE(seen.insert(f["id"].get<int64_t>()).second);
    next.clear();
    for (const auto& l : j["links"])
      if (l["rel"] == "next") {
        const std::string href = l["href"];
        next = href.substr(href.find("/ogc/"));
      }
  }
  EXPECT_EQ(seen.size(), total);
}

TEST_F(HttpTest, OgcLandingConformanceCollectionsAndFilters) {
  auto c = Client();
  auto land = Json::parse(c.Get("/ogc", Bearer(viewer_))->body);
  std::set<std::string> rels;
  for (const auto& l : land["links"]) rels.insert(l["rel"]);
  for (const char* r : {"self", "service-desc", "conformance", "data"}) EXPECT_TRUE(rels.count(r)) << r;
  auto conf = Json::parse(c.Get("/ogc/conformance", Bearer(viewer_))->body);
  EXPECT_NE(conf["conformsTo"].dump().find("ogcapi-features-1/1.0/conf/core"), std::string::npos);
  auto cols = Json::parse(c.Get("/ogc/collections", Bearer(viewer_))->body);
  EXPECT_EQ(cols["collections"][0]["id"], "events");
  ASSERT_EQ(cols["collections"].size(), 3u);
  EXPECT_EQ(cols["collections"][1]["id"], "roads");
  EXPECT_EQ(cols["collections"][2]["id"], "sites");
  {
    // The road hops, paged by offset through the next links: every hop once.
    std::set<int64_t> hops;
    std::string page = "/ogc/collections/roads/items?limit=40";
    for (int guard = 0; !page.empty() && guard < 10; ++guard) {
      auto r = c.Get(page, Bearer(viewer_));
      ASSERT_EQ(r->status, 200) << r->body;
      const Json j = Json::parse(r->body);
      EXPECT_EQ(j["numberMatched"], 101);
      for (const auto& f : j["features"]) {
        EXPECT_EQ(f["geometry"]["type"], "LineString");
        EXPECT_TRUE(hops.insert(f["id"].get<int64_t>()).second);
      }
      page.clear();
      for (const auto& l : j["links"])
        if (l["rel"] == "next") page = l["href"].get<std::string>().substr(l["href"].get<std::string>().find("/ogc/"));
    }
    EXPECT_EQ(hops.size(), 101u);
    auto one = c.Get("/ogc/collections/roads/items/7", Bearer(viewer_));
    ASSERT_EQ(one->status, 200);
    EXPECT_EQ(Json::parse(one->body)["properties"]["edge"], "e7");
    EXPECT_EQ(c.Get("/ogc/collections/roads/items/9999", Bearer(viewer_))->status, 404);
    EXPECT_EQ(c.Get("/ogc/collections/roads/items?offset=-1", Bearer(viewer_))->status, 400);
    EXPECT_EQ(c.Get("/ogc/collections/roads/items?bbox=1,2,3", Bearer(viewer_))->status, 400);
    auto kayes =
        Json::parse(c.Get("/ogc/collections/roads/items?bbox=-12.5,12.5,-9,15.5&limit=1000", Bearer(viewer_))->body);
    EXPECT_GT(kayes["numberMatched"].get<int>(), 0);
    EXPECT_LT(kayes["numberMatched"].get<int>(), 101);
    auto sites = Json::parse(c.Get("/ogc/collections/sites/items", Bearer(viewer_))->body);
    EXPECT_EQ(sites["numberMatched"], 0);  // none added in this test
  }
  EXPECT_EQ(c.Get("/ogc/collections/nope", Bearer(viewer_))->status, 404);
  EXPECT_EQ(c.Get("/ogc/collections/nope/items", Bearer(viewer_))->status, 404);
  EXPECT_EQ(c.Get("/ogc/collections/events/items?bogus=1", Bearer(viewer_))->status, 400);
  EXPECT_EQ(c.Get("/ogc/collections/events/items?f=xml", Bearer(viewer_))->status, 400);
  // bbox around Kayes region and a July 2025 window.
  auto r = c.Get("/ogc/collections/events/items?bbox=-12.5,12.5,-9,15.5&datetime=2025-07-01/2025-07-31&limit=100",
                 Bearer(viewer_));
  ASSERT_EQ(r->status, 200) << r->body;
  auto j = Json::parse(r->body);
  ASSERT_GT(j["features"].size(), 0u);
  for (const auto& f : j["features"]) {
    const double lon = f["geometry"]["coordinates"][0], lat = f["geometry"]["coordinates"][1];
    EXPECT_TRUE(lon >= -12.5 && lon <= -9 && lat >= 12.5 && lat <= 15.5);
    const std::string d = f["properties"]["date_start"];
    EXPECT_TRUE(d >= "2025-07-01" && d <= "2025-07-31") << d;
  }
  auto open = c.Get("/ogc/collections/events/items?datetime=../2024-12-31&limit=100", Bearer(viewer_));
  const Json open_json = Json::parse(open->body);
  for (const auto& f : open_json["features"]) EXPECT_LE(f["properties"]["date_start"].get<std::string>(), "2024-12-31");
  EXPECT_EQ(c.Get("/ogc/collections/events/items?datetime=2025-13-01", Bearer(viewer_))->status, 400);
  auto one =
      c.Get("/ogc/collections/events/items/" + std::to_string(j["features"][0]["id"].get<int64_t>()), Bearer(viewer_));
  EXPECT_EQ(one->status, 200);
  EXPECT_EQ(c.Get("/ogc/collections/events/items/abc", Bearer(viewer_))->status, 404);
}

TEST_F(HttpTest, ExtractReturnsEventsAndStoresWhenAsked) {
  auto c = Client();
  const std::string text =
      "Bamako, le 3 juillet 2025 - Des hommes armés ont attaqué le poste de la gendarmerie de Kayes le 1er juillet "
      "2025, tuant trois gendarmes.";
  auto r = c.Post("/api/v1/extract?doc=t1.txt", Bearer(analyst_), text, "text/plain; charset=utf-8");
  ASSERT_EQ(r->status, 200) << r->body;
  auto events = Json::parse(r->body)["events"];
  ASSERT_GE(events.size(), 1u);
  EXPECT_EQ(events[0]["location"], "Kayes");
  EXPECT_EQ(events[0]["date"], "2025-07-01");
  EXPECT_EQ(c.Post("/api/v1/extract", Bearer(viewer_), text, "text/plain")->status, 403);
  auto stored = c.Post("/api/v1/extract?doc=t1.txt&store=true", Bearer(analyst_), text, "text/plain");
  ASSERT_EQ(stored->status, 200) << stored->body;
  auto s = Json::parse(stored->body)["stored"];
  // New, or joined to the bundled report of the same attack (cross-source dedupe).
  EXPECT_GE(s["new"].get<int64_t>() + s["merged"].get<int64_t>() + s["linked"].get<int64_t>(), 1) << s.dump();
}

TEST_F(HttpTest, RoadsAndCorridorsAreServedAndRoutesNeedASnapshot) {
  auto c = Client();
  const auto h = Bearer(viewer_);
  EXPECT_EQ(c.Get("/api/v1/corridors")->status, 401);
  auto roads = c.Get("/api/v1/roads", h);
  ASSERT_EQ(roads->status, 200) << roads->body;
  auto rj = Json::parse(roads->body);
  EXPECT_EQ(rj["type"], "FeatureCollection");
  EXPECT_EQ(rj["features"].size(), 101u);
  EXPECT_EQ(rj["features"][0]["geometry"]["type"], "LineString");
  auto cor = c.Get("/api/v1/corridors?as_of=2025-07-20&lang=fr", h);
  ASSERT_EQ(cor->status, 200) << cor->body;
  std::map<std::string, std::string> status;
  const Json cj = Json::parse(cor->body);
  for (const auto& f : cj["features"])
    status[f["properties"]["corridor"].get<std::string>()] = f["properties"]["status"].get<std::string>();
  EXPECT_EQ(status["RN22"], "blockaded");
  EXPECT_EQ(status["RN7"], "open");
  EXPECT_EQ(c.Get("/api/v1/corridors?as_of=yesterday", h)->status, 400);
  EXPECT_EQ(c.Get("/api/v1/corridors?lang=de", h)->status, 400);
  EXPECT_EQ(c.Get("/api/v1/corridors?bogus=1", h)->status, 400);
  // Routes need the model: a clear 404 until one is fitted.
  auto r = c.Get("/api/v1/route?from=Bamako&to=Kayes", h);
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(r->body.find("vigil fit"), std::string::npos);
  EXPECT_EQ(c.Get("/api/v1/route?from=Bamako", h)->status, 400);
  EXPECT_EQ(c.Get("/api/v1/route?from=Atlantis&to=Kayes", h)->status, 404);
  EXPECT_EQ(c.Get("/api/v1/route?from=Bamako&to=Kayes&alternatives=99", h)->status, 400);
  EXPECT_EQ(c.Get("/api/v1/route?from=91,0&to=Kayes", h)->status, 400);
}

TEST_F(HttpTest, SitesAreAddedByAnalystsAllOrNothingAndServedWithTheirExposure) {
  auto c = Client();
  const std::string two = R"({"type":"FeatureCollection","features":[
    {"type":"Feature","geometry":{"type":"Point","coordinates":[-11.28,14.08]},
     "properties":{"name":"Diamou plant","type":"plant","radius_km":15}},
    {"type":"Feature","geometry":{"type":"Point","coordinates":[-8.0,12.64]},"properties":{"name":"Bamako office"}}]})";
  EXPECT_EQ(c.Post("/api/v1/sites", Bearer(viewer_), two, "application/geo+json")->status, 403);
  EXPECT_EQ(c.Post("/api/v1/sites", two, "application/geo+json")->status, 401);
  auto added = c.Post("/api/v1/sites", Bearer(analyst_), two, "application/geo+json");
  ASSERT_EQ(added->status, 201) << added->body;
  const int64_t id = Json::parse(added->body)["features"][0]["id"].get<int64_t>();
  // A batch with one bad feature, or a name already there, adds nothing.
  const std::string bad = R"({"type":"FeatureCollection","features":[
    {"type":"Feature","geometry":{"type":"Point","coordinates":[-10,14]},"properties":{"name":"New camp","type":"camp"}},
    {"type":"Feature","geometry":{"type":"Point","coordinates":[-10,95]},"properties":{"name":"Nowhere"}}]})";
  EXPECT_EQ(c.Post("/api/v1/sites", Bearer(analyst_), bad, "application/geo+json")->status, 400);
  const std::string again = R"({"type":"Feature","geometry":{"type":"Point","coordinates":[-10,14]},
    "properties":{"name":"bamako OFFICE"}})";
  EXPECT_EQ(c.Post("/api/v1/sites", Bearer(analyst_), again, "application/geo+json")->status, 409);
  EXPECT_EQ(c.Post("/api/v1/sites", Bearer(analyst_), "{\"type\":", "application/geo+json")->status, 400);
  EXPECT_EQ(c.Post("/api/v1/sites", Bearer(analyst_), two, "text/plain")->status, 400);
  EXPECT_EQ(c.Post("/api/v1/sites", Bearer(analyst_), std::string(5000, '['), "application/json")->status, 400);
  // Listed with exposure: counts and the corridors serving each, no forecast
  // before a model is fitted (and saying why).
  auto list = c.Get("/api/v1/sites?as_of=2025-07-20&lang=fr", Bearer(viewer_));
  ASSERT_EQ(list->status, 200) << list->body;
  const Json lj = Json::parse(list->body);
  ASSERT_EQ(lj["features"].size(), 2u);
  for (const auto& f : lj["features"]) {
    EXPECT_EQ(f["geometry"]["type"], "Point");
    EXPECT_TRUE(f["properties"].contains("events_90d"));
    EXPECT_TRUE(f["properties"]["forecast"].empty());
    EXPECT_TRUE(f["properties"].contains("forecast_note"));
  }
  auto one = c.Get("/api/v1/sites/" + std::to_string(id) + "?as_of=2025-07-20", Bearer(viewer_));
  ASSERT_EQ(one->status, 200) << one->body;
  const Json oj = Json::parse(one->body);
  EXPECT_EQ(oj["properties"]["name"], "Diamou plant");
  bool rn22_blockaded = false;
  for (const auto& cor : oj["properties"]["corridors"])
    rn22_blockaded = rn22_blockaded || (cor["corridor"] == "RN22" && cor["status"] == "blockaded");
  EXPECT_TRUE(rn22_blockaded) << oj["properties"]["corridors"].dump();
  EXPECT_EQ(c.Get("/api/v1/sites/Atlantis", Bearer(viewer_))->status, 404);
  EXPECT_EQ(c.Get("/api/v1/sites?exposure=maybe", Bearer(viewer_))->status, 400);
  EXPECT_EQ(c.Get("/api/v1/sites?as_of=soon", Bearer(viewer_))->status, 400);
  EXPECT_EQ(c.Delete("/api/v1/sites/" + std::to_string(id), Bearer(viewer_))->status, 403);
  EXPECT_EQ(c.Delete("/api/v1/sites/" + std::to_string(id), Bearer(analyst_))->status, 204);
  EXPECT_EQ(c.Delete("/api/v1/sites/" + std::to_string(id), Bearer(analyst_))->status, 404);
  auto after = c.Get("/api/v1/sites?exposure=false", Bearer(viewer_));
  ASSERT_EQ(after->status, 200);
  EXPECT_EQ(Json::parse(after->body)["features"].size(), 1u);
}

TEST(HttpServer, PublicReadRateLimitAndForecast) {
  testing::TempDir dir;
  const std::string db = dir.path() + "/f.db";
  {
    auto st = testing::FreshStore(dir, "f.db");
    std::ifstream in(std::string(VIGIL_TEST_DATA_DIR) + "/models/sahel_simulation.json");
    auto spec = model::SpecFromJson(Json::parse(in));
    ASSERT_TRUE(spec.ok());
    auto sim = model::Simulate(*spec, 3 * 365, 3);
    ASSERT_TRUE(sim.ok());
    const std::string path = dir.Write("sim.jsonl", "");
    {
      std::ofstream out(path);
      for (const auto& e : model::ToEvents(*sim, *core::Date::Parse("2016-01-01"), 3))
        out << core::EventToJson(e).dump() << "\n";
    }
    ingest::Importer imp(st.get(), Ref());
    ASSERT_TRUE(imp.ImportFile(ingest::SourceKind::kJsonl, path, {}).ok());
    model::FitRequest fr;
    fr.as_of = *core::Date::Parse("2018-06-01");
    fr.window_days = 2 * 365;
    ASSERT_TRUE(model::Fit(st.get(), fr).ok());
  }
  ServerOptions o;
  o.db = db;
  o.port = 0;
  o.threads = 4;
  o.public_read = true;
  o.rate_limit = 5;  // burst 10
  // Routes and forecasts fit under the 10 s default on a quiet machine; a
  // sanitizer build on a busy one can take longer, and the budget is not
  // what this test is about.
  o.query_budget_ms = 300000;
  auto s = Server::Create(o, Ref());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_TRUE((*s)->Bind().ok());
  std::thread t([&] { (void)(*s)->Run(); });
  httplib::Client c("127.0.0.1", (*s)->port());
  c.set_read_timeout(60, 0);
  auto f = c.Get("/api/v1/forecast?level=admin1&horizon=30");  // anonymous read
  ASSERT_TRUE(f);
  ASSERT_EQ(f->status, 200) << f->body;
  auto j = Json::parse(f->body);
  EXPECT_EQ(j["type"], "FeatureCollection");
  EXPECT_EQ(j["as_of"], "2018-06-01");
  ASSERT_GE(j["features"].size(), 8u);
  double total = 0;
  int polygons = 0;
  for (const auto& feat : j["features"]) {
    const std::string type = feat["geometry"]["type"];
    // Mali's regions are drawn with their OCHA outline.
    const std::string pcode = feat["properties"]["pcode"];
    if (pcode.rfind("ML", 0) == 0) {
      EXPECT_TRUE(type == "Polygon" || type == "MultiPolygon") << feat["properties"].dump();
      ++polygons;
    }
    const double p = feat["properties"]["p_any"];
    EXPECT_TRUE(p >= 0 && p <= 1);
    total += feat["properties"]["expected_count"].get<double>();
    // The count's 80 % range, for the map's tooltips.
    const double p10 = feat["properties"]["p10"], p90 = feat["properties"]["p90"];
    EXPECT_GE(p10, 0) << feat["properties"].dump();
    EXPECT_LE(p10, p90);
    EXPECT_GE(p90 + 1, feat["properties"]["expected_count"].get<double>());
  }
  EXPECT_GT(total, 0);
  EXPECT_GE(polygons, 9);  // 8 regions and Bamako
  // Only Mali's regions: no neighbour's region, no blank name (the model
  // covers Mali; elsewhere is "no forecast"), and the answer says so.
  EXPECT_EQ(static_cast<int>(j["features"].size()), polygons) << f->body.substr(0, 2000);
  EXPECT_EQ(j["coverage"]["countries"], Json::array({"Mali"}));
  ASSERT_TRUE(j["fit"]["at_bound"].is_array()) << j["fit"].dump();  // the parameters on a bound, named
  for (const auto& feat : j["features"]) EXPECT_FALSE(feat["properties"]["unit"].get<std::string>().empty());
  auto cells = c.Get("/api/v1/forecast?level=cell");
  ASSERT_EQ(cells->status, 200);
  const Json cj = Json::parse(cells->body);
  EXPECT_GT(cj["features"].size(), 300u);
  // What a cell saw in the 30 days before the forecast's date equals a
  // direct count of the store's political violence in that cell.
  {
    std::vector<std::pair<int64_t, int64_t>> seen;  // (observed, gid)
    for (const auto& feat : cj["features"])
      seen.emplace_back(feat["properties"]["observed_30d"].get<int64_t>(), feat["properties"]["gid"].get<int64_t>());
    std::sort(seen.rbegin(), seen.rend());
    ASSERT_GT(seen[0].first, 0);
    auto st = store::EventStore::Open(db, false);
    ASSERT_TRUE(st.ok());
    const core::Date as_of = *core::Date::Parse("2018-06-01");
    for (size_t i = 0; i < 3; ++i) {
      store::EventFilter ef;
      ef.gids = {seen[i].second};
      ef.from = as_of - 30;
      ef.to = as_of - 1;
      ef.event_types = {"Battles", "Explosions/Remote violence", "Violence against civilians"};
      EXPECT_EQ(*(*st)->CountEvents(ef), seen[i].first) << "cell " << seen[i].second;
    }
  }
  // Routes and road risk from the snapshot.
  auto route = c.Get("/api/v1/route?from=Bamako&to=Mopti&alternatives=1&horizon=30");
  ASSERT_EQ(route->status, 200) << route->body;
  auto rj = Json::parse(route->body);
  ASSERT_EQ(rj["features"].size(), 2u);
  for (const auto& feat : rj["features"]) {
    const double p = feat["properties"]["p_any"];
    EXPECT_TRUE(p > 0 && p < 1) << p;
    EXPECT_EQ(feat["properties"]["towns"].front(), "Bamako");
    EXPECT_EQ(feat["properties"]["towns"].back(), "Mopti");
  }
  EXPECT_LE(rj["features"][0]["properties"]["cost"].get<double>(),
            rj["features"][1]["properties"]["cost"].get<double>());
  auto risky = c.Get("/api/v1/roads?horizon=7");
  ASSERT_EQ(risky->status, 200);
  EXPECT_TRUE(Json::parse(risky->body)["features"][0]["properties"].contains("p_any"));
  // Writes still need a token with --public-read.
  EXPECT_EQ(c.Post("/api/v1/events", OneEvent("anon"), "application/json")->status, 401);
  // Rate limit: the burst is 10 requests; some of the next 30 get 429.
  int limited = 0;
  for (int i = 0; i < 30; ++i) {
    auto r = c.Get("/healthz2");  // not an API path: never limited
    EXPECT_EQ(r->status, 404);
  }
  for (int i = 0; i < 30; ++i) {
    auto r = c.Get("/api/v1/events?limit=1");
    if (r->status == 429) {
      ++limited;
      EXPECT_FALSE(r->get_header_value("Retry-After").empty());
      EXPECT_EQ(Json::parse(r->body)["code"], "rate_limited");
    }
  }
  EXPECT_GT(limited, 10);
  (*s)->Stop();
  t.join();
}

}  // namespace
}  // namespace vigil::server

// The early-warning loop end to end, as the seeds ask for it: three
// villagers' SMS (different phones, French) about armed men near a town ->
// one corroborated cluster -> an alert to tier 1 -> no acknowledgement ->
// escalation to tier 2 at the deadline (simulated clock) -> acknowledgement
// with a disposition -> a CAP Update. The webhook receiver, the SMS
// gateway and the SMTP sink are real local servers (tests/alert/
// receivers.py, Python http.server and Debian's aiosmtpd) on 127.0.0.1;
// the test checks what each received. Then the security promises: bad
// signatures, stale and replayed messages, roles, hostile payloads, and a
// planted phone number that must appear nowhere outside its ciphertext.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "alert/keys.h"
#include "alert/sms.h"
#include "auth/accounts.h"
#include "core/clock.h"
#include "core/event_json.h"
#include "server/server.h"
#include "store/audit.h"
#include "store/sqlite.h"
#include "test_support.h"

extern char** environ;

namespace vigil {
namespace {

using core::Json;

// The receivers process: started here, ended here, by its pid.
class Receivers {
 public:
  Receivers(const std::string& log, int fail_first = 0) {
    int out[2];
    EXPECT_EQ(pipe(out), 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    const std::string script = std::string(VIGIL_TEST_SOURCE_DIR) + "/alert/receivers.py";
    const std::string fails = std::to_string(fail_first);
    const char* argv[] = {"/usr/bin/python3", script.c_str(), "--log", log.c_str(), "--fail-first",
                          fails.c_str(),      "--lifetime",   "900",   nullptr};
    EXPECT_EQ(posix_spawn(&pid_, argv[0], &fa, nullptr, const_cast<char**>(argv), environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    std::istringstream in(line);
    std::string w;
    in >> w >> http_port_ >> w >> smtp_port_;
    EXPECT_GT(http_port_, 0) << "receivers did not start: '" << line << "'";
    log_ = log;
  }
  ~Receivers() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  int http_port() const { return http_port_; }
  int smtp_port() const { return smtp_port_; }
  std::vector<Json> Received(const std::string& kind) const {
    std::vector<Json> out;
    std::ifstream in(log_);
    std::string line;
    while (std::getline(in, line)) {
      Json j = Json::parse(line);
      if (j["kind"] == kind) out.push_back(j);
    }
    return out;
  }

 private:
  pid_t pid_ = -1;
  int http_port_ = 0, smtp_port_ = 0;
  std::string log_;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

constexpr int64_t kStart = 1751346000;  // 2025-07-01T05:00:00Z
constexpr const char* kGatewaySecret = "gateway-shared-secret-for-tests";
constexpr const char* kWebhookSecret = "webhook-secret-for-tests";

std::string Config(const std::string& keys, int http, int smtp) {
  const std::string h = "http://127.0.0.1:" + std::to_string(http);
  return "sender = \"vigil@test.example\"\npublic_url = \"http://127.0.0.1:1\"\nkeys_dir = \"" + keys +
         "\"\n[delivery]\nwebhook_secret = \"" + kWebhookSecret +
         "\"\nbackoff_base = \"1s\"\nbackoff_max = \"4s\"\nmax_attempts = 50\n[smtp]\nurl = \"smtp://127.0.0.1:" +
         std::to_string(smtp) +
         "\"\nfrom = \"alerts@test.example\"\n[[gateways]]\nname = \"village-sms\"\nshape = "
         "\"form\"\nsecret = \"" +
         kGatewaySecret + "\"\noutbound_url = \"" + h +
         "/send\"\n[[areas]]\nid = \"kayes\"\nname_en = \"Kayes region\"\nname_fr = \"Région de Kayes\"\nadmin1 = "
         "[\"Kayes\"]\n  [[areas.tiers]]\n  name = \"Kayes field office\"\n  users = [\"resp-kayes\"]\n  contacts = "
         "[{ kind = \"webhook\", to = \"" +
         h +
         "/hook\" }, { kind = \"sms\", to = \"+22370000001\" }]\n  [[areas.tiers]]\n  name = \"Bamako duty "
         "officer\"\n  users = [\"duty-bamako\"]\n  contacts = [{ kind = \"email\", to = "
         "\"duty@bamako.example\" }, { kind = \"webhook\", to = \"" +
         h +
         "/hook\" }]\n[[rules]]\nid = \"villagers\"\nkind = \"report_cluster\"\nmin_reporters = 3\nradius_km = "
         "15\nwindow = \"48h\"\nseverity = \"Severe\"\nurgency = \"Immediate\"\ncertainty = \"Likely\"\n";
}

class EarlyWarningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.path() + "/ew.db";
    (void)testing::FreshStore(dir_, "ew.db");
    auto acc = auth::Accounts::Open(db_);
    ASSERT_TRUE(acc.ok());
    for (auto [name, role] : {std::pair{"resp-kayes", auth::Role::kResponder},
                              {"duty-bamako", auth::Role::kResponder},
                              {"vera", auth::Role::kViewer},
                              {"fp", auth::Role::kReporter}}) {
      ASSERT_TRUE((*acc)->AddUser(name, role, "").ok());
      tokens_[name] = (*acc)->CreateToken(name, "test")->token;
    }
    ASSERT_TRUE(alert::InitKeys(dir_.path() + "/keys").ok());
    receivers_ = std::make_unique<Receivers>(dir_.path() + "/received.jsonl");
    config_ =
        dir_.Write("alerts.toml", Config(dir_.path() + "/keys", receivers_->http_port(), receivers_->smtp_port()));
    server::ServerOptions o;
    o.db = db_;
    o.port = 0;
    o.rate_limit = 0;
    o.alerts_config = config_;
    o.alerts_tick_ms = 0;  // the test ticks, so simulated time decides
    o.clock = &clock_;
    auto s = server::Server::Create(o, testing::Ref());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = std::move(*s);
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { (void)server_->Run(); });
  }
  void TearDown() override {
    server_->Stop();
    thread_.join();
  }

  httplib::Client Client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(60, 0);
    return c;
  }
  httplib::Headers As(const std::string& user) { return {{"Authorization", "Bearer " + tokens_[user]}}; }

  // What an SMS gateway sends: the form shape, signed.
  httplib::Result Sms(const std::string& id, const std::string& from, const std::string& text, int64_t ts_offset = 0,
                      const std::string& secret = kGatewaySecret) {
    httplib::Params p = {{"id", id}, {"from", from}, {"text", text}, {"date", core::FormatUtc(clock_.Now())}};
    std::string body;
    for (const auto& [k, v] : p) body += (body.empty() ? "" : "&") + k + "=" + httplib::detail::encode_query_param(v);
    const int64_t ts = clock_.Now() + ts_offset;
    httplib::Headers h = {{"X-Vigil-Timestamp", std::to_string(ts)},
                          {"X-Vigil-Signature", alert::SignGatewayBody(secret, ts, body)}};
    auto c = Client();
    auto r = c.Post("/api/v1/sms/inbound?gateway=village-sms", h, body, "application/x-www-form-urlencoded");
    if (r) Keep(r->body);
    return r;
  }
  Json Get(const std::string& path, const std::string& user) {
    auto c = Client();
    auto r = c.Get(path, As(user));
    EXPECT_TRUE(r) << path;
    if (!r) return Json();
    Keep(r->body);
    EXPECT_EQ(r->status, 200) << path << " " << r->body;
    return r->status == 200 && r->get_header_value("Content-Type").find("json") != std::string::npos
               ? Json::parse(r->body)
               : Json(r->body);
  }
  int64_t Count(const char* sql) { return *store::Db::Open(db_, false)->QueryInt(sql); }
  void Tick() { ASSERT_TRUE(server_->TickAlertsForTesting().ok()); }

  testing::TempDir dir_;
  std::string db_, config_;
  core::FakeClock clock_{kStart};
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<Receivers> receivers_;
  std::unique_ptr<server::Server> server_;
  std::thread thread_;
  void Keep(const std::string& body) {
    std::lock_guard<std::mutex> lock(bodies_mu_);
    bodies_.push_back(body);
  }
  std::mutex bodies_mu_;
  std::vector<std::string> bodies_;  // every API response, for the leak check
};

TEST_F(EarlyWarningTest, ThreeVillagersSmsEscalateUntilAcknowledgedWithACapUpdate) {
  // Three phones, French, minutes apart, about armed men near Diboli.
  const char* texts[] = {"Des hommes armés à moto sont passés près de Diboli ce matin",
                         "beaucoup d'hommes armés vers Diboli, ils vont vers le village",
                         "Attention, des hommes en armes à Diboli, les gens ont peur"};
  for (int i = 0; i < 3; ++i) {
    auto r = Sms("msg-" + std::to_string(i), "+2237600000" + std::to_string(i), texts[i]);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
    clock_.Advance(300);
  }
  Json alerts = Get("/api/v1/alerts", "resp-kayes")["alerts"];
  ASSERT_EQ(alerts.size(), 1u) << "one corroborated cluster, one alert";
  const Json a = alerts[0];
  EXPECT_EQ(a["state"], "open");
  EXPECT_EQ(a["severity"], "Severe");
  EXPECT_EQ(a["tier"], 1);
  EXPECT_EQ(a["evidence"]["reporters"], 3);
  EXPECT_NE(a["headline_fr"].get<std::string>().find("Diboli"), std::string::npos) << a["headline_fr"];
  const std::string ref = a["reference"];

  Tick();  // delivers: three replies, tier 1's webhook and SMS
  auto replies = receivers_->Received("sms");
  int reply_count = 0, alert_sms = 0;
  for (const auto& m : replies) {
    Json b = Json::parse(m["body"].get<std::string>());
    if (b["text"].get<std::string>().find("Reçu, référence R-") == 0) ++reply_count;
    if (b["to"] == "+22370000001") ++alert_sms;
    // Signed with the gateway's secret over timestamp.body.
    const std::string ts = m["headers"]["X-Vigil-Timestamp"];
    EXPECT_EQ(m["headers"]["X-Vigil-Signature"],
              alert::SignGatewayBody(kGatewaySecret, std::stoll(ts), m["body"].get<std::string>()));
  }
  EXPECT_EQ(reply_count, 3) << "each reporter gets a French reply with a reference";
  EXPECT_EQ(alert_sms, 1);
  auto hooks = receivers_->Received("webhook");
  ASSERT_EQ(hooks.size(), 1u);
  Json hook = Json::parse(hooks[0]["body"].get<std::string>());
  EXPECT_EQ(hook["purpose"], "alert");
  EXPECT_EQ(hook["tier"], "Kayes field office");
  EXPECT_FALSE(hooks[0]["headers"]["Idempotency-Key"].get<std::string>().empty());
  EXPECT_EQ(receivers_->Received("email").size(), 0u) << "tier 2 is not told yet";

  clock_.Advance(30 * 60);  // half the Severe deadline: nothing yet
  Tick();
  EXPECT_EQ(Get("/api/v1/alerts/" + ref, "resp-kayes")["tier"], 1);
  clock_.Advance(31 * 60);  // past the deadline: tier 2
  Tick();
  Json escalated = Get("/api/v1/alerts/" + ref, "duty-bamako");
  EXPECT_EQ(escalated["tier"], 2);
  auto mails = receivers_->Received("email");
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0]["headers"]["to"].get<std::string>().find("duty@bamako.example"), std::string::npos);
  const std::string mail = mails[0]["body"];
  EXPECT_NE(mail.find("Subject: [vigil " + ref + "]"), std::string::npos) << mail.substr(0, 400);
  EXPECT_NE(mail.find("Message-ID: <vigil."), std::string::npos);
  hooks = receivers_->Received("webhook");
  ASSERT_EQ(hooks.size(), 2u);
  EXPECT_EQ(Json::parse(hooks[1]["body"].get<std::string>())["purpose"], "escalation");

  // The duty officer sees it in their inbox, and acknowledges.
  Json inbox = Get("/api/v1/inbox", "duty-bamako");
  ASSERT_EQ(inbox["open"].size(), 1u);
  auto c = Client();
  auto ack = c.Post("/api/v1/alerts/" + ref + "/ack", As("duty-bamako"),
                    R"({"disposition": "some_impact", "note": "patrol sent to Diboli"})", "application/json");
  ASSERT_TRUE(ack);
  ASSERT_EQ(ack->status, 200) << ack->body;
  auto again =
      c.Post("/api/v1/alerts/" + ref + "/ack", As("resp-kayes"), R"({"disposition": "no_impact"})", "application/json");
  EXPECT_EQ(again->status, 409) << "acknowledged once";
  clock_.Advance(2 * 3600);
  Tick();
  EXPECT_EQ(Get("/api/v1/alerts/" + ref, "resp-kayes")["tier"], 2) << "no escalation after the acknowledgement";
  Json acked = Get("/api/v1/alerts/" + ref, "resp-kayes");
  EXPECT_EQ(acked["state"], "acknowledged");
  EXPECT_EQ(acked["disposition"], "some_impact");
  EXPECT_EQ(acked["acknowledged_by"], "duty-bamako");
  auto caps = acked["cap_messages"];
  ASSERT_GE(caps.size(), 3u);
  EXPECT_EQ(caps[0]["msg_type"], "Alert");
  EXPECT_EQ(caps.back()["msg_type"], "Update");
  const std::string cap = Get("/api/v1/alerts/" + ref + ".cap", "resp-kayes").get<std::string>();
  EXPECT_NE(cap.find("<msgType>Update</msgType>"), std::string::npos);
  EXPECT_NE(cap.find("Acknowledged by duty-bamako: some_impact"), std::string::npos) << cap;
  EXPECT_NE(cap.find("<references>"), std::string::npos);
  // Both tiers' webhooks heard of the acknowledgement.
  int updates = 0;
  for (const auto& h : receivers_->Received("webhook"))
    if (Json::parse(h["body"].get<std::string>())["purpose"] == "update") ++updates;
  EXPECT_EQ(updates, 2);
  // Every step is in the audit trail, and the chain verifies.
  std::string trail;
  for (const auto& e : acked["audit"]) trail += e["action"].get<std::string>() + " ";
  for (const char* step : {"alert.raise", "alert.notify.queue", "notify.sent", "alert.escalate", "alert.acknowledge"})
    EXPECT_NE(trail.find(step), std::string::npos) << step << " missing from: " << trail;
  auto d = store::Db::Open(db_, false);
  auto check = store::VerifyAudit(&*d);
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok) << check->problem;
  // Every message was delivered once, each with its own key.
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE state <> 'sent'"), 0);
  EXPECT_EQ(Count("SELECT count(DISTINCT idempotency_key) FROM outbox"), Count("SELECT count(*) FROM outbox"));
}

TEST_F(EarlyWarningTest, BadSignatureStaleOrReplayedSmsIs401AndNothingStored) {
  auto forged = Sms("m1", "+22376111111", "hommes armés près de Kayes", 0, "not-the-secret-at-all");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 401);
  auto stale = Sms("m2", "+22376111111", "hommes armés près de Kayes", -600);
  EXPECT_EQ(stale->status, 401);
  EXPECT_EQ(Count("SELECT count(*) FROM reports"), 0);
  ASSERT_EQ(Sms("m3", "+22376111111", "hommes armés près de Kayes")->status, 201);
  auto replay = Sms("m3", "+22376111111", "hommes armés près de Kayes");
  EXPECT_EQ(replay->status, 401) << replay->body;
  EXPECT_EQ(Count("SELECT count(*) FROM reports"), 1);
  // No signature at all.
  auto c = Client();
  auto bare =
      c.Post("/api/v1/sms/inbound?gateway=village-sms", "id=m4&from=%2B1&text=x", "application/x-www-form-urlencoded");
  EXPECT_EQ(bare->status, 401);
  EXPECT_EQ(Count("SELECT count(*) FROM reports"), 1);
}

TEST_F(EarlyWarningTest, ReportersAndViewersCannotListReportsOrReadContacts) {
  auto c = Client();
  auto sent = c.Post("/api/v1/reports", As("fp"), R"({"text": "hommes armés vus", "place": "Nioro du Sahel"})",
                     "application/json");
  ASSERT_TRUE(sent);
  ASSERT_EQ(sent->status, 201) << sent->body;
  for (const char* user : {"fp", "vera"}) {
    EXPECT_EQ(c.Get("/api/v1/reports", As(user))->status, 403) << user;
    EXPECT_EQ(c.Get("/api/v1/reports/R-1", As(user))->status, 403) << user;
    EXPECT_EQ(c.Get("/api/v1/inbox", As(user))->status, 403) << user;
  }
  EXPECT_EQ(c.Get("/api/v1/reports")->status, 401);
  EXPECT_EQ(c.Get("/api/v1/reports", As("resp-kayes"))->status, 200);
  // Viewers see counts per public cell, no text.
  auto cells = c.Get("/api/v1/reports/cells", As("vera"));
  ASSERT_EQ(cells->status, 200);
  EXPECT_EQ(cells->body.find("hommes"), std::string::npos);
  // A reporter can send but not acknowledge.
  EXPECT_EQ(c.Post("/api/v1/alerts/A-1/ack", As("fp"), R"({"disposition":"no_impact"})", "application/json")->status,
            403);
}

TEST_F(EarlyWarningTest, IdempotencyKeyReturnsTheFirstAnswerAndStoresOnce) {
  auto c = Client();
  httplib::Headers h = As("fp");
  h.emplace("Idempotency-Key", "app-7f3a-0001");
  auto first = c.Post("/api/v1/reports", h, R"({"text": "hommes armés près de Sandaré"})", "application/json");
  ASSERT_EQ(first->status, 201);
  auto again = c.Post("/api/v1/reports", h, R"({"text": "hommes armés près de Sandaré"})", "application/json");
  ASSERT_EQ(again->status, 201);
  EXPECT_EQ(again->body, first->body);
  EXPECT_EQ(again->get_header_value("Idempotent-Replayed"), "true");
  EXPECT_EQ(Count("SELECT count(*) FROM reports"), 1);
}

// Group commit: many writers at once share transactions; a replayed SMS in
// the middle of a batch is refused alone, the others are stored once each.
TEST_F(EarlyWarningTest, ConcurrentSubmissionsAreEachStoredOnceAndAFailureStaysAlone) {
  std::vector<std::thread> threads;
  std::atomic<int> created{0}, refused{0}, other{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 30; ++i) {
        // Every id is sent by two threads: one is stored, one is a replay.
        const std::string id = "c" + std::to_string((t / 2) * 100 + i);
        auto r = Sms(id, "+2237700" + std::to_string(t * 100 + i), "hommes armés près de Kita");
        if (r && r->status == 201)
          ++created;
        else if (r && r->status == 401)
          ++refused;
        else
          ++other;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(created.load(), 120);
  EXPECT_EQ(refused.load(), 120);
  EXPECT_EQ(Count("SELECT count(*) FROM reports"), 120);
  EXPECT_EQ(Count("SELECT count(*) FROM sms_seen"), 120);
  auto d = store::Db::Open(db_, false);
  EXPECT_TRUE(store::VerifyAudit(&*d)->ok);
}

TEST_F(EarlyWarningTest, HostilePayloadsAreRefusedOrNeutralised) {
  auto c = Client();
  const std::string before = std::to_string(Count("SELECT count(*) FROM reports"));
  auto big = c.Post("/api/v1/reports", As("fp"), Json{{"text", std::string(9000, 'a')}}.dump(), "application/json");
  EXPECT_EQ(big->status, 413) << big->body;
  auto utf = c.Post("/api/v1/reports", As("fp"), std::string("{\"text\": \"bad \xff\xfe\"}"), "application/json");
  EXPECT_EQ(utf->status, 400);
  auto deep = c.Post("/api/v1/reports", As("fp"), std::string(5000, '[') + std::string(5000, ']'), "application/json");
  EXPECT_EQ(deep->status, 400);
  auto coords = c.Post("/api/v1/reports", As("fp"), R"({"text": "x", "lat": 91, "lon": 0})", "application/json");
  EXPECT_EQ(coords->status, 400);
  auto field = c.Post("/api/v1/reports", As("fp"), R"({"text": "x", "admin": true})", "application/json");
  EXPECT_EQ(field->status, 400);
  EXPECT_EQ(std::to_string(Count("SELECT count(*) FROM reports")), before);
  // Markup is stored as text and comes back as a JSON string, never as markup.
  auto html = c.Post("/api/v1/reports", As("fp"), R"({"text": "<script>alert(1)</script> hommes armés à Kayes"})",
                     "application/json");
  ASSERT_EQ(html->status, 201);
  Json list = Get("/api/v1/reports", "resp-kayes");
  EXPECT_EQ(list["reports"][0]["text"], "<script>alert(1)</script> hommes armés à Kayes");
}

TEST_F(EarlyWarningTest, APlantedPhoneNumberAppearsNowhereOutsideItsCiphertext) {
  // The server's stderr (its log) goes to a file for the test.
  const std::string log = dir_.path() + "/server.log";
  fflush(stderr);
  const int saved = dup(2);
  const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dup2(fd, 2);
  const std::string digits = "76543219";
  const std::string phone = "+223 " + digits;
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(
        Sms("p" + std::to_string(i), i == 0 ? phone : "+2236600000" + std::to_string(i), "hommes armés près de Diboli")
            ->status,
        201);
  }
  auto c = Client();
  auto web = c.Post("/api/v1/reports", As("fp"), Json{{"text", "hommes armés à Sandaré"}, {"contact", phone}}.dump(),
                    "application/json");
  ASSERT_EQ(web->status, 201);
  bodies_.push_back(web->body);
  Tick();
  // A responder verifies a report into an event: the event and its
  // provenance must not carry the number either.
  auto v = c.Post("/api/v1/reports/R-1/triage", As("resp-kayes"), R"({"state": "verified", "note": "checked"})",
                  "application/json");
  ASSERT_EQ(v->status, 200) << v->body;
  bodies_.push_back(v->body);
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE source = 'community'"), 1) << "verified into an event";
  for (const char* path :
       {"/api/v1/reports", "/api/v1/reports/R-1", "/api/v1/reports/R-4", "/api/v1/alerts", "/api/v1/alerts/A-1",
        "/api/v1/alerts/A-1.cap", "/api/v1/alerts.atom", "/api/v1/inbox", "/api/v1/reports/cells",
        "/api/v1/events?format=json", "/api/v1/events", "/ogc/collections/events/items", "/api/v1/stats"})
    Get(path, "resp-kayes");
  auto audit = c.Get("/api/v1/events/1", As("resp-kayes"));
  if (audit) bodies_.push_back(audit->body);
  fflush(stderr);
  dup2(saved, 2);
  close(fd);
  close(saved);
  // Exports of the events through the command line.
  const std::string exports = dir_.path() + "/export";
  for (const char* f : {"csv", "jsonl", "json", "geojson", "hxl"}) {
    const std::string cmd = std::string(VIGIL_BINARY) + " --db " + db_ + " --data-dir " + VIGIL_TEST_DATA_DIR +
                            " events --format " + f + " > " + exports + "." + f + " 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }
  std::vector<std::pair<std::string, std::string>> places = {
      {"database", Slurp(db_)}, {"WAL", Slurp(db_ + "-wal")}, {"server log", Slurp(log)}};
  for (const char* f : {"csv", "jsonl", "json", "geojson", "hxl"}) places.push_back({f, Slurp(exports + "." + f)});
  for (size_t i = 0; i < bodies_.size(); ++i) places.push_back({"response " + std::to_string(i), bodies_[i]});
  EXPECT_GT(Slurp(db_).size() + Slurp(db_ + "-wal").size(), 10000u);
  for (const auto& [where, content] : places) {
    EXPECT_EQ(content.find(digits), std::string::npos) << "the number leaked into " << where;
    EXPECT_EQ(content.find("22376543219"), std::string::npos) << where;
  }
  // ... while the reply did reach the reporter's phone through the gateway,
  // and the responders' private key still opens the contact.
  bool replied = false;
  for (const auto& m : receivers_->Received("sms"))
    replied = replied || Json::parse(m["body"].get<std::string>())["to"] == "+223" + digits;
  EXPECT_TRUE(replied);
  // Once the reply is sent, not even the sealed copy for delivery is kept.
  EXPECT_GT(Count("SELECT count(*) FROM outbox WHERE report_id IS NOT NULL AND state = 'sent'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE state IN ('sent', 'dead') AND length(recipient_box) > 0"), 0);
}

}  // namespace
}  // namespace vigil

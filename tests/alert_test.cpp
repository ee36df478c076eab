// The early-warning module's parts on their own: configuration errors that
// name the line, triage on sentences written for the tests (French and
// English), credibility, CAP 1.2 against the OASIS schema, gateway
// signatures, keys, retry schedules.
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <sys/stat.h>

#include <fstream>
#include <set>

#include "alert/cap.h"
#include "alert/config.h"
#include "alert/credibility.h"
#include "alert/keys.h"
#include "alert/service.h"
#include "alert/sms.h"
#include "alert/triage.h"
#include "core/clock.h"
#include "ingest/importer.h"
#include "model/site_store.h"
#include "test_support.h"

namespace vigil::alert {
namespace {

using testing::Ref;

const char* kMinimal = R"(
[[areas]]
id = "kayes"
admin1 = ["Kayes"]
  [[areas.tiers]]
  name = "field"
  users = ["r1"]
)";

TEST(AlertConfig, ErrorsNameTheFileAndLine) {
  auto bad_kind =
      ParseAlertConfig(std::string(kMinimal) + "\n[[rules]]\nid = \"x\"\nkind = \"telepathy\"\n", "a.toml", "/");
  ASSERT_FALSE(bad_kind.ok());
  EXPECT_NE(bad_kind.status().message().find("a.toml:11:"), std::string::npos) << bad_kind.status().message();
  EXPECT_NE(bad_kind.status().message().find("report_cluster"), std::string::npos);
  auto typo = ParseAlertConfig(
      std::string(kMinimal) + "\n[[rules]]\nid = \"x\"\nkind = \"report_cluster\"\nseverty = \"Severe\"\n", "a.toml",
      "/");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("unknown key 'severty'"), std::string::npos) << typo.status().message();
  auto sev = ParseAlertConfig(
      std::string(kMinimal) + "\n[[rules]]\nid = \"x\"\nkind = \"report_cluster\"\nseverity = \"Bad\"\n", "a.toml",
      "/");
  ASSERT_FALSE(sev.ok());
  EXPECT_NE(sev.status().message().find("Extreme"), std::string::npos) << sev.status().message();
  auto syntax = ParseAlertConfig("[[areas]\nid = 1", "b.toml", "/");
  ASSERT_FALSE(syntax.ok());
  EXPECT_NE(syntax.status().message().find("b.toml:1"), std::string::npos) << syntax.status().message();
  auto nobody =
      ParseAlertConfig("[[areas]]\nid = \"a\"\nadmin1 = [\"Kayes\"]\n[[areas.tiers]]\nname = \"t\"\n", "c.toml", "/");
  ASSERT_FALSE(nobody.ok());
  EXPECT_NE(nobody.status().message().find("nobody would be told"), std::string::npos);
  auto dur = ParseAlertConfig(std::string(kMinimal) + "[deadlines]\nSevere = \"an hour\"\n", "d.toml", "/");
  ASSERT_FALSE(dur.ok());
  EXPECT_NE(dur.status().message().find("d.toml:"), std::string::npos);
}

TEST(AlertConfig, TheBundledExampleIsValidAndAreasContainTheirPlaces) {
  auto c = LoadAlertConfig(std::string(VIGIL_TEST_DATA_DIR) + "/alerts/kayes.example.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->Deadline(Severity::kExtreme), 15 * 60);
  EXPECT_EQ(c->Deadline(Severity::kSevere), 3600);
  const AreaConfig* kayes = c->AreaFor(14.45, -11.44, "Kayes", "Kayes");
  ASSERT_NE(kayes, nullptr);
  EXPECT_EQ(kayes->id, "kayes");
  EXPECT_EQ(kayes->tiers.size(), 2u);
  const AreaConfig* other = c->AreaFor(16.27, -0.04, "Gao", "Gao");
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->id, "rest") << "the fallback area takes what no other contains";
}

class TriageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto l = TriageLexicon::Load(VIGIL_TEST_DATA_DIR);
    ASSERT_TRUE(l.ok()) << l.status().ToString();
    lex_ = new TriageLexicon(std::move(*l));
  }
  static Triage Run(const std::string& text, const std::string& place = "") {
    ReportInput in;
    in.text = text;
    in.place = place;
    return TriageReport(in, *Ref(), *lex_);
  }
  static inline TriageLexicon* lex_ = nullptr;
};

TEST_F(TriageTest, FrenchSightingNamesItsPlaceAndSigns) {
  const Triage t = Run("Ce matin des hommes armés sur des motos sont passés près de Diboli, les gens ont peur");
  EXPECT_EQ(t.lang, "fr");
  EXPECT_EQ(t.location, "Diboli");
  EXPECT_EQ(t.geo_source, "text");
  EXPECT_EQ(t.admin1, "Kayes");
  ASSERT_FALSE(t.signs.empty());
  EXPECT_EQ(t.signs[0], "armed_men");
}

TEST_F(TriageTest, EnglishLowerCasePlaceAfterACue) {
  const Triage t = Run("gunmen were seen near nioro last night, villagers are leaving");
  EXPECT_EQ(t.lang, "en");
  EXPECT_EQ(t.admin1, "Kayes") << t.location;
  EXPECT_NE(std::find(t.signs.begin(), t.signs.end(), "armed_men"), t.signs.end());
}

TEST_F(TriageTest, AGivenPlaceWinsAndAnUnknownOneIsKeptAsWritten) {
  const Triage t = Run("des hommes armés", "Sandaré");
  EXPECT_EQ(t.geo_source, "place");
  EXPECT_EQ(t.admin1, "Kayes");
  const Triage u = Run("des hommes armés", "Xqzvillage");
  EXPECT_EQ(u.geo_source, "unknown");
  EXPECT_EQ(u.location, "Xqzvillage");
  EXPECT_FALSE(u.lat.has_value()) << "an unknown place is never replaced by a guess";
}

TEST_F(TriageTest, WordsSplitApostrophesAndCurlyQuotes) {
  auto w = Words("près d’Inates et l'école");
  ASSERT_GE(w.size(), 5u);
  EXPECT_EQ(w[1].folded, "d");
  EXPECT_EQ(w[2].folded, "inates");
}

TEST(Credibility, IndependentReportersRecordAndPriorEachMoveTheScore) {
  const auto one = ScoreCluster(1, {{}}, std::nullopt);
  const auto three = ScoreCluster(3, {{}, {}, {}}, std::nullopt);
  EXPECT_NEAR(one.score, 0.5, 1e-9);
  EXPECT_NEAR(three.score, 0.875, 1e-9);
  const auto trusted = ScoreCluster(3, {{4, 0, 4}, {3, 0, 3}, {}}, std::nullopt);
  const auto doubtful = ScoreCluster(3, {{0, 4, 4}, {0, 3, 3}, {}}, std::nullopt);
  EXPECT_GT(trusted.score, three.score);
  EXPECT_LT(doubtful.score, three.score);
  EXPECT_GT(ScoreCluster(3, {{}, {}, {}}, 0.6).score, three.score);
  EXPECT_NEAR(ScoreCluster(3, {{}, {}, {}}, 0.1).score, three.score, 1e-9) << "the usual risk changes nothing";
  EXPECT_NE(trusted.why_en.find("7 verified"), std::string::npos) << trusted.why_en;
  EXPECT_NE(trusted.why_fr.find("témoins indépendants"), std::string::npos) << trusted.why_fr;
}

bool ValidCap(const std::string& xml, std::string* errors) {
  static xmlSchemaPtr schema = [] {
    xmlSchemaParserCtxtPtr p = xmlSchemaNewParserCtxt((testing::SharedDir() + "/standards/cap/CAP-v1.2.xsd").c_str());
    xmlSchemaPtr s = xmlSchemaParse(p);
    xmlSchemaFreeParserCtxt(p);
    return s;
  }();
  if (!schema) {
    *errors = "cannot read the CAP schema";
    return false;
  }
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "cap.xml", nullptr, XML_PARSE_NONET);
  if (!doc) {
    *errors = "not well-formed";
    return false;
  }
  xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(schema);
  const int rc = xmlSchemaValidateDoc(v, doc);
  xmlSchemaFreeValidCtxt(v);
  xmlFreeDoc(doc);
  if (rc != 0) *errors = "schema validation failed (" + std::to_string(rc) + ")";
  return rc == 0;
}

Alert SampleAlert() {
  Alert a;
  a.id = 12;
  a.identifier = "vigil.abcd.A-12";
  a.area_id = "kayes";
  a.urgency = Urgency::kImmediate;
  a.severity = Severity::kSevere;
  a.certainty = Certainty::kLikely;
  a.headline_en = "Armed men reported near Diboli: 3 independent reports";
  a.headline_fr = "Hommes armés signalés près de Diboli : 3 signalements <indépendants> & \"sûrs\"";
  a.description_en = "desc";
  a.description_fr = "desc fr";
  a.area.description = "Diboli (Kayes)";
  a.area.circle = Circle{14.15, -11.35, 15};
  return a;
}

TEST(Cap, AlertUpdateAndCancelValidateAgainstTheOasisSchema) {
  Alert a = SampleAlert();
  CapContext ctx{"vigil@example.org", "http://127.0.0.1:8080"};
  std::string err;
  const std::string first = RenderCap(a, "Alert", 1751346000, ctx, {});
  EXPECT_TRUE(ValidCap(first, &err)) << err << "\n" << first;
  std::vector<CapMessage> earlier = {{1, 12, "Alert", "vigil.abcd.A-12.1", first, 1751346000}};
  a.version = 2;
  a.area.circle.reset();
  a.area.polygon = {{14.0, -11.5}, {14.3, -11.5}, {14.3, -11.2}, {14.0, -11.5}};
  const std::string update = RenderCap(a, "Update", 1751349600, ctx, earlier, "Acknowledged by x: some_impact");
  EXPECT_TRUE(ValidCap(update, &err)) << err << "\n" << update;
  EXPECT_NE(update.find("<references>vigil@example.org,vigil.abcd.A-12.1,2025-07-01T05:00:00-00:00</references>"),
            std::string::npos)
      << update;
  EXPECT_NE(update.find("&lt;indépendants&gt; &amp;"), std::string::npos);
  a.state = AlertState::kResolved;
  const std::string cancel = RenderCap(a, "Cancel", 1751353200, ctx, earlier);
  EXPECT_TRUE(ValidCap(cancel, &err)) << err;
  EXPECT_NE(cancel.find("AllClear"), std::string::npos);
  EXPECT_EQ(CapTime(0), "1970-01-01T00:00:00-00:00");
}

TEST(Cap, AckIsParsedAndHostileXmlRefused) {
  const std::string ack = R"(<?xml version="1.0"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>resp-1</identifier><sender>resp@example.org</sender>
<sent>2025-07-01T06:00:00-00:00</sent><status>Actual</status><msgType>Ack</msgType><scope>Private</scope>
<note>some_impact: road closed at Diboli</note>
<references>vigil@example.org,vigil.abcd.A-12.2,2025-07-01T05:00:00-00:00</references></alert>)";
  auto a = ParseCapAck(ack);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->disposition, Disposition::kSomeImpact);
  EXPECT_EQ(a->note, "road closed at Diboli");
  ASSERT_EQ(a->refs.size(), 1u);
  EXPECT_EQ(AlertIdentifierOf(a->refs[0]), "vigil.abcd.A-12");
  const std::string xxe = R"(<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>)"
                          R"(<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><msgType>Ack</msgType></alert>)";
  EXPECT_EQ(ParseCapAck(xxe).status().code(), core::Code::kInvalidArgument);
  std::string no_disposition = ack;
  no_disposition.replace(no_disposition.find("some_impact:"), 12, "looked at it");
  EXPECT_NE(ParseCapAck(no_disposition).status().message().find("disposition"), std::string::npos);
  std::string update = ack;
  update.replace(update.find(">Ack<"), 5, ">Update<");
  EXPECT_FALSE(ParseCapAck(update).ok());
  EXPECT_FALSE(ParseCapAck("<alert").ok());
  EXPECT_FALSE(ParseCapAck(std::string(300 << 10, ' ')).ok());
}

TEST(Gateway, SignaturesTimestampsAndBothShapes) {
  GatewayProfile g;
  g.name = "gw";
  g.secret = "a-secret-of-enough-length";
  const int64_t now = 1751346000;
  const std::string body = "id=m1&from=%2B22376000001&text=hommes+arm%C3%A9s&date=2025-07-01T05%3A00%3A00Z";
  const std::string sig = SignGatewayBody(g.secret, now, body);
  EXPECT_TRUE(VerifyGatewaySignature(g, std::to_string(now), sig, body, now).ok());
  EXPECT_EQ(VerifyGatewaySignature(g, std::to_string(now), sig, body + "x", now).code(), core::Code::kUnauthenticated);
  EXPECT_EQ(VerifyGatewaySignature(g, std::to_string(now - 301), SignGatewayBody(g.secret, now - 301, body), body, now)
                .code(),
            core::Code::kUnauthenticated)
      << "a stale timestamp";
  EXPECT_EQ(VerifyGatewaySignature(g, "", sig, body, now).code(), core::Code::kUnauthenticated);
  g.shape = "form";
  auto f = ParseInboundSms(g, body);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->from, "+22376000001");
  EXPECT_EQ(f->text, "hommes armés");
  EXPECT_EQ(f->sent_at, 1751346000);
  g.shape = "json";
  auto j = ParseInboundSms(g, R"({"id":"m2","from":"+223 76 00 00 02","text":"armed men","timestamp":1751346000})");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(NormalizeContact(j->from), "+22376000002");
  EXPECT_FALSE(ParseInboundSms(g, R"({"id":"m2","text":"x"})").ok());
  EXPECT_FALSE(ParseInboundSms(g, std::string(50, '[')).ok());
}

TEST(Keys, ContactsAreSealedHashedAndOnlyThePrivateKeyOpensThem) {
  testing::TempDir dir;
  ASSERT_TRUE(InitKeys(dir.path() + "/k").ok());
  EXPECT_EQ(InitKeys(dir.path() + "/k").code(), core::Code::kConflict) << "keys are never overwritten";
  struct stat sb {};
  ASSERT_EQ(::stat((dir.path() + "/k/contact.key").c_str(), &sb), 0);
  EXPECT_EQ(sb.st_mode & 077, 0u);
  auto k = LoadServerKeys(dir.path() + "/k");
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  const std::string box = SealContact(*k, "+223 70 00 00 01");
  EXPECT_EQ(box.find("22370000001"), std::string::npos);
  EXPECT_EQ(ContactHash(*k, "+223 70 00 00 01"), ContactHash(*k, "0022370000001"));
  EXPECT_NE(ContactHash(*k, "+22370000001"), ContactHash(*k, "+22370000002"));
  auto priv = LoadContactPrivateKey(dir.path() + "/k");
  ASSERT_TRUE(priv.ok());
  EXPECT_EQ(*OpenContact(k->contact_public, *priv, box), "+22370000001");
  ASSERT_TRUE(InitKeys(dir.path() + "/other").ok());
  auto wrong = LoadContactPrivateKey(dir.path() + "/other");
  EXPECT_EQ(OpenContact(k->contact_public, *wrong, box).status().code(), core::Code::kPermissionDenied);
  const std::string sealed = SealForDelivery(*k, "+22370000001");
  EXPECT_EQ(*OpenForDelivery(*k, sealed), "+22370000001");
  ::chmod((dir.path() + "/k/server.key").c_str(), 0644);
  EXPECT_EQ(LoadServerKeys(dir.path() + "/k").status().code(), core::Code::kPermissionDenied);
}

TEST(Delivery, RetryDelaysGrowAreCappedAndRepeatable) {
  int64_t prev_cap = 0;
  for (int attempt = 1; attempt <= 12; ++attempt) {
    const int64_t d = RetryDelay(attempt, 2, 120, "key-1");
    const int64_t cap = std::min<int64_t>(120, int64_t{2} << (attempt - 1));
    EXPECT_GE(d, cap / 2);
    EXPECT_LE(d, cap);
    EXPECT_EQ(d, RetryDelay(attempt, 2, 120, "key-1")) << "the same schedule after a restart";
    EXPECT_GE(cap, prev_cap);
    prev_cap = cap;
  }
  EXPECT_EQ(std::min<int64_t>(120, RetryDelay(30, 2, 120, "k")), RetryDelay(30, 2, 120, "k"));
}

TEST(Clock, UtcTimesAndDurationsRoundTrip) {
  EXPECT_EQ(core::FormatUtc(1751346000), "2025-07-01T05:00:00Z");
  EXPECT_EQ(*core::ParseUtc("2025-07-01T05:00:00Z"), 1751346000);
  EXPECT_EQ(*core::ParseUtc("2025-07-01T06:00+01:00"), 1751346000);
  EXPECT_EQ(*core::ParseUtc("2025-07-01"), 1751328000);
  EXPECT_FALSE(core::ParseUtc("2025-02-30T00:00Z").ok());
  EXPECT_FALSE(core::ParseUtc("yesterday").ok());
  EXPECT_EQ(*core::ParseDuration("15m"), 900);
  EXPECT_EQ(*core::ParseDuration("2d"), 172800);
  EXPECT_FALSE(core::ParseDuration("15").ok());
  core::FakeClock c(100);
  c.Advance(50);
  EXPECT_EQ(c.Now(), 150);
}

}  // namespace
}  // namespace vigil::alert

namespace vigil {
namespace {

// One fallback area with one tier, then `rules`.
const std::string kOneArea = R"(
[[areas]]
id = "mali"
name_en = "Mali"
name_fr = "Mali"
fallback = true
  [[areas.tiers]]
  name = "desk"
  users = ["resp"]
)";

// Service options on the database in `dir` with configuration `cfg`.
alert::ServiceOptions CorridorOptions(const testing::TempDir& dir, const alert::AlertConfig& cfg) {
  alert::ServiceOptions opt;
  opt.db_url = dir.path() + "/t.db";
  opt.ref = testing::Ref();
  opt.config = std::make_shared<const alert::AlertConfig>(cfg);
  opt.data_dir = VIGIL_TEST_DATA_DIR;
  return opt;
}

// A corridor rule raises one alert when a watched corridor enters the
// status it watches for, from the events stored; not again for the same
// status, and never for a corridor it does not watch.
TEST(CorridorRule, ABlockadeInTheStoredEventsRaisesOneAlertPerCorridorEnteringIt) {
  testing::TempDir dir;
  auto events = testing::FreshStore(dir);
  std::ifstream in(std::string(VIGIL_TEST_DATA_DIR) + "/events/seed_events.jsonl");
  std::string line, before, after;
  while (std::getline(in, line))
    (line.find("\"2025-07") == std::string::npos && line.find("\"2025-08") == std::string::npos &&
             line.find("\"2025-09") == std::string::npos
         ? before
         : after) += line + "\n";
  ASSERT_FALSE(before.empty());
  ASSERT_FALSE(after.empty());
  const std::string toml = kOneArea + R"(
[[rules]]
id = "roads-cut"
kind = "corridor"

[[rules]]
id = "rn22"
kind = "corridor"
corridors = ["RN22"]
min_status = "disrupted"
)";
  auto cfg = alert::ParseAlertConfig(toml, "corridors.toml", dir.path());
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  core::FakeClock clock(1'760'000'000);
  alert::ServiceOptions opt = CorridorOptions(dir, *cfg);
  opt.clock = &clock;
  auto svc = alert::AlertService::Create(opt);
  ASSERT_TRUE(svc.ok()) << svc.status().ToString();
  ingest::Importer imp(events.get(), testing::Ref());
  ASSERT_TRUE(imp.ImportJsonlContent("before.jsonl", before, "jsonl", {}).ok());
  auto t1 = (*svc)->Tick(events.get());
  ASSERT_TRUE(t1.ok()) << t1.status().ToString();
  EXPECT_EQ(t1->corridor_alerts, 0);  // open before July 2025
  ASSERT_TRUE(imp.ImportJsonlContent("after.jsonl", after, "jsonl", {}).ok());
  auto t2 = (*svc)->Tick(events.get());
  ASSERT_TRUE(t2.ok()) << t2.status().ToString();
  EXPECT_GE(t2->corridor_alerts, 2);
  auto alerts = (*svc)->reads().ListAlerts({});
  ASSERT_TRUE(alerts.ok());
  std::set<std::string> seen;
  for (const auto& a : *alerts) {
    if (a.kind != "corridor") continue;
    const std::string corridor = a.evidence["corridor"];
    seen.insert(a.rule + ":" + corridor);
    EXPECT_EQ(a.evidence["status"], "blockaded") << corridor;
    EXPECT_FALSE(a.evidence["events"].empty()) << corridor;
    EXPECT_NE(a.headline_fr.find("bloqué"), std::string::npos) << a.headline_fr;
    if (a.rule == "roads-cut") {
      EXPECT_NE(corridor.rfind("RN", 0), 0u) << "a route the rule does not watch: " << corridor;
    }
  }
  std::string all;
  for (const auto& x : seen) all += x + " ";
  EXPECT_TRUE(seen.count("rn22:RN22")) << all;
  EXPECT_TRUE(seen.count("roads-cut:BKO-DKR")) << all;
  // Nothing new: the same status raises nothing, even after a restart.
  auto t3 = (*svc)->Tick(events.get());
  ASSERT_TRUE(t3.ok());
  EXPECT_EQ(t3->corridor_alerts, 0);
  auto again = alert::AlertService::Create(opt);
  ASSERT_TRUE(again.ok());
  auto t4 = (*again)->Tick(events.get());
  ASSERT_TRUE(t4.ok());
  EXPECT_EQ(t4->corridor_alerts, 0);
}

TEST(CorridorRule, ACorridorTheNetworkLacksIsRefusedAtStart) {
  testing::TempDir dir;
  (void)testing::FreshStore(dir);
  auto cfg = alert::ParseAlertConfig(kOneArea + "[[rules]]\nid = \"x\"\nkind = \"corridor\"\ncorridors = [\"RN99\"]\n",
                                     "c.toml", dir.path());
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  auto svc = alert::AlertService::Create(CorridorOptions(dir, *cfg));
  ASSERT_FALSE(svc.ok());
  EXPECT_NE(svc.status().message().find("RN99"), std::string::npos);
  auto bad = alert::ParseAlertConfig("[[rules]]\nid = \"y\"\nkind = \"corridor\"\nmin_status = \"closed\"\n", "d.toml",
                                     dir.path());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("min_status"), std::string::npos);
}

// One stored event (JSON Lines) at a point, on a date.
std::string EventLine(const std::string& id, double lat, double lon, const std::string& date) {
  return "{\"source\": \"test\", \"source_id\": \"" + id + "\", \"date_start\": \"" + date +
         "\", \"latitude\": " + std::to_string(lat) + ", \"longitude\": " + std::to_string(lon) +
         ", \"event_type\": \"Battles\", \"sub_event_type\": \"Armed clash\", \"actor1\": \"JNIM\"}\n";
}

geo::Site MakeSite(const std::string& name, double lat, double lon, double radius_km) {
  geo::Site s;
  s.name = name;
  s.type = "plant";
  s.lat = lat;
  s.lon = lon;
  s.radius_km = radius_km;
  return s;
}

// Registered sites feed the event_near rules: an event within a site's own
// radius raises an alert on that site, one outside it does not, a rule naming
// one site ignores the others, and a site registered after the service
// started is watched from then on.
TEST(SiteRule, AnEventWithinARegisteredSitesRadiusRaisesAnAlertOnThatSite) {
  testing::TempDir dir;
  auto events = testing::FreshStore(dir);
  auto sites = model::SiteStore::Open(dir.path() + "/t.db");
  ASSERT_TRUE(sites.ok()) << sites.status().ToString();
  auto ids =
      (*sites)->Add({MakeSite("Diamou plant", 14.09, -11.27, 20), MakeSite("Gao office", 16.27, -0.04, 10)}, false);
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  const std::string toml = kOneArea + R"(
[[rules]]
id = "all-sites"
kind = "event_near"
sites = ["*"]

[[rules]]
id = "gao"
kind = "event_near"
sites = ["GAO OFFICE"]
)";
  auto cfg = alert::ParseAlertConfig(toml, "sites.toml", dir.path());
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  core::FakeClock clock(1'760'000'000);
  alert::ServiceOptions opt = CorridorOptions(dir, *cfg);
  opt.clock = &clock;
  auto svc = alert::AlertService::Create(opt);
  ASSERT_TRUE(svc.ok()) << svc.status().ToString();
  ingest::Importer imp(events.get(), testing::Ref());
  ASSERT_TRUE(imp.ImportJsonlContent("old.jsonl", EventLine("old", 14.1, -11.25, "2025-01-01"), "jsonl", {}).ok());
  ASSERT_TRUE((*svc)->Tick(events.get()).ok());  // the history is not news
  // 7 km from the plant (inside its 20 km), 45 km from it (outside).
  const std::string fresh =
      EventLine("near", 14.15, -11.25, "2025-09-01") + EventLine("far", 14.5, -11.27, "2025-09-01");
  auto rep = imp.ImportJsonlContent("new.jsonl", fresh, "jsonl", {});
  ASSERT_TRUE(rep.ok());
  for (auto& [k, v] : rep->reasons) ADD_FAILURE() << k << " " << v;
  auto t = (*svc)->Tick(events.get());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->event_alerts, 1);
  auto alerts = (*svc)->reads().ListAlerts({});
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ(alerts->size(), 1u);
  const alert::Alert& a = alerts->front();
  EXPECT_EQ(a.rule, "all-sites");
  EXPECT_EQ(a.evidence["subscription"], "site:" + std::to_string((*ids)[0]));
  ASSERT_TRUE(a.area.circle.has_value());
  EXPECT_DOUBLE_EQ(a.area.circle->radius_km, 20);
  EXPECT_NE(a.headline_en.find("Diamou plant"), std::string::npos) << a.headline_en;
  // A site registered now is watched at the next event.
  ASSERT_TRUE((*sites)->Add({MakeSite("Sadiola mine", 13.89, -11.70, 15)}, false).ok());
  ASSERT_TRUE(imp.ImportJsonlContent("n2.jsonl", EventLine("mine", 13.92, -11.68, "2025-09-02"), "jsonl", {}).ok());
  auto t2 = (*svc)->Tick(events.get());
  ASSERT_TRUE(t2.ok()) << t2.status().ToString();
  EXPECT_EQ(t2->event_alerts, 1);
}

TEST(SiteRule, AnUnregisteredSiteIsRefusedAtStartAndSitesOnlyFitEventAndForecastRules) {
  testing::TempDir dir;
  (void)testing::FreshStore(dir);
  auto cfg = alert::ParseAlertConfig(kOneArea + "[[rules]]\nid = \"x\"\nkind = \"event_near\"\nsites = [\"Nowhere\"]\n",
                                     "s.toml", dir.path());
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  auto svc = alert::AlertService::Create(CorridorOptions(dir, *cfg));
  ASSERT_FALSE(svc.ok());
  EXPECT_NE(svc.status().message().find("Nowhere"), std::string::npos) << svc.status().ToString();
  auto bad = alert::ParseAlertConfig(kOneArea + "[[rules]]\nid = \"y\"\nkind = \"corridor\"\nsites = [\"*\"]\n",
                                     "d.toml", dir.path());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("sites"), std::string::npos);
}

}  // namespace
}  // namespace vigil

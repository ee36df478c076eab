// The signals of docs/signals.md on catalogues built here, each planted to
// show one shape (and its look-alike that must not be read as it), and on
// the bundled events.
#include "report/signals.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "analysis/common.h"
#include "analysis/control.h"
#include "analysis/diffusion.h"
#include "analysis/repeat.h"
#include "analysis/waves.h"
#include "core/priogrid.h"
#include "ingest/importer.h"
#include "report/sitrep.h"
#include "test_support.h"

namespace vigil {
namespace {

using analysis::FindWaves;
using core::Date;

Date D(const char* s) { return *Date::Parse(s); }

int64_t next_id = 1;

core::Event Ev(Date d, double lat, double lon, const std::string& actor, const std::string& type = "Battles",
               const std::string& sub = "Armed clash") {
  core::Event e;
  e.id = next_id++;
  e.date_start = e.date_end = d;
  e.latitude = lat;
  e.longitude = lon;
  e.actor1 = actor;
  e.event_type = type;
  e.sub_event_type = sub;
  char name[64];
  std::snprintf(name, sizeof name, "place %.3f %.3f", lat, lon);
  e.location = name;
  return e;
}

// A year of background: one event every ten days at random places of a
// 600 x 600 km box, by `actor`.
std::vector<core::Event> Background(Date start, const std::string& actor, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> lat(12, 17), lon(-12, -5);
  std::vector<core::Event> out;
  for (int d = 0; d < 360; d += 10) out.push_back(Ev(start + d, lat(rng), lon(rng), actor));
  return out;
}

// Seven towns spread over ~700 km, all at least 60 km apart.
const std::vector<std::pair<double, double>> kTowns = {
    {14.45, -11.44}, {14.46, -12.20}, {14.70, -10.31}, {15.23, -9.59}, {13.44, -6.26}, {14.25, -5.99}, {12.65, -8.00}};

TEST(Waves, SevenTownsInOneMorningAreOneWave) {
  auto evs = Background(D("2024-07-01"), "JNIM", 1);
  for (const auto& [lat, lon] : kTowns) evs.push_back(Ev(D("2025-07-01"), lat, lon, "JNIM"));
  const auto waves = FindWaves(evs, D("2025-06-01"), D("2025-07-31"));
  ASSERT_EQ(waves.size(), 1u);
  EXPECT_EQ(waves[0].actor, "JNIM");
  EXPECT_EQ(waves[0].start, D("2025-07-01"));
  EXPECT_EQ(waves[0].places.size(), 7u);
  EXPECT_EQ(waves[0].event_ids.size(), 7u);
  EXPECT_LT(waves[0].p_value, 1e-6);
  EXPECT_GT(waves[0].span_km, 500);
}

TEST(Waves, AContagionCascadeOfTheSameSizeIsNotAWave) {
  auto evs = Background(D("2024-07-01"), "JNIM", 2);
  // Seven events, each 15 km from the last, one or two days apart: the
  // shape of triggering, not of coordination.
  double lat = 14.0, lon = -8.0;
  Date d = D("2025-07-01");
  for (int i = 0; i < 7; ++i) {
    evs.push_back(Ev(d, lat, lon, "JNIM"));
    lon -= 0.14;
    d = d + (1 + i % 2);
  }
  EXPECT_TRUE(FindWaves(evs, D("2025-06-01"), D("2025-07-31")).empty());
}

TEST(Waves, ManyEventsAroundOneTownInOneDayAreOnePlace) {
  auto evs = Background(D("2024-07-01"), "JNIM", 3);
  for (int i = 0; i < 7; ++i) evs.push_back(Ev(D("2025-07-01"), 14.0 + 0.05 * i, -8.0, "JNIM"));
  EXPECT_TRUE(FindWaves(evs, D("2025-06-01"), D("2025-07-31")).empty());
}

TEST(Waves, AnActorWhoseEveryDayLooksLikeThatIsNotFlagged) {
  // Seven distant places every day for a year: a seventh is the actor's
  // rhythm, not an offensive.
  std::vector<core::Event> evs;
  for (Date d = D("2024-07-01"); d <= D("2025-07-01"); d = d + 1)
    for (const auto& [lat, lon] : kTowns) evs.push_back(Ev(d, lat, lon, "JNIM"));
  EXPECT_TRUE(FindWaves(evs, D("2025-07-01"), D("2025-07-01")).empty());
}

TEST(Waves, ActorsAreScannedApartAndUnattributedIsItsOwnGroup) {
  std::vector<core::Event> evs;
  for (size_t i = 0; i < kTowns.size(); ++i)
    evs.push_back(Ev(D("2025-07-01"), kTowns[i].first, kTowns[i].second, i % 2 ? "JNIM" : "ISSP"));
  // 4 ISSP places and 3 JNIM places: two waves of their own, not one of 7.
  auto waves = FindWaves(evs, D("2025-07-01"), D("2025-07-01"));
  ASSERT_EQ(waves.size(), 2u);
  EXPECT_EQ(waves[0].places.size() + waves[1].places.size(), 7u);
  core::Event u = Ev(D("2025-07-02"), 14, -8, "Unidentified Armed Group (Mali)");
  EXPECT_EQ(analysis::ActorGroup(u), "unattributed");
}

TEST(Waves, PoissonTail) {
  EXPECT_DOUBLE_EQ(analysis::PoissonTail(0, 3), 1);
  EXPECT_NEAR(analysis::PoissonTail(1, 2), 1 - std::exp(-2), 1e-12);
  EXPECT_NEAR(analysis::PoissonTail(3, 1), 1 - std::exp(-1) * 2.5, 1e-12);
}

TEST(Drift, ACentroidPlantedToMoveFiftyKmWestPerQuarterIsMeasuredWithinItsInterval) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> scatter(0, 80);  // km
  std::vector<core::Event> evs;
  const double lat0 = 14, lon0 = -6, km_lon = 111.32 * std::cos(lat0 * M_PI / 180);
  const Date q0 = D("2023-01-15");
  for (int q = 0; q < 8; ++q)
    for (int i = 0; i < 60; ++i) {
      const double east = -50.0 * q + scatter(rng), north = scatter(rng);
      evs.push_back(Ev(q0 + 91 * q + i, lat0 + north / 110.574, lon0 + east / km_lon, "JNIM"));
    }
  const auto d = analysis::ComputeDrift(evs);
  ASSERT_TRUE(d.measured);
  ASSERT_EQ(d.quarters.size(), 8u);
  EXPECT_LE(d.east_lo, -50);
  EXPECT_GE(d.east_hi, -50);
  EXPECT_LT(d.east_hi - d.east_lo, 30);  // informative, not a wide net
  EXPECT_LE(d.north_lo, 0);
  EXPECT_GE(d.north_hi, 0);
  EXPECT_EQ(analysis::CompassPoint(d.bearing_deg), "west");
  EXPECT_LE(d.speed_lo, 50);
  EXPECT_GE(d.speed_hi, 50);
}

TEST(Drift, AStillCentreHasAnIntervalAroundZero) {
  std::mt19937_64 rng(8);
  std::normal_distribution<double> scatter(0, 0.7);
  std::vector<core::Event> evs;
  for (int q = 0; q < 6; ++q)
    for (int i = 0; i < 40; ++i)
      evs.push_back(Ev(D("2023-01-15") + 91 * q + i, 14 + scatter(rng), -6 + scatter(rng), "JNIM"));
  const auto d = analysis::ComputeDrift(evs);
  ASSERT_TRUE(d.measured);
  EXPECT_LE(d.east_lo, 0);
  EXPECT_GE(d.east_hi, 0);
  EXPECT_LE(d.north_lo, 0);
  EXPECT_GE(d.north_hi, 0);
}

TEST(Drift, OneQuarterIsNotADrift) {
  std::vector<core::Event> evs;
  for (int i = 0; i < 30; ++i) evs.push_back(Ev(D("2025-07-01") + i, 14, -8, "JNIM"));
  EXPECT_FALSE(analysis::ComputeDrift(evs).measured);
}

std::vector<analysis::ControlRule> Rules() {
  auto r = analysis::LoadControlRules(std::string(VIGIL_TEST_DATA_DIR) + "/lexicon/control_signals.tsv");
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : std::vector<analysis::ControlRule>{};
}

core::Event InUnit(core::Event e, const std::string& admin2) {
  e.admin1 = "Ségou";
  e.admin2 = admin2;
  return e;
}

TEST(Control, AnAreaTakenAndHeldReadsAsHeldThenDecays) {
  const auto rules = Rules();
  std::vector<core::Event> evs;
  evs.push_back(
      InUnit(Ev(D("2025-08-19"), 14.89, -6.14, "JNIM", "Battles", "Non-state actor overtakes territory"), "Niono"));
  for (int i = 1; i <= 4; ++i) evs.push_back(InUnit(Ev(D("2025-08-19") + 7 * i, 14.9, -6.1, "JNIM"), "Niono"));
  evs.push_back(InUnit(Ev(D("2025-09-01"), 14.9, -6.1, "Dozo militia"), "Niono"));
  auto now = analysis::EstimateControl(evs, D("2025-09-30"), rules);
  ASSERT_FALSE(now.empty());
  EXPECT_EQ(now[0].admin2, "Niono");
  EXPECT_EQ(now[0].status, "held");
  EXPECT_EQ(now[0].leader, "JNIM");
  EXPECT_GT(now[0].share, 0.6);
  // Two years on, with nothing new, the reading has faded.
  auto later = analysis::EstimateControl(evs, D("2027-09-30"), rules);
  ASSERT_FALSE(later.empty());
  EXPECT_NE(later[0].status, "held");
  EXPECT_LT(later[0].leader_score, now[0].leader_score / 4);
}

TEST(Control, PresenceOrABlockadeAloneIsNotHolding) {
  const auto rules = Rules();
  std::vector<core::Event> evs;
  for (int i = 0; i < 12; ++i) evs.push_back(InUnit(Ev(D("2025-06-01") + 5 * i, 14.4, -11.4, "JNIM"), "Kayes"));
  core::Event b = InUnit(Ev(D("2025-07-01"), 14.4, -11.4, "JNIM", "Strategic developments", "Other"), "Kayes");
  b.tags = {"blockade"};
  evs.push_back(b);
  auto c = analysis::EstimateControl(evs, D("2025-08-01"), rules);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].leader, "JNIM");
  EXPECT_NE(c[0].status, "held");
}

TEST(Control, ABaseAbandonedGoesToTheAttacker) {
  const auto rules = Rules();
  std::vector<core::Event> evs;
  core::Event a = InUnit(Ev(D("2025-06-01"), 14.8, -1.3, "JNIM"), "Djibo");
  a.actor2 = "Military Forces of Mali";
  evs.push_back(a);
  core::Event w =
      InUnit(Ev(D("2025-06-10"), 14.8, -1.3, "Military Forces of Mali", "Strategic developments", "Other"), "Djibo");
  w.notes = "The army withdrew from its base after the attacks.";
  evs.push_back(w);
  auto c = analysis::EstimateControl(evs, D("2025-06-30"), rules);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].leader, "JNIM");
  EXPECT_EQ(c[0].status, "held");
  EXPECT_EQ(c[0].evidence, std::vector<int64_t>{w.id});
}

TEST(Control, ABadRulesFileNamesItsLine) {
  testing::TempDir dir;
  const auto path = dir.Write("r.tsv", "# comment\ntag\tblockade\t*\tconquer\t1\n");
  auto r = analysis::LoadControlRules(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("r.tsv:2"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("conquer"), std::string::npos);
  EXPECT_FALSE(analysis::LoadControlRules(dir.path() + "/none.tsv").ok());
}

TEST(Repeat, APlaceStruckTwiceInAYearIsListedWithItsInterval) {
  std::vector<core::Event> evs;
  core::Event a = Ev(D("2025-01-06"), 15.23, -9.59, "JNIM");
  a.place_id = 42;
  core::Event b = a, c = a;
  b.id = next_id++, c.id = next_id++;
  b.date_start = c.date_start = D("2025-07-01");  // two events, one strike
  evs = {a, b, c, Ev(D("2025-03-01"), 13, -7, "JNIM")};
  auto r = analysis::FindRepeatTargets(evs, D("2024-10-01"), D("2025-09-30"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].strikes.size(), 2u);
  EXPECT_EQ(r[0].intervals_days, std::vector<int>{176});
  EXPECT_EQ(r[0].event_ids.size(), 3u);
  // Out of the period, the first strike does not count.
  EXPECT_TRUE(analysis::FindRepeatTargets(evs, D("2025-02-01"), D("2025-09-30")).empty());
}

TEST(Diffusion, OnsetsNeedAQuietYearAndAHistoryLongEnoughToShowIt) {
  std::vector<core::Event> evs;
  auto at = [&](const char* d, const std::string& unit, double lat, double lon) {
    core::Event e = InUnit(Ev(D(d), lat, lon, "JNIM"), unit);
    evs.push_back(e);
  };
  at("2022-01-10", "Old", 14.1, -6.1);
  at("2023-05-01", "Old", 14.1, -6.1);  // 16 months before its next: an onset
  at("2024-09-01", "Old", 14.1, -6.1);
  at("2024-06-01", "Busy", 13.1, -7.1);  // three months before: not an onset
  at("2024-09-05", "Busy", 13.1, -7.1);
  at("2024-09-10", "New", 12.1, -8.1);  // never before: an onset
  const std::vector<int64_t> cells = {core::PrioGid(14.1, -6.1), core::PrioGid(13.1, -7.1), core::PrioGid(12.1, -8.1),
                                      core::PrioGid(16.1, -2.1)};
  auto d = analysis::ComputeDiffusion(evs, D("2024-08-01"), D("2024-10-31"), cells, D("2022-01-10"));
  std::vector<std::string> units;
  for (const auto& o : d.onsets)
    if (o.kind == "admin2") {
      units.push_back(o.unit);
      EXPECT_TRUE(o.judged) << o.unit;
    }
  EXPECT_EQ(units, (std::vector<std::string>{"Old", "New"}));
  EXPECT_EQ(d.cells_with_violence, 3);
  EXPECT_EQ(d.area_cells, 4);
  EXPECT_DOUBLE_EQ(d.share, 0.75);
  // With the data starting in 2024, nobody can say "New" was quiet a year.
  auto short_history = analysis::ComputeDiffusion(evs, D("2024-08-01"), D("2024-10-31"), cells, D("2024-06-01"));
  for (const auto& o : short_history.onsets) EXPECT_FALSE(o.judged) << o.unit;
}

TEST(BundledEvents, FirstJulyIsOneWaveAndFarabougouReadsAsHeldByJnim) {
  testing::TempDir dir;
  auto st = testing::FreshStore(dir);
  ingest::Importer importer(st.get(), testing::Ref());
  const std::string seeds = std::string(VIGIL_TEST_DATA_DIR) + "/events/seed_events.jsonl";
  auto imported = importer.ImportFile(ingest::SourceKind::kJsonl, seeds, {});
  ASSERT_TRUE(imported.ok());
  report::SignalRequest req;
  req.area = "kayes";  // folded like --admin1
  req.from = D("2025-07-01");
  req.to = D("2025-09-30");
  auto s = report::ComputeSignals(st.get(), *testing::Ref(), req);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->area.level, "admin1");
  ASSERT_EQ(s->waves.size(), 1u);
  EXPECT_EQ(s->waves[0].start, D("2025-07-01"));
  EXPECT_EQ(s->waves[0].actor, "JNIM");
  EXPECT_GE(s->waves[0].places.size(), 7u);

  req.area = "";
  auto all = report::ComputeSignals(st.get(), *testing::Ref(), req);
  ASSERT_TRUE(all.ok());
  bool farabougou_held = false;
  for (const auto& u : all->control)
    if (std::find(u.places.begin(), u.places.end(), "Farabougou") != u.places.end())
      farabougou_held = u.status == "held" && u.leader == "JNIM";
  EXPECT_TRUE(farabougou_held);

  req.area = "Atlantis";
  auto bad = report::ComputeSignals(st.get(), *testing::Ref(), req);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("Atlantis"), std::string::npos);
}

// Situation reports from the bundled events (docs/sitrep.md).
class SitrepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    st_ = testing::FreshStore(dir_);
    ingest::Importer importer(st_.get(), testing::Ref());
    auto r = importer.ImportFile(ingest::SourceKind::kJsonl,
                                 std::string(VIGIL_TEST_DATA_DIR) + "/events/seed_events.jsonl", {});
    ASSERT_TRUE(r.ok());
    auto p = report::LoadPhrases(std::string(VIGIL_TEST_DATA_DIR) + "/report/sitrep.tsv");
    ASSERT_TRUE(p.ok()) << p.status().message();
    phrases_ = *p;
  }
  std::string Brief(const std::string& area, const std::string& lang) {
    report::SignalRequest req;
    req.area = area;
    req.from = D("2025-07-01");
    req.to = D("2025-09-30");
    auto s = report::BuildSitrep(st_.get(), *testing::Ref(), req);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? report::RenderMarkdown(*s, phrases_, lang, D("2025-10-01")) : "";
  }
  testing::TempDir dir_;
  std::unique_ptr<store::EventStore> st_;
  report::Phrases phrases_;
};

TEST_F(SitrepTest, HeadlineFiguresEqualADirectCountOfTheStore) {
  store::EventFilter f;
  f.admin1 = {"Kayes"};
  f.from = D("2025-07-01");
  f.to = D("2025-09-30");
  const int64_t n = *st_->CountEvents(f);
  ASSERT_GT(n, 5);
  const std::string md = Brief("Kayes", "en");
  EXPECT_NE(md.find("- " + std::to_string(n) + " political violence and other events recorded."), std::string::npos)
      << md;
  EXPECT_NE(md.find("1 July 2025: JNIM struck"), std::string::npos) << md;
  EXPECT_NE(md.find("Diboli"), std::string::npos);
  EXPECT_NE(md.find("hostages: 4"), std::string::npos) << "the kidnapped workers";
  EXPECT_NE(md.find("without a count"), std::string::npos) << "no toll is known: not zero";
  EXPECT_EQ(md.find("0 fatalities"), std::string::npos);
}

TEST_F(SitrepTest, TheFrenchBriefKeepsNoEnglishSentenceOfTheTemplate) {
  const std::string fr = Brief("Kayes", "fr");
  EXPECT_NE(fr.find("1er\u00a0juillet 2025"), std::string::npos) << fr;
  EXPECT_NE(fr.find("\u00a0:"), std::string::npos) << "a non-breaking space before the colon";
  // Each run of English text between placeholders, when long enough to be a phrase.
  EXPECT_EQ(testing::EnglishRunsIn(phrases_, fr, false), std::vector<std::string>{});
}

TEST_F(SitrepTest, TheSameBriefTwiceIsByteIdentical) {
  const std::string a = Brief("Kayes", "en"), b = Brief("Kayes", "en");
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b);
}

TEST_F(SitrepTest, SectionsWithNothingToShowSaySo) {
  const std::string md = Brief("Kidal", "en");
  for (const char* h : {"## Headline figures", "## Key events", "## Coordinated waves", "## Places struck repeatedly",
                        "## Spread", "## Territorial control", "## Outlook", "## Method"})
    EXPECT_NE(md.find(h), std::string::npos) << h;
  EXPECT_NE(md.find("No event is recorded in this area for the period."), std::string::npos) << md;
  EXPECT_NE(md.find("No coordinated wave detected"), std::string::npos);
  EXPECT_NE(md.find("No forecast"), std::string::npos);
  EXPECT_EQ(md.find("[h_"), std::string::npos) << "a missing sentence key";
}

}  // namespace
}  // namespace vigil

// Scenarios (src/scenario/): answers known analytically, the baseline given
// exactly by an unchanged scenario, the file's errors, and a run against a
// database with a fitted model, stored and read back.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "core/event_json.h"
#include "ingest/importer.h"
#include "model/service.h"
#include "geo/roads.h"
#include "model/simulate.h"
#include "scenario/engine.h"
#include "scenario/report.h"
#include "scenario/scenario_store.h"
#include "scenario/service.h"
#include "test_support.h"

namespace vigil::scenario {
namespace {

using testing::Ref;

// A process with known parameters: background mu per day spread over Mali,
// kappa by class, a short exponential delay (half-life 1.4 days) so that a
// cascade ends well inside the weeks simulated. No past events.
struct Known {
  Known() {
    fit.params.mu = 2;
    fit.params.kappa = {0.4, 0.2, 0.3, 0.1};
    fit.params.omega = 0.5;
    fit.params.sigma_km = 15;
    fit.class_share = {0.5, 0.1, 0.3, 0.1};
    std::vector<std::pair<double, double>> pts;
    for (double lat = 11; lat <= 17; lat += 1)
      for (double lon = -11; lon <= -1; lon += 1) pts.emplace_back(lat, lon);
    fit.background = model::Background::FromPoints(pts, 30, model::Window{-12.25, 10.15, 4.25, 25.0});
    roads = *geo::RoadNetwork::LoadBundled(Ref()->data_dir());
    regions = *model::MakeUnits(model::Level::kAdmin1, *Ref());
    cercles = *model::MakeUnits(model::Level::kAdmin2, *Ref());
    in.fit = &fit;
    in.catalogue = &catalogue;
    in.window_start = *core::Date::Parse("2024-01-01");
    in.as_of = *core::Date::Parse("2025-07-01");
    in.regions = &regions;
    in.cercles = &cercles;
  }
  // The expected count over [0, H) of the process started empty: its mean
  // intensity m solves m(t) = mu + n \int_0^t omega e^{-omega (t - s)} m(s) ds,
  // so m(t) = mu / (1 - n) (1 - n e^{-(1 - n) omega t}), integrated here.
  double ExpectedCount(double H) const {
    const double n = Branching(), w = fit.params.omega, mu = fit.params.mu;
    return mu / (1 - n) * (H - n * (1 - std::exp(-(1 - n) * w * H)) / ((1 - n) * w));
  }
  // n = sum_c share_c kappa_c: the mean offspring of an event of unknown class.
  double Branching() const {
    double n = 0;
    for (size_t c = 0; c < model::kNumClasses; ++c) n += fit.class_share[c] * fit.params.kappa[c];
    return n;
  }
  Spec Parse(const std::string& toml) const {
    auto s = ParseSpec(toml, "test.toml", {&Ref()->gazetteer(), &roads, &regions, &cercles});
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : Spec{};
  }
  Summary Run(const Spec& spec) const {
    Options opt;
    opt.runs = spec.runs;
    opt.seed = spec.seed;
    const Arm base = RunArm(in, {}, spec.weeks, opt);
    const Arm scen = RunArm(in, ToChanges(spec, in), spec.weeks, opt);
    return Summarise(spec, in, base, scen);
  }
  const RegionRow& Row(const Summary& s, const std::string& name) const {
    for (const auto& r : s.regions)
      if (r.region == name) return r;
    ADD_FAILURE() << "no row " << name;
    return s.regions.front();
  }

  model::FitResult fit;
  std::vector<model::ModelEvent> catalogue;
  geo::RoadNetwork roads;
  std::vector<model::Unit> regions, cercles;
  Inputs in;
};

TEST(Scenario, AnUnchangedScenarioGivesTheBaselineExactly) {
  Known k;
  // Changes that change nothing still go through the simulator's change paths.
  const Spec spec = k.Parse(R"(title = "nothing"
weeks = 4
runs = 200
[[background]]
region = "Mopti"
factor = 1.0
[[productivity]]
class = "battles"
factor = 1.0
)");
  ASSERT_TRUE(spec.Unchanged());
  const Summary s = k.Run(spec);
  ASSERT_EQ(s.regions.size(), k.regions.size() + 2);
  for (const auto& r : s.regions) {
    EXPECT_EQ(r.events.diff.delta, 0) << r.region;
    EXPECT_EQ(r.events.diff.se, 0) << r.region;
    EXPECT_EQ(r.events.base.mean, r.events.scen.mean) << r.region;
    EXPECT_EQ(r.fatalities.diff.delta, 0) << r.region;
  }
  for (const auto& w : s.weekly) EXPECT_EQ(w.events.diff.delta, 0) << w.region << " week " << w.week;
  EXPECT_TRUE(s.places.empty());
  // And the baseline itself is the process (its standard error is below
  // sqrt(p90 - p10) / sqrt(runs) by far; 3% is some 4 of them).
  const auto& area = k.Row(s, "model area");
  const double expected = k.ExpectedCount(28);
  EXPECT_NEAR(area.events.base.mean, expected, 0.03 * expected);
}

TEST(Scenario, InjectedEventsRaiseTheCountByTheirCascade) {
  Known k;
  // 8 towns x 5 battles each: each brings itself and kappa_battles / (1 - n)
  // descendants on average.
  const Spec spec = k.Parse(R"(title = "a wave"
weeks = 8
runs = 400
seed = 7
[[inject]]
date = "2025-07-02"
towns = ["Kayes", "Nioro du Sahel", "Diboli", "Sandaré", "Niono", "Molodo", "Kati", "Ségou"]
class = "battles"
events = 5
fatalities = 3
)");
  ASSERT_EQ(spec.inject.size(), 8u);
  const Summary s = k.Run(spec);
  const double m = 40, per = 1 + k.fit.params.kappa[model::kBattles] / (1 - k.Branching());
  const auto& area = k.Row(s, "model area");
  EXPECT_NEAR(area.events.diff.delta, m * per, 4 * area.events.diff.se + 1e-9)
      << "change " << area.events.diff.delta << " +- " << area.events.diff.se << ", predicted " << m * per;
  EXPECT_GT(area.events.diff.se, 0);
  EXPECT_LT(area.events.diff.se, 0.1 * m * per);  // paired runs: the change's own error only
  EXPECT_EQ(s.injected, 40);
  // The injected events' own fatalities are in the change (3 each, at least).
  EXPECT_GE(area.fatalities.diff.delta, 3 * m - 1e-9);
  // Kayes region gains most of it, and is named among the places.
  EXPECT_GT(k.Row(s, "Kayes").events.diff.delta, 20);
  ASSERT_FALSE(s.places.empty());
  EXPECT_GT(s.places.front().events.diff.delta, 0);
  // Far away, nothing is injected and the change is within its error.
  const auto& kidal = k.Row(s, "Kidal");
  EXPECT_LE(std::fabs(kidal.events.diff.delta), 4 * kidal.events.diff.se + 1e-9);
}

TEST(Scenario, ProductivityAndBackgroundChangesMoveTheCountAsTheModelSays) {
  Known k;
  // No triggering at all: the background alone, mu H, remains; the change is
  // mu H minus the process's expected count.
  const Spec none = k.Parse(R"(title = "no triggering"
weeks = 4
runs = 300
[[productivity]]
class = "battles"
factor = 0
[[productivity]]
class = "remote_violence"
factor = 0
[[productivity]]
class = "violence_against_civilians"
factor = 0
[[productivity]]
class = "other"
factor = 0
)");
  const Summary s = k.Run(none);
  const double muH = k.fit.params.mu * 28;
  const auto& area = k.Row(s, "model area");
  EXPECT_NEAR(area.events.diff.delta, muH - k.ExpectedCount(28), 4 * area.events.diff.se + 1e-9);
  // A background switched off everywhere leaves nothing (no past events).
  const Summary off = k.Run(k.Parse(R"(title = "off"
weeks = 2
runs = 50
[[background]]
circle = { lat = 17.5, lon = -4, radius_km = 2000 }
factor = 0
)"));
  EXPECT_EQ(k.Row(off, "model area").events.scen.mean, 0);
  EXPECT_GT(k.Row(off, "model area").events.base.mean, 0);
  // Doubled in one region: that region gains, the change elsewhere is noise.
  const Summary twice = k.Run(k.Parse(R"(title = "Mopti x2"
weeks = 4
runs = 300
[[background]]
region = "Mopti"
factor = 2
)"));
  const auto& mopti = k.Row(twice, "Mopti");
  EXPECT_NEAR(mopti.events.diff.delta, mopti.events.base.mean, 4 * mopti.events.diff.se + 0.1 * mopti.events.base.mean);
  const auto& kidal = k.Row(twice, "Kidal");
  EXPECT_LE(std::fabs(kidal.events.diff.delta), 4 * kidal.events.diff.se + 1e-9);
  // A corridor's band (the road Bamako–Kayes–Diboli, 30 km either side)
  // raised: Kayes gains, Kidal, 1,000 km from the road, does not.
  const Summary road = k.Run(k.Parse(R"(title = "corridor"
weeks = 4
runs = 300
[[background]]
corridor = "BKO-DKR"
buffer_km = 30
factor = 4
)"));
  EXPECT_GT(k.Row(road, "Kayes").events.diff.delta, 4 * k.Row(road, "Kayes").events.diff.se);
  EXPECT_LE(std::fabs(k.Row(road, "Kidal").events.diff.delta), 4 * k.Row(road, "Kidal").events.diff.se + 1e-9);
  EXPECT_NE(road.changes[0].find("corridor BKO-DKR (30 km either side)"), std::string::npos) << road.changes[0];
}

TEST(Scenario, SameSeedSameNumbers) {
  Known k;
  const Spec spec = k.Parse(R"(title = "again"
weeks = 3
runs = 60
[[inject]]
date = "2025-07-05"
points = [[14.35, -3.6]]
class = "violence_against_civilians"
)");
  EXPECT_EQ(SummaryJson(k.Run(spec)).dump(), SummaryJson(k.Run(spec)).dump());
}

TEST(ScenarioSpec, ErrorsNameTheLineAndWhatToWrite) {
  Known k;
  auto parse = [&](const std::string& toml) {
    return ParseSpec(toml, "s.toml", {&Ref()->gazetteer(), &k.roads, &k.regions, &k.cercles});
  };
  struct Case {
    std::string toml, says;
  };
  const std::vector<Case> cases = {
      {"title = \"x\"\nwekks = 3\n", "s.toml:2: unknown key 'wekks'"},
      {"weeks = 3\n", "needs 'title'"},
      {"title = \"x\"\n[[inject]]\ndate = \"2025-07-01\"\ntowns = [\"Atlantis\"]\n", "no place in Mali is called 'Atlantis'"},
      {"title = \"x\"\n[[inject]]\ndate = \"2025-07-01\"\ntowns = [\"Kayes\"]\nclass = \"raid\"\n", "unknown class 'raid'"},
      {"title = \"x\"\n[[inject]]\ndate = \"1 July\"\ntowns = [\"Kayes\"]\n", "must be a date as \"YYYY-MM-DD\""},
      {"title = \"x\"\n[[background]]\nregion = \"Narnia\"\nfactor = 2\n", "no region of Mali is called 'Narnia'"},
      {"title = \"x\"\n[[background]]\nregion = \"Mopti\"\n", "needs factor"},
      {"title = \"x\"\n[[background]]\nregion = \"Mopti\"\ncercle = \"Niono\"\nfactor = 2\n", "exactly one of"},
      {"title = \"x\"\nweeks = 99\n", "weeks must be a whole number from 1 to 26"},
      {"title = \"x\"\n[[inject]]\ndate = \"2025-07-01\"\npoints = [[95, 2]]\n", "points must be a list of [lat, lon]"},
      {"title = \"x\nweeks = 3\n", "s.toml:1:"},
      {"title = \"x\"\n[[inject]]\ntowns = [\"Kayes\"]\n", "needs date = \"YYYY-MM-DD\" or day = N"},
      // Two villages called Macina, in Kayes and in Ségou, rank alike.
      {"title = \"x\"\n[[inject]]\nday = 1\ntowns = [\"Macina\"]\n", "'Macina' names places in"},
      {"title = \"x\"\n[[inject]]\nday = 1\ntowns = [\"Niono, Kidal\"]\n", "no place called 'Niono' in Kidal"},
      {"title = \"x\"\n[[background]]\ncorridor = \"Silk Road\"\nfactor = 2\n", "no corridor 'Silk Road' (one of BKO-DKR"},
      {"title = \"x\"\n[[background]]\nregion = \"Mopti\"\nbuffer_km = 5\nfactor = 2\n", "buffer_km goes with corridor"},
  };
  for (const auto& c : cases) {
    auto s = parse(c.toml);
    ASSERT_FALSE(s.ok()) << c.toml;
    EXPECT_NE(s.status().message().find(c.says), std::string::npos) << s.status().message();
  }
  // Regions and cercles in other spellings.
  auto ok = parse("title = \"x\"\n[[background]]\nregion = \"Segou\"\nfactor = 2\n[[background]]\ncercle = \"niono\"\n"
                  "factor = 0.5\n");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->background[0].area.region_units.size(), 1u);
  EXPECT_EQ(ok->background[1].area.cercle_units.size(), 1u);
  auto named = parse("title = \"x\"\n[[inject]]\nday = 1\ntowns = [\"Macina, Ségou\", \"Macina, kayes\"]\n");
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  ASSERT_EQ(named->inject.size(), 2u);
  EXPECT_EQ(named->inject[0].place, "Macina, Ségou");
  EXPECT_EQ(named->inject[1].place, "Macina, Kayes");
  EXPECT_EQ(named->inject[0].day, 1);
}

std::vector<core::Event> Simulated(uint64_t seed, double days) {
  std::ifstream in(std::string(VIGIL_TEST_DATA_DIR) + "/models/sahel_simulation.json");
  auto spec = model::SpecFromJson(core::Json::parse(in));
  EXPECT_TRUE(spec.ok());
  auto sim = model::Simulate(*spec, days, seed);
  EXPECT_TRUE(sim.ok());
  return model::ToEvents(*sim, *core::Date::Parse("2016-01-01"), seed);
}

TEST(ScenarioService, RunsOnAFittedDatabaseAndKeepsTheResult) {
  testing::TempDir dir;
  auto st = testing::FreshStore(dir);
  std::string jsonl;
  for (const auto& e : Simulated(4, 2 * 365)) jsonl += core::EventToJson(e).dump() + "\n";
  ingest::Importer imp(st.get(), Ref());
  ASSERT_TRUE(imp.ImportJsonlContent("sim", jsonl, "jsonl", {}).ok());
  RunRequest req;
  req.name = "wave.toml";
  req.text = R"(title = "wave"
as_of = "2017-10-01"
weeks = 4
runs = 40
[[inject]]
date = "2017-10-03"
towns = ["Kayes", "Ségou"]
class = "battles"
)";
  // No model fitted and no as_of: says what to do.
  RunRequest latest = req;
  latest.text = "title = \"x\"\nruns = 10\n";
  auto none = RunScenario(st.get(), *Ref(), latest);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("vigil fit"), std::string::npos) << none.status().message();
  auto s = RunScenario(st.get(), *Ref(), req);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->as_of.ToIso(), "2017-10-01");
  EXPECT_GT(s->snapshot_id, 0);
  EXPECT_GE(s->regions.back().events.diff.delta, 2 - 1e-9);  // the two injected events at least
  // An injected date outside the period is refused, naming the period.
  RunRequest late = req;
  late.text = req.text;
  late.text.replace(late.text.find("2017-10-03"), 10, "2018-01-03");
  auto refused = RunScenario(st.get(), *Ref(), late);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("outside the simulated period"), std::string::npos);
  // Stored and read back, rendered in both languages.
  auto ss = ScenarioStore::Open(dir.path() + "/t.db");
  ASSERT_TRUE(ss.ok()) << ss.status().ToString();
  const core::Json j = SummaryJson(*s);
  auto id = (*ss)->Save(j);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto back = (*ss)->Get(*id);
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ((*back)->result.dump(), j.dump());
  auto list = (*ss)->List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].title, "wave");
  auto phrases = report::LoadPhrases(Ref()->data_dir() + "/report/scenario.tsv");
  ASSERT_TRUE(phrases.ok());
  const std::string en = report::RenderMarkdown(ComposeScenario(j, *phrases, "en"));
  const std::string fr = report::RenderMarkdown(ComposeScenario(j, *phrases, "fr"));
  EXPECT_NE(en.find("# Scenario — wave"), std::string::npos) << en;
  EXPECT_NE(fr.find("# Scénario — wave"), std::string::npos) << fr;
  EXPECT_EQ(en.find("[region_line]"), std::string::npos);
  for (const auto& run : testing::EnglishRunsIn(*phrases, fr, true)) ADD_FAILURE() << "English in French: " << run;
}

}  // namespace
}  // namespace vigil::scenario

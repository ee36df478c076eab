// Sites: reading them from CSV and GeoJSON, keeping them in the database
// (all or nothing), and their exposure from planted events: counts within
// the radius, the trend test, the nearest threats with their bearing, the
// corridors that serve them and the model's forecast.
#include "geo/sites.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/event_json.h"
#include "ingest/importer.h"
#include "model/road_service.h"
#include "model/site_exposure.h"
#include "model/site_json.h"
#include "model/site_store.h"
#include "test_support.h"

namespace vigil {
namespace {

TEST(SiteFiles, ACsvWithAnyColumnOrderIsReadAndTypesAreNormalised) {
  auto s = geo::ParseSitesCsvText(
      "Latitude,name,type,Longitude,radius\n"
      "14.08,Diamou plant,Plant,-11.28,15\n"
      "13.89,Route works,Road project,-11.70,\n"
      "\n"
      "12.64,Office,,-8.0,2.5\n");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->size(), 3u);
  EXPECT_EQ((*s)[0].type, "plant");
  EXPECT_DOUBLE_EQ((*s)[0].radius_km, 15);
  EXPECT_EQ((*s)[1].type, "road_project");
  EXPECT_DOUBLE_EQ((*s)[1].radius_km, 10);  // the default
  EXPECT_EQ((*s)[2].type, "office");
  EXPECT_DOUBLE_EQ((*s)[2].lon, -8.0);
}

TEST(SiteFiles, OneBadRowFailsTheWholeFileWithItsLine) {
  auto bad_type = geo::ParseSitesCsvText("name,type,lat,lon\nA,mine,14,-11\nB,bakery,14,-10\n");
  ASSERT_FALSE(bad_type.ok());
  EXPECT_NE(bad_type.status().message().find("line 3"), std::string::npos) << bad_type.status().message();
  EXPECT_NE(bad_type.status().message().find("bakery"), std::string::npos);
  auto bad_lat = geo::ParseSitesCsvText("name,lat,lon\nA,north,-11\n");
  ASSERT_FALSE(bad_lat.ok());
  EXPECT_NE(bad_lat.status().message().find("line 2"), std::string::npos);
  EXPECT_FALSE(geo::ParseSitesCsvText("name,lat,lon\nA,95,-11\n").ok());
  EXPECT_FALSE(geo::ParseSitesCsvText("name,lat,lon\nA,0,0\n").ok());  // a placeholder
  EXPECT_FALSE(geo::ParseSitesCsvText("name,lat,lon,radius_km\nA,14,-11,0\n").ok());
  EXPECT_FALSE(geo::ParseSitesCsvText("name,lat,lon\n,14,-11\n").ok());
  auto no_lon = geo::ParseSitesCsvText("name,lat\nA,14\n");
  ASSERT_FALSE(no_lon.ok());
  EXPECT_NE(no_lon.status().message().find("'lon'"), std::string::npos);
}

TEST(SiteFiles, GeoJsonPointsAreReadAndOtherGeometriesRefused) {
  auto s = geo::ParseSitesGeoJson(R"({"type":"FeatureCollection","features":[
    {"type":"Feature","geometry":{"type":"Point","coordinates":[-11.7,13.89]},
     "properties":{"name":"Sadiola","type":"mine","owner":"X","radius_km":20}}]})");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->size(), 1u);
  EXPECT_DOUBLE_EQ((*s)[0].lat, 13.89);
  EXPECT_DOUBLE_EQ((*s)[0].lon, -11.7);
  EXPECT_EQ((*s)[0].owner, "X");
  auto line = geo::ParseSitesGeoJson(R"({"type":"FeatureCollection","features":[
    {"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,1],[1,2]]},"properties":{"name":"A"}}]})");
  ASSERT_FALSE(line.ok());
  EXPECT_NE(line.status().message().find("feature 0"), std::string::npos);
  EXPECT_FALSE(geo::ParseSitesGeoJson("[1,2]").ok());
  EXPECT_FALSE(geo::ParseSitesGeoJson("{\"type\":").ok());
}

TEST(SiteFiles, BearingsPointTheRightWay) {
  EXPECT_NEAR(geo::BearingDeg(14, -8, 15, -8), 0, 1e-9);
  EXPECT_NEAR(geo::BearingDeg(14, -8, 14, -7), 90, 0.2);
  EXPECT_NEAR(geo::BearingDeg(14, -8, 13, -8), 180, 1e-9);
  EXPECT_NEAR(geo::BearingDeg(14, -8, 14, -9), 270, 0.2);
  EXPECT_STREQ(geo::CompassPoint(0), "N");
  EXPECT_STREQ(geo::CompassPoint(359), "N");
  EXPECT_STREQ(geo::CompassPoint(45), "NE");
  EXPECT_STREQ(geo::CompassPoint(200), "SSW");
}

geo::Site MakeSite(const std::string& name, double lat, double lon, double radius = 10) {
  geo::Site s;
  s.name = name;
  s.lat = lat;
  s.lon = lon;
  s.radius_km = radius;
  EXPECT_TRUE(geo::ValidateSite(&s).ok());
  return s;
}

TEST(SiteStore, NamesAreUniqueAndABatchIsAddedWholeOrNotAtAll) {
  testing::TempDir dir;
  (void)testing::FreshStore(dir);
  auto st = model::SiteStore::Open(dir.path() + "/t.db");
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  auto ids = (*st)->Add({MakeSite("Usine de Diamou", 14.08, -11.28), MakeSite("Sadiola", 13.89, -11.7)}, false);
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  // A batch with a name already stored (case and accents aside) adds nothing.
  auto clash = (*st)->Add({MakeSite("Kayes office", 14.45, -11.43), MakeSite("usine de DIAMOU", 14.0, -11.0)}, false);
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.status().code(), core::Code::kConflict);
  EXPECT_EQ((*st)->List()->size(), 2u);
  EXPECT_FALSE((*(*st)->Find("Kayes office")).has_value());
  // Twice in one batch.
  EXPECT_FALSE((*st)->Add({MakeSite("A", 14, -10), MakeSite("a", 14, -10)}, false).ok());
  // --replace updates in place, keeping the id.
  auto moved = (*st)->Add({MakeSite("sadiola", 13.9, -11.6, 25)}, true);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ((*moved)[0], (*ids)[1]);
  auto found = (*st)->Find(std::to_string((*ids)[1]));
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_DOUBLE_EQ((*found)->radius_km, 25);
  ASSERT_TRUE((*st)->Remove("Usine de Diamou").ok());
  EXPECT_EQ((*st)->Remove("Usine de Diamou").code(), core::Code::kNotFound);
  EXPECT_EQ((*st)->List()->size(), 1u);
}

TEST(SiteExposure, TheTrendTestNeedsMoreThanNoise) {
  double p;
  EXPECT_EQ(model::TrendOf(9, 1, 0.05, &p), model::Trend::kRising);
  EXPECT_LT(p, 0.05);
  EXPECT_EQ(model::TrendOf(1, 9, 0.05, &p), model::Trend::kFalling);
  EXPECT_EQ(model::TrendOf(6, 4, 0.05, &p), model::Trend::kSteady);
  EXPECT_EQ(model::TrendOf(3, 0, 0.05, &p), model::Trend::kSteady);  // 1/8: too few to say
  EXPECT_EQ(model::TrendOf(0, 0, 0.05, &p), model::Trend::kSteady);
  EXPECT_DOUBLE_EQ(p, 1);
}

core::Event Planted(double lat, double lon, const std::string& date, int n, const std::string& type = "Battles") {
  core::Event e;
  e.latitude = lat;
  e.longitude = lon;
  e.date_start = e.date_end = *core::Date::Parse(date);
  e.event_type = type;
  e.sub_event_type = type == "Battles" ? "Armed clash" : "Peaceful protest";
  e.actor1 = "Test actor";
  e.country = "Mali";
  e.location = "planted " + std::to_string(n);
  e.source = "planted";
  e.source_id = std::to_string(n);
  e.geo_precision = 1;
  return e;
}

class SiteExposureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::FreshStore(dir_);
    std::string jsonl;
    int n = 0;
    auto add = [&](const core::Event& e) { jsonl += core::EventToJson(e).dump() + "\n"; };
    // Two years of clashes round Sévaré.
    std::mt19937_64 rng(11);
    std::normal_distribution<double> jitter(0, 0.2);
    const core::Date t0 = *core::Date::Parse("2023-01-01");
    for (int d = 0; d < 730; d += 3) add(Planted(14.53 + jitter(rng), -4.10 + jitter(rng), (t0 + d).ToIso(), n++));
    // Near a plant by Kayes: one clash in the 90 days before the last 90,
    // nine in the last 90 (four in the last 30), all within 5 km.
    add(Planted(14.21, -11.01, "2024-08-20", n++));
    for (const char* d : {"2024-10-10", "2024-10-20", "2024-11-01", "2024-11-10", "2024-11-20"})
      add(Planted(14.19, -10.98, d, n++));
    for (const char* d : {"2024-12-05", "2024-12-12", "2024-12-20", "2024-12-28"}) add(Planted(14.22, -11.02, d, n++));
    add(Planted(14.65, -11.0, "2024-12-22", n++));             // 50 km due north
    add(Planted(14.2, -9.6, "2024-12-22", n++));               // 150 km east
    add(Planted(14.2, -11.0, "2024-12-23", n++, "Protests"));  // not political violence
    add(Planted(14.2, -11.0, "2023-06-01", n++));              // too old
    ingest::Importer imp(store_.get(), testing::Ref());
    auto r = imp.ImportJsonlContent("planted.jsonl", jsonl, "jsonl", {});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    auto roads = model::LoadRoads(VIGIL_TEST_DATA_DIR);
    ASSERT_TRUE(roads.ok());
    roads_ = *roads;
    sites_ = {MakeSite("Kayes plant", 14.2, -11.0, 10), MakeSite("Sévaré mine", 14.53, -4.10, 20),
              MakeSite("Sikasso office", 11.32, -5.67, 20)};
  }
  testing::TempDir dir_;
  std::unique_ptr<store::EventStore> store_;
  std::shared_ptr<const model::Roads> roads_;
  std::vector<geo::Site> sites_;
};

TEST_F(SiteExposureTest, CountsTrendThreatsAndCorridorsComeFromTheEventsAroundTheSite) {
  auto rep = model::AssessSites(store_.get(), roads_, sites_, std::nullopt);
  ASSERT_TRUE(rep.ok()) << rep.status().ToString();
  // No model yet: the day after the newest event, no forecast, and why.
  EXPECT_EQ(rep->as_of.ToIso(), "2024-12-31");
  EXPECT_EQ(rep->snapshot_id, 0);
  EXPECT_NE(rep->forecast_note.find("vigil fit"), std::string::npos);
  const auto& plant = rep->sites[0];
  EXPECT_TRUE(plant.forecast.empty());
  EXPECT_EQ(plant.events_long, 9);
  EXPECT_EQ(plant.events_short, 4);
  EXPECT_EQ(plant.events_before, 1);
  EXPECT_EQ(plant.trend, model::Trend::kRising);
  // The four recent clashes within the radius, then the one 50 km north;
  // the one 150 km east is too far, the protest is not a threat.
  ASSERT_EQ(plant.threats.size(), 5u);
  for (size_t i = 1; i < plant.threats.size(); ++i) EXPECT_LE(plant.threats[i - 1].km, plant.threats[i].km);
  EXPECT_NEAR(plant.threats.back().km, 50, 1.5);
  EXPECT_STREQ(geo::CompassPoint(plant.threats.back().bearing_deg), "N");
  // Corridors within 25 km, nearest first, each with a status.
  ASSERT_FALSE(plant.corridors.empty());
  for (size_t i = 0; i < plant.corridors.size(); ++i) {
    EXPECT_LE(plant.corridors[i].km, 25);
    if (i) {
      EXPECT_LE(plant.corridors[i - 1].km, plant.corridors[i].km);
    }
  }
  const auto& far = rep->sites[2];
  EXPECT_EQ(far.events_long, 0);
  EXPECT_TRUE(far.threats.empty());
  const core::Json j = model::SiteExposureJson(*rep, plant, false);
  EXPECT_EQ(j["trend"], "rising");
  EXPECT_EQ(j["threats"].back()["direction"], "N");
}

TEST_F(SiteExposureTest, TheForecastIsHighWhereTheViolenceIsAndGrowsWithTheHorizon) {
  auto rep = model::AssessSites(store_.get(), roads_, sites_, *core::Date::Parse("2025-01-01"));
  ASSERT_TRUE(rep.ok()) << rep.status().ToString();
  EXPECT_GT(rep->snapshot_id, 0);
  ASSERT_EQ(rep->horizons, (std::vector<int>{7, 30}));
  const auto& mine = rep->sites[1];
  const auto& office = rep->sites[2];
  ASSERT_EQ(mine.forecast.size(), 2u);
  EXPECT_GT(mine.forecast[1].p_any, 0.2);  // a clash every 3 days within ~30 km
  EXPECT_GT(mine.forecast[1].p_any, 10 * office.forecast[1].p_any);
  EXPECT_GT(mine.forecast[1].p_any, mine.forecast[0].p_any);
  EXPECT_GT(mine.events_long, 3);
  // The latest snapshot is what a later call without a date uses.
  auto again = model::AssessSites(store_.get(), roads_, sites_, std::nullopt);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->snapshot_id, rep->snapshot_id);
  EXPECT_NEAR(again->sites[1].forecast[1].p_any, mine.forecast[1].p_any, 1e-9);
}

}  // namespace
}  // namespace vigil

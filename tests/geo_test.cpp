#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "core/priogrid.h"
#include "geo/admin.h"
#include "geo/geojson.h"
#include "geo/normalize.h"
#include "geo/simplify.h"
#include "test_support.h"

namespace vigil::geo {
namespace {

using testing::Ref;

TEST(FoldName, IgnoresAccentsCaseApostrophesAndPunctuation) {
  EXPECT_EQ(FoldName("Ségou"), "segou");
  EXPECT_EQ(FoldName("SEGOU"), "segou");
  EXPECT_EQ(FoldName("Jama’at Nusrat al-Islam"), "jamaat nusrat al islam");
  EXPECT_EQ(FoldName("  Nioro-du-Sahel  "), "nioro du sahel");
  EXPECT_EQ(FoldName("Ɲɔnɔ"), "nyono");
  EXPECT_EQ(FoldName("Gouroundapé"), FoldName("gouroundape"));
}

TEST(EditDistance, CapsEarly) {
  EXPECT_EQ(EditDistance("dogofry", "dogofri", 2), 1);
  EXPECT_EQ(EditDistance("kayes", "bamako", 2), 3);
}

const Place* Top(const std::string& name, GeocodeOptions opt = {}) {
  auto c = Ref()->gazetteer().Geocode(name, opt);
  return c.empty() ? nullptr : c.front().place;
}

TEST(Geocoder, FrenchAndEnglishVariantsAgree) {
  const Place* a = Top("Tombouctou");
  const Place* b = Top("Timbuktu");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->id, b->id);
  EXPECT_EQ(a->admin1, "Tombouctou");
  const Place* s1 = Top("Ségou");
  const Place* s2 = Top("Segou");
  ASSERT_TRUE(s1 && s2);
  EXPECT_EQ(s1->id, s2->id);
  EXPECT_EQ(s1->feature_class, 'P');  // the town, not the region or a river
}

TEST(Geocoder, AdminHintPicksTheRightFarabougou) {
  GeocodeOptions seg;
  seg.admin1 = "Ségou";
  const Place* p = Top("Farabougou", seg);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->admin1, "Ségou");
  GeocodeOptions kay;
  kay.admin1 = "kayes region";
  p = Top("Farabougou", kay);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->admin1, "Kayes");
}

TEST(Geocoder, NearPointPicksTheClosestNamesake) {
  GeocodeOptions opt;
  opt.near = {{14.25, -5.99}};  // Niono
  const Place* p = Top("Farabougou", opt);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->id, 2457671);  // the Farabougou of Niono cercle, taken in 2025
}

TEST(Geocoder, LocalAliasesCoverPlacesGeoNamesLacks) {
  GeocodeOptions mali;
  mali.country = "Mali";  // Burkina Faso has a Boulikéssi too
  const Place* b = Top("Boulikessi", mali);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->admin1, "Mopti");
  EXPECT_NEAR(b->lat, 14.795, 1e-6);
  const Place* n = Top("Nioro du Sahel");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->id, 2452651);
}

TEST(Geocoder, MisspellingsFallBackToFuzzyMatches) {
  auto c = Ref()->gazetteer().Geocode("Gangontery", {});
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(c.front().place->id, 2457175);
  GeocodeOptions kayes;
  kayes.admin1 = "Kayes";
  auto f = Ref()->gazetteer().Geocode("Dibili", kayes);
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(f.front().match, MatchKind::kFuzzy);
  EXPECT_EQ(f.front().place->name, "Diboli");
}

// Transliterations of one name share a spelling key: joined or split words,
// doubled letters, ou/u, dj/j, tch/ch.
TEST(Geocoder, TransliterationsShareASpellingKey) {
  EXPECT_EQ(SpellingKey("banibangou"), SpellingKey("bani bangou"));
  EXPECT_EQ(SpellingKey("dibolli"), SpellingKey("diboli"));
  EXPECT_EQ(SpellingKey("djibo"), SpellingKey("jibo"));
  EXPECT_EQ(SpellingKey("tchintabaraden"), SpellingKey("chintabaraden"));
  EXPECT_NE(SpellingKey("kaya"), SpellingKey("kayes"));
  GeocodeOptions exact;
  exact.fuzzy = false;
  auto c = Ref()->gazetteer().Geocode("Banibangou", exact);
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(c.front().place->country_code, "NE");
  EXPECT_EQ(c.front().match, MatchKind::kAlternate);
}

TEST(Geocoder, FinalYAndIAreTheSameSpelling) {
  auto c = Ref()->gazetteer().Geocode("Diabaly", {.fuzzy = false});
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(c.front().place->name, "Diabali");
}

// Reports write a village without the qualifier its gazetteer name carries
// ("Koulogon" for Koulogon-Habe): found as an alternate name, below an
// exact namesake elsewhere and never above an exact name.
TEST(Geocoder, AVillageWithoutItsHyphenatedQualifier) {
  auto ml = Ref()->gazetteer().Geocode("Koulogon", {.country = "ML", .fuzzy = false});
  ASSERT_FALSE(ml.empty());
  EXPECT_EQ(ml[0].place->name, "Koulogon-Habe");
  EXPECT_EQ(ml[0].match, geo::MatchKind::kAlternate);
  // Mopti-Kéba is a village; Mopti, the exact name, stays first.
  auto mopti = Ref()->gazetteer().Geocode("Mopti", {.country = "ML", .fuzzy = false});
  ASSERT_GE(mopti.size(), 2u);
  EXPECT_EQ(mopti[0].place->name, "Mopti");
  EXPECT_TRUE(
      std::any_of(mopti.begin(), mopti.end(), [](const geo::Candidate& c) { return c.place->name == "Mopti-Kéba"; }));
}

TEST(Geocoder, UnknownNameGivesNoCandidates) {
  EXPECT_TRUE(Ref()->gazetteer().Geocode("Xqzvbnm", {}).empty());
  EXPECT_TRUE(Ref()->gazetteer().Geocode("", {}).empty());
}

// The grid index answers exactly what testing every polygon in order
// would: at every cell centre (where its scanline fill decides) and at
// random points (edge cells).
TEST(PolygonIndex, AgreesWithTestingEveryPolygon) {
  for (const char* file : {"ocha_mli_adm2_2017.geojson", "ne10m_mali_neighbours_adm0.geojson"}) {
    auto polys = ReadPolygonFeatures(std::string(VIGIL_TEST_DATA_DIR) + "/boundaries/" + file);
    ASSERT_TRUE(polys.ok()) << polys.status().ToString();
    const double cell = 0.1;
    const PolygonIndex idx = PolygonIndex::Build(&*polys, cell);
    auto brute = [&](double lon, double lat) {
      for (size_t i = 0; i < polys->size(); ++i) {
        const auto& p = (*polys)[i];
        if (lon >= p.min_lon && lon <= p.max_lon && lat >= p.min_lat && lat <= p.max_lat &&
            PointInRings(p.rings, lon, lat))
          return static_cast<int>(i);
      }
      return -1;
    };
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> lon_d(-13.0, 5.0), lat_d(9.0, 25.5), jitter(0.0, 1.0);
    int inside = 0, checked = 0;
    for (int k = 0; k < 20000; ++k) {
      double lon = lon_d(rng), lat = lat_d(rng);
      if (k % 2) {  // a cell centre
        lon = (std::floor(lon / cell) + 0.5) * cell;
        lat = (std::floor(lat / cell) + 0.5) * cell;
      }
      const int want = brute(lon, lat);
      ASSERT_EQ(idx.Find(lon, lat), want) << file << " at " << lat << "," << lon;
      inside += want >= 0;
      ++checked;
    }
    EXPECT_GT(inside, checked / 10) << file;  // the sample does reach the polygons
  }
}

TEST(ReverseGeocoder, PointsInMaliGetOchaUnits) {
  auto kayes = Ref()->Reverse(14.4469, -11.4445);
  EXPECT_EQ(kayes.country, "Mali");
  EXPECT_EQ(kayes.admin1, "Kayes");
  EXPECT_EQ(kayes.admin1_pcode, "ML01");
  EXPECT_EQ(kayes.admin2, "Kayes");
  auto segou = Ref()->Reverse(13.4317, -6.2157);
  EXPECT_EQ(segou.admin1, "Ségou");  // GeoNames' spelling, not OCHA's "Segou"
  auto bamako = Ref()->Reverse(12.65, -8.0);
  EXPECT_EQ(bamako.admin1, "Bamako");
  EXPECT_EQ(bamako.gid, core::PrioGid(12.65, -8.0));
}

TEST(ReverseGeocoder, NeighboursGetCountryAndNearestPlaceAdmin) {
  auto ouaga = Ref()->Reverse(12.3714, -1.5197);
  EXPECT_EQ(ouaga.country, "Burkina Faso");
  EXPECT_EQ(ouaga.admin1, "Centre");
  auto niamey = Ref()->Reverse(13.5137, 2.1098);
  EXPECT_EQ(niamey.country, "Niger");
  auto ocean = Ref()->Reverse(0.5, -20.0);
  EXPECT_EQ(ocean.country, "");
}

// Every place named in the gold annotations of the seed articles geocodes,
// with the context its article gives, to a place in the gold admin1.
TEST(Geocoder, EveryGoldPlaceGeocodesIntoItsGoldAdmin1) {
  // Context each article states for these places (region or country named
  // in the text), read off the articles by hand.
  const std::map<std::string, std::pair<std::string, std::string>> context = {
      {"000:Gangontéry", {"Kayes", "Mali"}},  {"000:Karaga", {"Kayes", "Mali"}},
      {"000:Gouroundapé", {"Kayes", "Mali"}}, {"002:Farabougou", {"Ségou", "Mali"}},
      {"002:Abalama", {"Agadez", "Niger"}},   {"002:Dogofry", {"", "Mali"}}};
  std::ifstream in(testing::SharedDir() + "/gold/seeds_gold.jsonl");
  ASSERT_TRUE(in) << "needs ../shared/gold/seeds_gold.jsonl";
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    if (j["admin1"].is_null()) continue;  // road/corridor-level locations
    const std::string country = j["country"].get<std::string>();
    if (country != "Mali" && country != "Niger" && country != "Burkina Faso") continue;  // outside coverage
    const std::string loc = j["location"].get<std::string>();
    const std::string key = j["doc"].get<std::string>().substr(0, 3) + ":" + loc;
    GeocodeOptions opt;
    opt.country = country;
    if (auto it = context.find(key); it != context.end()) opt.admin1 = it->second.first;
    auto c = Ref()->gazetteer().Geocode(loc, opt);
    ASSERT_FALSE(c.empty()) << loc;
    EXPECT_EQ(FoldName(c.front().place->admin1), FoldName(j["admin1"].get<std::string>()))
        << loc << " -> " << c.front().place->name << " (" << c.front().place->id << ")";
    ++checked;
  }
  EXPECT_GE(checked, 25);
}

// ------------------------------------------------------------ coverage simplification

// Two squares side by side whose shared border wiggles (within the
// tolerance), and a third inside the first as its hole.
std::vector<Geometry> WigglyCoverage() {
  Ring shared;  // x = 1, from y = 0 to y = 1, wiggling by 1e-4
  for (int k = 0; k <= 20; ++k) shared.push_back({1 + (k % 2 ? 1e-4 : 0), k / 20.0});
  Ring left{{0, 0}};
  for (const auto& p : shared) left.push_back(p);
  left.push_back({0, 1});
  left.push_back({0, 0});
  Ring right;
  for (auto it = shared.rbegin(); it != shared.rend(); ++it) right.push_back(*it);
  right.push_back({2, 0});
  right.push_back({2, 1});
  right.insert(right.end(), {{1, 1}});
  right.erase(right.end() - 1);
  right.push_back(right.front());
  Ring hole;  // a small circle of 40 points inside the left square
  for (int k = 0; k < 40; ++k)
    hole.push_back({0.5 + 0.2 * std::cos(k * M_PI / 20), 0.5 + 0.2 * std::sin(k * M_PI / 20)});
  hole.push_back(hole.front());
  Ring island = hole;
  std::reverse(island.begin(), island.end());
  return {Geometry{{{left, hole}}}, Geometry{{{right}}}, Geometry{{{island}}}};
}

std::set<std::pair<double, double>> Vertices(const Geometry& g) {
  std::set<std::pair<double, double>> out;
  for (const auto& poly : g.polygons)
    for (const auto& r : poly)
      for (const auto& p : r) out.insert({p.lon, p.lat});
  return out;
}

TEST(CoverageSimplify, NeighboursKeepOneSharedBorderAndAHoleMatchesItsIsland) {
  const auto in = WigglyCoverage();
  const auto out = SimplifyCoverage(in, 0.01);
  ASSERT_EQ(out.size(), 3u);
  // The wiggle is gone from both squares, the same way.
  const auto left = Vertices(out[0]), right = Vertices(out[1]);
  std::set<std::pair<double, double>> left_border, right_border;
  for (const auto& p : left)
    if (std::abs(p.first - 1) < 0.01) left_border.insert(p);
  for (const auto& p : right)
    if (std::abs(p.first - 1) < 0.01) right_border.insert(p);
  EXPECT_EQ(left_border, right_border);
  EXPECT_LE(left_border.size(), 3u) << "the wiggling border became a straight line";
  // The hole and the polygon that fills it are the same ring.
  std::set<std::pair<double, double>> hole;
  for (const auto& p : out[0].polygons[0][1]) hole.insert({p.lon, p.lat});
  EXPECT_EQ(hole, Vertices(out[2]));
  EXPECT_LT(hole.size(), 40u) << "simplified";
  EXPECT_GE(hole.size(), 4u);
}

TEST(CoverageSimplify, OchaCerclesShareEveryBorderVertexTheyKeep) {
  std::vector<Geometry> in;
  for (const auto& f : Ref()->admin2()) {
    auto g = ParseGeometry(nlohmann::json::parse(f.geometry_json));
    ASSERT_TRUE(g.ok()) << g.status().message();
    in.push_back(*g);
  }
  const auto out = SimplifyCoverage(in, 0.005);
  size_t before = 0, after = 0;
  std::vector<std::set<std::pair<double, double>>> vin, vout;
  for (size_t i = 0; i < in.size(); ++i) {
    vin.push_back(Vertices(in[i]));
    vout.push_back(Vertices(out[i]));
    before += vin.back().size();
    after += vout.back().size();
  }
  EXPECT_LT(after, before / 3) << "simplified";
  int neighbours = 0;
  for (size_t a = 0; a < in.size(); ++a)
    for (size_t b = a + 1; b < in.size(); ++b) {
      std::set<std::pair<double, double>> common;
      for (const auto& p : vin[a])
        if (vin[b].count(p)) common.insert(p);
      if (common.size() < 2) continue;
      ++neighbours;
      // Of the points the two cercles had in common, each kept the same ones.
      std::set<std::pair<double, double>> ka, kb;
      for (const auto& p : common) {
        if (vout[a].count(p)) ka.insert(p);
        if (vout[b].count(p)) kb.insert(p);
      }
      EXPECT_EQ(ka, kb) << "cercles " << a << " and " << b;
    }
  EXPECT_GT(neighbours, 80);
}

TEST(CoverageSimplify, AGeometryThatIsNotAPolygonIsRefused) {
  EXPECT_FALSE(ParseGeometry(nlohmann::json::parse(R"({"type":"Point","coordinates":[1,2]})")).ok());
  EXPECT_FALSE(ParseGeometry(nlohmann::json::parse(R"({"type":"Polygon","coordinates":[[[0,0],[1,1]]]})")).ok());
  auto ok = ParseGeometry(nlohmann::json::parse(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]})"));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(GeometryToJson(*ok, 3)["type"], "Polygon");
}

}  // namespace
}  // namespace vigil::geo

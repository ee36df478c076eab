#include <gtest/gtest.h>

#include "core/actors.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/event.h"
#include "core/event_json.h"
#include "core/priogrid.h"
#include "core/strings.h"

namespace vigil::core {
namespace {

TEST(Date, ParsesIsoAndAcledSpellings) {
  EXPECT_EQ(Date::Parse("2020-12-31")->ToIso(), "2020-12-31");
  EXPECT_EQ(Date::Parse("31 December 2020")->ToIso(), "2020-12-31");
  EXPECT_EQ(Date::Parse("1 Jul 2025")->ToIso(), "2025-07-01");
  EXPECT_EQ(Date::Parse("31-December-2020")->ToIso(), "2020-12-31");
  EXPECT_EQ(Date::Parse("2013-01-03 00:00:00.000")->ToIso(), "2013-01-03");
  EXPECT_EQ(Date::Parse(" 2024-02-29 ")->ToIso(), "2024-02-29");
}

TEST(Date, RejectsImpossibleDatesWithAClearMessage) {
  auto d = Date::Parse("2021-02-29");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("impossible date 2021-02-29"), std::string::npos);
  EXPECT_FALSE(Date::Parse("31 June 2020").ok());
  EXPECT_FALSE(Date::Parse("2020-13-01").ok());
  EXPECT_FALSE(Date::Parse("yesterday").ok());
  EXPECT_FALSE(Date::Parse("").ok());
  EXPECT_FALSE(Date::Parse("2020-01-01x").ok());
}

TEST(Date, DayArithmeticRoundTrips) {
  for (int32_t d = -800000; d < 800000; d += 997) {
    int y, m, dd;
    CivilFromDays(d, &y, &m, &dd);
    EXPECT_EQ(DaysFromCivil(y, m, dd), d);
  }
  EXPECT_EQ(*Date::Parse("2025-03-01") - *Date::Parse("2025-02-28"), 1);
}

TEST(Csv, HandlesQuotesCommasNewlinesBomAndCrlf) {
  auto r = CsvReader::FromString(
      "\xEF\xBB\xBF"
      "a,b,c\r\n1,\"x, y\",\"line1\nline2 \"\"q\"\"\"\r\n2,,last\n");
  ASSERT_TRUE(*r.Next());
  EXPECT_EQ(r.fields(), (std::vector<std::string_view>{"a", "b", "c"}));
  ASSERT_TRUE(*r.Next());
  EXPECT_EQ(r.line(), 2);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1], "x, y");
  EXPECT_EQ(r[2], "line1\nline2 \"q\"");
  ASSERT_TRUE(*r.Next());
  EXPECT_EQ(r.line(), 4);  // the quoted newline moved the next record down
  EXPECT_EQ(r[1], "");
  EXPECT_EQ(r[2], "last");
  EXPECT_FALSE(*r.Next());
}

TEST(Csv, LastRecordWithoutNewline) {
  auto r = CsvReader::FromString("a,b\n1,2");
  ASSERT_TRUE(*r.Next());
  ASSERT_TRUE(*r.Next());
  EXPECT_EQ(r[1], "2");
  EXPECT_FALSE(*r.Next());
}

TEST(Csv, UnterminatedQuoteIsAParseErrorNamingTheLine) {
  auto r = CsvReader::FromString("a,b\n1,2\n3,\"never closed\n");
  ASSERT_TRUE(*r.Next());
  ASSERT_TRUE(*r.Next());
  auto x = r.Next();
  ASSERT_FALSE(x.ok());
  EXPECT_EQ(x.status().code(), Code::kParse);
  EXPECT_NE(x.status().message().find("line 3"), std::string::npos);
}

TEST(Strings, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("Ségou, Tombouctou — ok"));
  EXPECT_FALSE(IsValidUtf8("S\xE9gou"));      // Latin-1
  EXPECT_FALSE(IsValidUtf8("\xC3"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong
  EXPECT_TRUE(LooksBinary(std::string("ab\0cd", 5)));
  EXPECT_FALSE(LooksBinary("plain,text\n"));
}

TEST(Actors, NormalisesSourceSpellings) {
  EXPECT_EQ(NormaliseActor("JNIM: Group for Support of Islam and Muslims"), "JNIM");
  EXPECT_EQ(NormaliseActor("Military Forces of Mali (2021-)"), "Military Forces of Mali");
  EXPECT_EQ(NormaliseActor("Government of Mali"), "Military Forces of Mali");
  EXPECT_EQ(NormaliseActor("Islamic State (Sahel)"), "IS Sahel");
  EXPECT_EQ(NormaliseActor("Civilians (Mali)"), "Civilians");
  EXPECT_EQ(NormaliseActor("Police Forces of Mali (2021-)"), "Police Forces of Mali");
  EXPECT_EQ(NormaliseActor(""), "");
}

TEST(PrioGrid, MatchesThePublishedFormula) {
  // Bamako (12.65, -8.0): row floor(102.65/0.5)+1 = 206, col floor(172/0.5)+1 = 345.
  EXPECT_EQ(PrioGid(12.65, -8.0), (206 - 1) * 720 + 345);
  // First cell of the bundled Sahel grid: gid 135685 at lon -18..-17.5, lat 4..4.5.
  EXPECT_EQ(PrioGid(4.25, -17.75), 135685);
}

TEST(PrioGrid, PointOnEdgeBelongsToNorthEastCell) {
  EXPECT_EQ(PrioGid(4.5, -17.5), PrioGid(4.75, -17.25));
  EXPECT_NEAR(PrioLat(PrioGid(4.5, -17.5)), 4.75, 1e-12);
  EXPECT_NEAR(PrioLon(PrioGid(4.5, -17.5)), -17.25, 1e-12);
}

TEST(Event, ValidationNamesTheField) {
  Event e;
  e.source = "acled";
  e.source_id = "MLI1";
  e.date_start = e.date_end = *Date::Parse("2025-07-01");
  e.latitude = 14.45;
  e.longitude = -11.44;
  e.event_type = "Battles";
  e.sub_event_type = "Armed clash";
  EXPECT_TRUE(ValidateEvent(e).ok());
  e.latitude = 95;
  EXPECT_NE(ValidateEvent(e).message().find("coordinates out of range"), std::string::npos);
  e.latitude = 14.45;
  e.sub_event_type = "Attack";
  EXPECT_NE(ValidateEvent(e).message().find("not a sub-type"), std::string::npos);
}

TEST(EventJson, RoundTripIsLossless) {
  Event e;
  e.id = 7;
  e.source = "acled";
  e.source_id = "MLI123";
  e.revision = 2;
  e.date_start = *Date::Parse("2025-07-01");
  e.date_end = *Date::Parse("2025-07-02");
  e.date_precision = DatePrecision::kWeek;
  e.latitude = 14.446890123456;
  e.longitude = -11.4445;
  e.geo_precision = 2;
  e.location = "Kayes";
  e.event_type = "Violence against civilians";
  e.sub_event_type = "Abduction/forced disappearance";
  e.actor1 = "JNIM";
  e.fatalities = 0;
  e.hostages = 4;
  e.tags = {"kidnapping_foreigners", "economic_target"};
  e.notes = "quote \" comma , newline \n unicode é";
  e.sources = {{"acled", "MLI123", 2}, {"ucdp", "555", 1}};
  auto back = EventFromJson(EventToJson(e));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  back->id = e.id;
  EXPECT_EQ(EventToJson(*back).dump(), EventToJson(e).dump());
}

TEST(Strings, TrimRemovesAsciiSpaceOnly) {
  EXPECT_EQ(Trim(" \t\r\n x y \v\f"), "x y");
  EXPECT_EQ(Trim("   "), "");
  EXPECT_EQ(Trim(""), "");
  // A no-break space (U+00A0) and other bytes above ASCII are kept.
  EXPECT_EQ(Trim("\xc2\xa0Kayes\xc2\xa0"), "\xc2\xa0Kayes\xc2\xa0");
}

TEST(Event, ResetGivesEveryFieldItsDefault) {
  Event e;
  e.id = 7;
  e.source = "acled";
  e.source_id = "MLI123";
  e.revision = 3;
  e.date_start = *Date::Parse("2025-07-01");
  e.date_end = *Date::Parse("2025-07-02");
  e.date_precision = DatePrecision::kMonth;
  e.latitude = 14.4;
  e.longitude = -11.4;
  e.geo_precision = 3;
  e.place_id = 2453348;
  e.location = e.country = e.admin1 = e.admin2 = e.admin1_pcode = e.admin2_pcode = "a long enough text to allocate";
  e.gid = 150000;
  e.event_type = e.sub_event_type = e.actor1 = e.actor2 = "x";
  e.actor1_original = e.actor2_original = e.assoc_actor1 = e.assoc_actor2 = e.notes = e.evidence_doc = "y";
  e.fatalities = e.fatalities_low = e.fatalities_high = e.hostages = 5;
  e.tags = {"convoy"};
  e.evidence_start = 1;
  e.evidence_end = 9;
  e.confidence = 0.5;
  e.sources = {{"acled", "MLI123", 3}};
  ResetEvent(&e);
  EXPECT_EQ(EventToJson(e).dump(), EventToJson(Event{}).dump());
  EXPECT_EQ(e.id, 0);
  EXPECT_EQ(e.place_id, 0);
  EXPECT_EQ(e.gid, 0);
  EXPECT_EQ(e.evidence_start, -1);
  EXPECT_EQ(e.evidence_end, -1);
  EXPECT_TRUE(e.sources.empty());
}

TEST(EventJson, FastWriterWritesWhatEventToJsonWrites) {
  Event e;
  e.id = 42;
  e.source = "acled";
  e.source_id = "MLI\"9\\";
  e.date_start = e.date_end = *Date::Parse("2025-07-01");
  e.latitude = 14.4469;
  e.longitude = -11.0;
  e.event_type = "Battles";
  e.actor1 = "JNIM";
  e.notes = std::string("tab\t cr\r nl\n bell\x07 nul-free \u00e9\u4e2d \U0001F600 end");
  e.tags = {"convoy", "blockade"};
  e.fatalities = 3;
  e.confidence = 1.0;
  e.sources = {{"acled", "MLI\"9\\", 1}, {"ucdp", "7", 2}};
  std::string s;
  AppendEventJson(&s, e);
  EXPECT_EQ(Json::parse(s), EventToJson(e));
  std::string f;
  AppendEventFeature(&f, e);
  const Json feature = Json::parse(f);
  Json props = EventToJson(e);
  props.erase("latitude");
  props.erase("longitude");
  EXPECT_EQ(feature["properties"], props);
  EXPECT_EQ(feature["geometry"]["coordinates"][0].get<double>(), -11.0);
  EXPECT_EQ(feature["id"], 42);
  // Invalid UTF-8 is replaced, never written raw.
  std::string bad;
  AppendJsonString(&bad, "ok\xff\xfe");
  EXPECT_TRUE(IsValidUtf8(bad));
  EXPECT_NO_THROW((void)Json::parse(bad));
}

}  // namespace
}  // namespace vigil::core

// The extractor's passes, each on sentences written for these tests (none
// is taken from the seeds or the dev set), in English and French.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "ingest/reports.h"
#include "test_support.h"
#include "text/dates.h"
#include "text/extractor.h"
#include "text/lexicon.h"
#include "text/mentions.h"
#include "text/tokens.h"

namespace vigil::text {
namespace {

using testing::Lex;
using testing::Ref;

std::vector<ExtractedEvent> ExtractFrom(const std::string& s, const char* doc_date = nullptr) {
  ExtractOptions opt;
  opt.doc = "t";
  if (doc_date) opt.doc_date = *core::Date::Parse(doc_date);
  auto r = Extract(s, Ref()->gazetteer(), Lex(), opt);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::vector<ExtractedEvent>{};
}

std::vector<std::string> Locations(const std::vector<ExtractedEvent>& ev) {
  std::vector<std::string> out;
  for (const auto& e : ev) out.push_back(e.location);
  return out;
}

// --- Lexicon --------------------------------------------------------------

class LexiconFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.path() + "/lexicon");
    for (const auto& f : std::filesystem::directory_iterator(std::string(VIGIL_TEST_DATA_DIR) + "/lexicon"))
      std::filesystem::copy_file(f.path(), dir_.path() + "/lexicon/" + f.path().filename().string());
  }
  void Rewrite(const std::string& name, const std::string& content) {
    std::ofstream(dir_.path() + "/lexicon/" + name, std::ios::trunc) << content;
  }
  testing::TempDir dir_;
};

TEST_F(LexiconFiles, TheBundledFilesLoad) { EXPECT_TRUE(Lexicon::Load(dir_.path()).ok()); }

TEST_F(LexiconFiles, AMissingFileIsNamed) {
  std::filesystem::remove(dir_.path() + "/lexicon/triggers.tsv");
  auto l = Lexicon::Load(dir_.path());
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.status().code(), core::Code::kNotFound);
  EXPECT_NE(l.status().message().find("triggers.tsv"), std::string::npos);
}

TEST_F(LexiconFiles, AMalformedLineIsNamedWithItsNumber) {
  Rewrite("triggers.tsv", "# comment\nattack\tBattles\tArmed clash\t-\tnot-a-number\n");
  auto l = Lexicon::Load(dir_.path());
  ASSERT_FALSE(l.ok());
  EXPECT_NE(l.status().message().find("triggers.tsv:2"), std::string::npos) << l.status().message();
  Rewrite("triggers.tsv", "attack\tBattles\n");
  l = Lexicon::Load(dir_.path());
  ASSERT_FALSE(l.ok());
  EXPECT_NE(l.status().message().find("TAB-separated"), std::string::npos);
}

TEST_F(LexiconFiles, ACueClassTheExtractorNeedsMustBePresent) {
  Rewrite("cues.tsv", "civilian\tvillagers\n");
  auto l = Lexicon::Load(dir_.path());
  ASSERT_FALSE(l.ok());
  EXPECT_NE(l.status().message().find("no entry of class"), std::string::npos);
}

TEST(Lexicon, PhrasesOfSeveralWordsMatchWordByWord) {
  const auto t = Tokenise("des frappes aériennes ont visé le camp");
  size_t at = 0;
  const TriggerEntry* trig = nullptr;
  for (size_t i = 0; i < t.size() && !trig; ++i)
    Lex().trigger_index().Match(t, i, t.size(), [&](const TriggerEntry& e, size_t) { trig = &e, at = i; });
  ASSERT_NE(trig, nullptr);
  EXPECT_EQ(trig->sub_event_type, "Air/drone strike");
  EXPECT_EQ(at, 1u);
  EXPECT_EQ(Lex().Cues("destination").MatchAt(Tokenise("en direction de Gao"), 0, 4), 3u);
}

// A hyphen may join any two words of a phrase in the text ("al-Islam" is
// one token): every grouping of the lexicon's words matches.
TEST(Lexicon, PhrasesMatchWhateverWordsTheTextHyphenates) {
  auto actor_at = [](const std::string& text) {
    const auto t = Tokenise(text);
    std::string found;
    for (size_t i = 0; i < t.size() && found.empty(); ++i)
      Lex().actor_index().Match(t, i, t.size(), [&](const ActorEntry& e, size_t) { found = e.canonical; });
    return found;
  };
  EXPECT_EQ(actor_at("les combattants de Nusrat al-Islam"), "JNIM");
  EXPECT_EQ(actor_at("fighters of Nusrat al Islam"), "JNIM");
  EXPECT_EQ(actor_at("Jama'at Nusrat al-Islam wal-Muslimin"), "JNIM");
  EXPECT_EQ(Lex().Cues("between_armed_groups").MatchAt(Tokenise("between rival-armed groups"), 0, 3), 3u);
}

// --- Tokens and sentences ---------------------------------------------------

TEST(Tokens, ElisionSplitsButNamesStartingWithNApostropheStayWhole) {
  const auto t = Tokenise("l'attaque d'Inates près de N'Tillit");
  std::vector<std::string> words;
  for (const auto& tok : t) words.push_back(tok.text);
  EXPECT_EQ(words, (std::vector<std::string>{"l'", "attaque", "d'", "Inates", "près", "de", "N'Tillit"}));
}

TEST(Tokens, ASentenceEndsBeforeAnElidedCapital) {
  const std::string s = "Un homme a été tué. L\u2019incident a eu lieu à Kati.";
  EXPECT_EQ(Sentences(s, Tokenise(s)).size(), 2u);
}

// --- Dates ------------------------------------------------------------------

std::vector<DateMention> DatesIn(const std::string& s, int year = 2024) {
  const auto t = Tokenise(s);
  return FindDates(t, 0, t.size(), year, Lex());
}

TEST(Dates, DottedAndAbbreviatedDatelines) {
  auto d = DatesIn("Mis à jour 07.03.2022 - 10h");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].date.ToIso(), "2022-03-07");
  d = DatesIn("Published Feb. 3, 2021");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].date.ToIso(), "2021-02-03");
}

TEST(Dates, PartsOfAMonthHaveMonthPrecision) {
  for (const char* s : {"in early June", "at the end of June", "fin juin", "à la mi-juin"}) {
    auto d = DatesIn(s, 2022);
    ASSERT_EQ(d.size(), 1u) << s;
    EXPECT_EQ(d[0].precision, "month") << s;
    EXPECT_EQ(d[0].date.ToIso(), "2022-06-01") << s;
  }
}

TEST(Dates, ARangeOfDaysIsItsFirstDay) {
  for (const char* s : {"du 27 au 31 mars 2022", "between 27 and 31 March 2022", "entre le 27 et le 31 mars 2022",
                        "from 27 to 31 March 2022", "the night of 27 to 28 March 2022"}) {
    auto d = DatesIn(s);
    ASSERT_EQ(d.size(), 1u) << s;
    EXPECT_EQ(d[0].date.ToIso(), "2022-03-27") << s;
  }
  // A day alone is its own.
  auto d = DatesIn("le 31 mars 2022");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].date.ToIso(), "2022-03-31");
}

TEST(Dates, DaysCountedFromTheLastDayTold) {
  const auto told = *core::Date::Parse("2022-05-03");
  const struct {
    const char* text;
    const char* want;
  } cases[] = {{"the following day", "2022-05-04"}, {"le lendemain", "2022-05-04"},
               {"two days later", "2022-05-05"},    {"deux jours plus tard", "2022-05-05"},
               {"la veille", "2022-05-02"},         {"three days earlier", "2022-04-30"}};
  for (const auto& c : cases) {
    const auto t = Tokenise(c.text);
    std::vector<DateMention> out;
    FindStoryOffsets(t, 0, t.size(), told, Lex(), &out);
    ASSERT_EQ(out.size(), 1u) << c.text;
    EXPECT_EQ(out[0].date.ToIso(), c.want) << c.text;
  }
  const auto none = Tokenise("two soldiers later died");
  std::vector<DateMention> out;
  FindStoryOffsets(none, 0, none.size(), told, Lex(), &out);
  EXPECT_TRUE(out.empty());
}

TEST(Dates, NewYearsDayIsTheFirstOfJanuary) {
  auto d = DatesIn("on New Year's Day", 2020);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].date.ToIso(), "2020-01-01");
}

TEST(Dates, AWeekdayRangeIsItsFirstDayAndYesterdayNeedsTheDateOfWriting) {
  const auto t = Tokenise("dans la nuit de vendredi à samedi, hier");
  std::vector<DateMention> out;
  const auto sat = *core::Date::Parse("2023-06-10");  // a Saturday
  FindRelativeDates(t, 0, t.size(), sat, /*anchor_is_writing_date=*/false, Lex(), &out);
  ASSERT_EQ(out.size(), 1u);  // vendredi only: samedi ends the range, hier needs a dateline
  EXPECT_EQ(out[0].date.ToIso(), "2023-06-09");
  out.clear();
  FindRelativeDates(t, 0, t.size(), sat, /*anchor_is_writing_date=*/true, Lex(), &out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].date.ToIso(), "2023-06-09");  // hier
  const auto night = Tokenise("dans la nuit d'hier à aujourd'hui");
  out.clear();
  FindRelativeDates(night, 0, night.size(), sat, true, Lex(), &out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].date.ToIso(), "2023-06-09");
}

TEST(Dates, AWeekdayResolvesAgainstTheLastDateWrittenWhenThereIsNoDateline) {
  auto ev = ExtractFrom(
      "Le week-end du 8-9 juillet 2023 a été violent dans le centre. Des hommes armés ont attaqué samedi le "
      "marché de Bankass.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].date->ToIso(), "2023-07-08");
}

// --- People, actors and places ----------------------------------------------

TEST(Mentions, PeopleAreNotPlaces) {
  for (const char* s : {"On 4 May 2023 gunmen attacked Niono, said Colonel Moussa Diarra.",
                        "Le 4 mai 2023, des hommes armés ont attaqué Niono, selon M. Sidibé.",
                        "On 4 May 2023 gunmen attacked Niono. Amadou Kouyaté, a spokesman, confirmed it."}) {
    auto ev = ExtractFrom(s);
    EXPECT_EQ(Locations(ev), (std::vector<std::string>{"Niono"})) << s;
  }
  const auto t = Tokenise("President Mahamadou Issoufou visited Ouallam");
  const auto person = PersonTokens(t, Lex());
  EXPECT_TRUE(person[1] && person[2]);
  EXPECT_FALSE(person[4]);
}

TEST(Mentions, DistancesDestinationsAndSightingsAreNotWhereItHappened) {
  auto ev = ExtractFrom("Le 2 juin 2023, des hommes armés ont attaqué le village de Tiongui, à 40 km de Ségou.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].location, "Tiongui");
  ev = ExtractFrom("On 2 June 2023 the army post of Diabaly, about 30 km from Niono, was attacked.");
  EXPECT_EQ(Locations(ev), (std::vector<std::string>{"Diabaly"}));
  ev = ExtractFrom("Le 2 juin 2023, les assaillants ont attaqué Macina puis se sont repliés en direction de Ténenkou.");
  EXPECT_EQ(Locations(ev), (std::vector<std::string>{"Macina"}));
  ev = ExtractFrom("On 2 June 2023 gunmen attacked Bourem; they had been seen near Gao the day before.");
  EXPECT_EQ(Locations(ev), (std::vector<std::string>{"Bourem"}));
}

TEST(Mentions, BetweenTwoTownsTheFirstIsThePlace) {
  auto ev = ExtractFrom("Le 5 avril 2024, un car a été attaqué entre Bandiagara et Bankass.");
  EXPECT_EQ(Locations(ev), (std::vector<std::string>{"Bandiagara"}));
  // A place named for itself wins over the stretch around it.
  ev = ExtractFrom("Le 5 avril 2024, le poste de Boni, entre Douentza et Hombori, a été attaqué.");
  EXPECT_EQ(Locations(ev), (std::vector<std::string>{"Boni"}));
}

TEST(Mentions, APlaceTheGazetteerDoesNotKnowIsKeptAsWritten) {
  auto ev = ExtractFrom("On 3 May 2022 gunmen killed 5 herders in the village of Zorbatenga.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].location, "Zorbatenga");
  EXPECT_FALSE(ev[0].located);
  EXPECT_EQ(ev[0].geonameid, 0);
  EXPECT_TRUE(ToJson(ev[0])["latitude"].is_null());
  EXPECT_EQ(ToJson(ev[0])["place_known"], false);
}

TEST(Mentions, ANamesakeAbroadLosesToTheDocumentsCountry) {
  auto ev = ExtractFrom("Niger: le 3 mars 2021, des hommes armés ont attaqué Banibangou dans la région de Tillabéri.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].country, "Niger");
}

// --- Frames -----------------------------------------------------------------

TEST(Frames, TerritoryTakenAndRetaken) {
  auto ev = ExtractFrom("On 9 February 2022 the army retook Tessit after fierce fighting.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].sub_event_type, "Government regains territory");
  EXPECT_EQ(ev[0].actor1, "Military Forces of Mali");
  ev = ExtractFrom("Le 9 février 2022, les jihadistes se sont emparés de Boulkessi.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].sub_event_type, "Non-state actor overtakes territory");
  EXPECT_EQ(ev[0].actor2, "Military Forces of Mali");
}

TEST(Frames, ProtestsHaveProtestersAsActors) {
  auto ev = ExtractFrom("Le 14 janvier 2022, des milliers de manifestants ont marché à Bamako contre les sanctions.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].event_type, "Protests");
  EXPECT_EQ(ev[0].actor1, "Protesters");
  EXPECT_EQ(ev[0].actor2, "");
}

TEST(Frames, AirStrikesAreTheStatesEvenWhenOnlyTheTargetIsNamed) {
  auto ev =
      ExtractFrom("On 4 April 2023 a drone strike hit a wedding near Djibo, killing 12 civilians; JNIM was targeted.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].sub_event_type, "Air/drone strike");
  EXPECT_EQ(ev[0].actor1, "Military Forces of Burkina Faso");
  EXPECT_EQ(ev[0].actor2, "Civilians");
  EXPECT_EQ(ev[0].fatalities, 12);
}

TEST(Frames, PassiveVoiceAndTargetMarkersGiveTheRoles) {
  auto ev = ExtractFrom("Le 1er août 2023, le camp de Léré a été attaqué par des combattants du JNIM.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].actor1, "JNIM");
  ev = ExtractFrom("On 1 August 2023 Dozo hunters launched an attack against the JNIM in Djenné.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].actor1, "Dozo militia");
  EXPECT_EQ(ev[0].actor2, "JNIM");
}

TEST(Frames, SuicideBombsAreNotArmedClashes) {
  auto ev = ExtractFrom("On 6 June 2023 a suicide car bomb exploded at the gate of the army camp in Gao.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].event_type, "Explosions/Remote violence");
  EXPECT_EQ(ev[0].sub_event_type, "Suicide bomb");
}

TEST(Frames, FoundDevicesFearedAttacksAndBareKillingVerbsAreNotEvents) {
  EXPECT_TRUE(ExtractFrom("Le 2 mai 2023, un engin explosif a été découvert sur la route de Douentza.").empty());
  EXPECT_TRUE(ExtractFrom("On 2 May 2023 elders met in Koro to avoid further attacks.").empty());
  EXPECT_TRUE(ExtractFrom("On 2 May 2023 leaders met in Niamey to honour the soldiers who were killed.").empty());
}

TEST(Frames, CountsSkipWoundedAndAsides) {
  auto ev = ExtractFrom(
      "On 8 March 2024 gunmen attacked the army camp in Ménaka: two soldiers were wounded and 7 were killed.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].fatalities, 7);
  ev =
      ExtractFrom("Le 8 mars 2024, neuf gardes (dont deux officiers, selon une source locale) ont été tués à Ouallam.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].fatalities, 9);
}

// --- Across sentences -------------------------------------------------------

TEST(AcrossSentences, TheCountOfTheNextSentence) {
  auto ev = ExtractFrom(
      "On 3 June 2022 gunmen attacked the market of Seytenga. According to officials, 26 people were killed.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].fatalities, 26);
}

TEST(AcrossSentences, ThePlaceOfTheNextSentence) {
  auto ev =
      ExtractFrom("Le 3 juin 2022, un commerçant a été assassiné par des inconnus. Le drame s'est produit à Kati.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].location, "Kati");
  EXPECT_EQ(ev[0].event_type, "Violence against civilians");
}

TEST(AcrossSentences, TheDateOfTheNextSentence) {
  auto ev = ExtractFrom(
      "Publié le 30 juin 2022\n\nUn chauffeur a été enlevé à Kidal par des hommes armés. Le rapt a eu lieu le "
      "mardi 21 juin 2022.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].date->ToIso(), "2022-06-21");
}

TEST(AcrossSentences, AnAnaphoricMentionCompletesTheEarlierEvent) {
  auto ev = ExtractFrom(
      "On 12 May 2021 gunmen attacked Kelbo. This attack was repelled by the soldiers, and 4 assailants were "
      "killed.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].actor2, "Military Forces of Burkina Faso");
  EXPECT_EQ(ev[0].fatalities, 4);
}

TEST(AcrossSentences, OneIncidentToldTwiceIsOneEvent) {
  auto ev = ExtractFrom(
      "Le 3 mars 2024, des jihadistes ont attaqué le camp militaire de Nara. Le 3 mars 2024, l'attaque de Nara a "
      "fait 11 morts parmi les soldats.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].fatalities, 11);
}

TEST(Mentions, HyphenatedAffiliationsNameTheActor) {
  auto ev = ExtractFrom("On 3 May 2023 JNIM-linked fighters attacked Diafarabé, killing 4 soldiers.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].actor1, "JNIM");
  EXPECT_EQ(ev[0].fatalities, 4);
}

TEST(Mentions, AHyphenatedNameIsMatchedWhole) {
  auto ev = ExtractFrom("On 18 January 2017 an Al-Mourabitoun suicide bomber attacked the army camp in Gao.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].actor1, "Al-Mourabitoun");
  EXPECT_EQ(ev[0].sub_event_type, "Suicide bomb");
}

TEST(Mentions, CommunitiesAreNotPlaces) {
  auto ev =
      ExtractFrom("Le 3 mai 2023, des hommes armés ont tué 6 éleveurs peuls à Bankass, selon l'association Peul.");
  EXPECT_EQ(Locations(ev), (std::vector<std::string>{"Bankass"}));
}

TEST(Mentions, ADistanceCueBeforeAnAsideStillCounts) {
  auto ev = ExtractFrom("Le 3 mai 2023, le village de Tiongui, à 40 km de (la ville de) Ségou, a été attaqué.");
  EXPECT_EQ(Locations(ev), (std::vector<std::string>{"Tiongui"}));
}

TEST(Dates, AnAgencyDatelineInCapitalsIsNotAPlace) {
  auto ev = ExtractFrom("NIAMEY (AFP) - Gunmen attacked Tera on Sunday, killing 5 soldiers.", "2022-06-07");
  EXPECT_EQ(Locations(ev), (std::vector<std::string>{"Tera"}));
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].date->ToIso(), "2022-06-05");
}

TEST(Frames, TheDeadOfOneEventListedBySideAreSummed) {
  auto ev = ExtractFrom(
      "On 4 May 2023 four soldiers, two gendarmes and at least 21 assailants were killed in an ambush near Ansongo.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].fatalities, 27);
  // A count of attacks is not a count of the dead.
  ev = ExtractFrom("On 4 May 2023 two attacks hit Ansongo, 10 soldiers were killed.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].fatalities, 10);
  // "dont": the parts of a total already counted.
  ev = ExtractFrom("Le 4 mai 2023, l'attaque de Ménaka a fait 20 morts, dont 19 gendarmes et 1 civil.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].fatalities, 20);
}

TEST(Mentions, ASecondPlaceNearTheFirstIsAReference) {
  EXPECT_EQ(Locations(ExtractFrom("On 4 May 2023 gunmen attacked Ouatagouna near Ansongo, killing 5 villagers.")),
            (std::vector<std::string>{"Ouatagouna"}));
  EXPECT_EQ(Locations(ExtractFrom("Le 4 mai 2023, des hommes armés ont attaqué Ouatagouna, non loin d'Ansongo.")),
            (std::vector<std::string>{"Ouatagouna"}));
}

TEST(AcrossSentences, HostagesCountedWhereThePeopleAreNamedAgain) {
  auto ev = ExtractFrom(
      "Le 3 mars 2024, un camion et ses passagers ont été enlevés par des hommes armés près de Gossi. Le camion "
      "revenait de Gao.\nLes 4 passagers sont des commerçants.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].hostages, 4);  // not 1: "un camion" is no hostage
  ev = ExtractFrom("Le 3 mars 2024, un enseignant a été enlevé à Gossi par des hommes armés.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].hostages, 1);
}

TEST(Mentions, PatronymicPairsArePeople) {
  const auto t = Tokenise("Iyad Ag Ghaly et Mohamed Ould Mataly");
  const auto person = PersonTokens(t, Lex());
  for (size_t i : {0u, 1u, 2u, 4u, 5u, 6u}) EXPECT_TRUE(person[i]) << t[i].text;
  EXPECT_FALSE(person[3]);
}

TEST(Mentions, NamedLocalitiesArePlacesToo) {
  // Inata is a locality (GeoNames LCTY), not a populated place.
  auto ev = ExtractFrom("Le 5 mai 2022, le détachement de gendarmerie d'Inata a été attaqué, faisant 9 morts.");
  EXPECT_EQ(Locations(ev), (std::vector<std::string>{"Inata"}));
}

TEST(Mentions, AnUnknownPlaceInTheVicinityOfACue) {
  auto ev = ExtractFrom("On 2 May 2022 an IED killed two soldiers in the vicinity of Tinzawatène-Ouest.");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].sub_event_type, "Remote explosive/landmine/IED");
  EXPECT_FALSE(ev[0].located);
}

TEST(Frames, BackgroundMentionsWithoutADateAreNotThisEvent) {
  // "since the Solhan massacre": background with no date of its own.
  auto ev = ExtractFrom(
      "On 4 May 2022 gunmen attacked Seytenga, the worst attack since the Solhan massacre, killing 30 people.");
  EXPECT_EQ(Locations(ev), (std::vector<std::string>{"Seytenga"}));
  // A background event with its own date is an event of its own.
  ev = ExtractFrom(
      "On 4 May 2022 gunmen attacked a mosque in Seytenga, after the attack on a church in Dablo at the end of "
      "April.");
  EXPECT_EQ(Locations(ev), (std::vector<std::string>{"Seytenga", "Dablo"}));
}

TEST(Mentions, AnUnknownVillageIsKeptBesideAKnownTown) {
  auto ev = ExtractFrom("On 2 May 2022 gunmen killed 7 herders in the village of Zorbatenga, in Djibo.");
  ASSERT_FALSE(ev.empty());
  EXPECT_EQ(ev[0].location, "Zorbatenga");
  EXPECT_FALSE(ev[0].located);
}

TEST(Storage, EventsAtUnknownPlacesAreCountedNotStored) {
  auto ev = ExtractFrom(
      "On 3 May 2022 gunmen killed 5 herders in the village of Zorbatenga. On 4 May 2022 gunmen "
      "attacked Djibo.");
  ASSERT_EQ(ev.size(), 2u);
  int64_t undated = 0, unlocated = 0;
  const auto stored = ingest::ReportToEvents(ev, "t", &undated, &unlocated);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].location, "Djibo");
  EXPECT_EQ(unlocated, 1);
  EXPECT_EQ(undated, 0);
}

// A stored event names the report it came from by its title, not its file.
TEST(Storage, StoredEventsNameTheirReportByItsTitle) {
  EXPECT_EQ(ingest::ReportTitle("\n\n# Sahel weekly: attacks on convoys (NGO Forum, 3 May 2022)\nOn 3 May ..."),
            "Sahel weekly: attacks on convoys (NGO Forum, 3 May 2022)");
  EXPECT_EQ(ingest::ReportTitle(std::string(300, 'x') + "\nmore"), "");  // a paragraph, not a title
  EXPECT_EQ(ingest::ReportTitle(" \n\t\n"), "");
  auto ev = ExtractFrom("On 4 May 2022 gunmen attacked Djibo.");
  ASSERT_EQ(ev.size(), 1u);
  int64_t undated = 0;
  const auto stored = ingest::ReportToEvents(ev, "t", &undated, nullptr, "Daily flash (ECHO, 5 May 2022)");
  ASSERT_EQ(stored.size(), 1u);
  const std::string& notes = stored[0].notes;
  EXPECT_EQ(notes.substr(notes.rfind("Source: ")), "Source: Daily flash (ECHO, 5 May 2022)");
  EXPECT_EQ(notes.rfind("On 4 May 2022", 0), 0u) << "the evidence first";
}

}  // namespace
}  // namespace vigil::text

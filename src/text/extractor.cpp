#include "text/extractor.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <unordered_map>

#include "core/strings.h"
#include "geo/normalize.h"
#include "text/dates.h"
#include "text/frames.h"
#include "text/mentions.h"
#include "text/tokens.h"

namespace vigil::text {

using core::Date;
using core::Result;

namespace {

// The header: short lines before the first long sentence (title, byline,
// dateline). Its dates are the document's date, not an event's.
size_t HeaderEnd(const std::vector<Token>& t, const std::vector<Span>& sentences) {
  size_t end = 0;
  while (end < sentences.size() && end < 8 && sentences[end].second - sentences[end].first < 12 &&
         t[sentences[end].second - 1].text != ".")
    ++end;
  return end == sentences.size() ? 0 : end;  // all short lines: no header
}

// An inline dateline opens a paragraph: "BAMAKO, 3 July 2025 (Reuters) -
// ...", "Kayes, le 2 juillet 2025 — ...". A capitalised start, a day date
// and no trigger before a dash within the first 14 tokens: the document's
// place and date, not an event's. Returns where the sentence's text resumes
// (a when there is no dateline) and sets *date.
size_t SkipInlineDateline(std::string_view text, const std::vector<Token>& t, size_t a, size_t b, int year,
                          const Lexicon& lex, std::optional<Date>* date) {
  if (t[a].text.empty() || !std::isupper(static_cast<unsigned char>(t[a].text[0]))) return a;
  for (size_t d = a + 2; d < std::min(b, a + 14); ++d) {
    // The tokeniser drops a lone hyphen: look for it between tokens.
    const std::string_view gap = text.substr(t[d - 1].end, t[d].begin - t[d - 1].end);
    const std::string_view tok = text.substr(t[d].begin, t[d].end - t[d].begin);
    const bool long_dash = tok == "\u2013" || tok == "\u2014";
    if (gap.find('-') == std::string_view::npos && !long_dash) continue;
    const auto pre = FindDates(t, a, d, year, lex);
    size_t at = 0;
    if (FindTrigger(t, a, d, lex, &at)) return a;
    // "BAMAKO (Reuters) -": a city in capitals opening the paragraph.
    const bool caps = t[a].text.size() > 2 && std::all_of(t[a].text.begin(), t[a].text.end(), [](char c) {
                        return (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
                      });
    if (pre.empty() && caps && d - a <= 6) return long_dash ? d + 1 : d;
    if (pre.empty() || pre.front().precision != "day") return a;
    if (!*date) *date = pre.front().date;
    return long_dash ? d + 1 : d;
  }
  return a;
}

// Where the clause of the day at `day` starts: at the last "and", "et",
// comma or semicolon in the few words before it, after `from`; else at the day.
size_t ClauseStart(const std::vector<Token>& t, size_t from, size_t day, const Lexicon& lex) {
  const CueSet& brk = lex.Cues("clause_break");
  for (size_t k = day; k > from && day - k < 6; --k) {
    if (t[k - 1].punct && (t[k - 1].text == "," || t[k - 1].text == ";")) return k;
    if (size_t n = brk.MatchEndingAt(t, from, k)) return k - n;
  }
  return day;
}

// "after an attack on 14 May that killed 17 civilians and another on 19 May
// that killed 11 soldiers": a sentence that tells incidents of different
// days, each clause with its own trigger, is read as one clause per day.
// Returns the clauses; the first keeps the sentence's start.
std::vector<Span> ClausesByDay(const std::vector<Token>& t, Span s, int year, const Lexicon& lex) {
  std::vector<size_t> cuts;
  size_t from = s.first;
  std::optional<Date> last;
  for (const auto& d : FindDates(t, s.first, s.second, year, lex)) {
    if (d.precision != "day" || lex.Cues("period_date").MatchEndingAt(t, s.first, d.token) > 0) continue;
    if (last && *last != d.date) {
      const size_t cut = ClauseStart(t, from, d.token, lex);
      size_t at = 0;
      // Each side must tell something of its own, and the day must read
      // alone ("June 1 and 5" is one list of days).
      const auto alone = FindDates(t, cut, s.second, year, lex);
      const bool whole =
          std::any_of(alone.begin(), alone.end(), [&](const DateMention& x) { return x.date == d.date; });
      if (cut > from && whole && FindTrigger(t, cuts.empty() ? s.first : cuts.back(), cut, lex, &at) &&
          FindTrigger(t, cut, s.second, lex, &at))
        cuts.push_back(cut);
    }
    last = d.date;
    from = d.token + 1;
  }
  std::vector<Span> out;
  size_t a = s.first;
  for (size_t c : cuts) out.emplace_back(a, c), a = c;
  out.emplace_back(a, s.second);
  return out;
}

struct SentenceReading {
  size_t a = 0, b = 0;
  std::vector<DateMention> dates;
  std::optional<Frame> frame;
  std::vector<PlaceMention> places;  // where events happened
  bool places_read = false;          // read for every frame, for others on demand
  bool names_places = false;         // names any place, whatever its role
};

// Places where the event happened: the event-role ones, else the first
// town of an "entre X et Y" stretch.
std::vector<PlaceMention> EventPlaces(const std::vector<PlaceMention>& all) {
  std::vector<PlaceMention> out;
  for (const auto& p : all)
    if (p.role == PlaceRole::kEvent) out.push_back(p);
  // Unknown places only where the gazetteer knows none, unless the text
  // calls them a place ("in the village of X").
  const bool known = std::any_of(out.begin(), out.end(), [](const PlaceMention& p) { return p.place; });
  if (known)
    out.erase(
        std::remove_if(out.begin(), out.end(), [](const PlaceMention& p) { return !p.place && !p.named_as_place; }),
        out.end());
  if (out.empty())
    for (const auto& p : all)
      if (p.role == PlaceRole::kBetween) return {p};
  return out;
}

// A sentence that sets the scene of what follows: it names one place, one
// the gazetteer knows or one the text calls a place ("Xyz, un village").
bool IsScene(const SentenceReading& r) {
  return r.places.size() == 1 && (r.places[0].place || r.places[0].named_as_place);
}

class DocumentReader {
 public:
  DocumentReader(std::string_view text, const geo::Gazetteer& gaz, const Lexicon& lex, const ExtractOptions& opt)
      : text_(text), gaz_(gaz), lex_(lex), opt_(opt), toks_(Tokenise(text)), cursor_(text) {}

  std::vector<ExtractedEvent> Run();

 private:
  SentenceReading Read(size_t si);
  void ReadPlaces(SentenceReading* r);
  bool SameParagraph(size_t from_sentence, size_t to_sentence) const;
  bool StartsItem(size_t si) const;  // the sentence opens a bulleted item
  bool InBullet(size_t si) const;    // the sentence belongs to a bulleted item
  void SplitClauses();               // one clause per day told (ClausesByDay)
  // Where the sentence names the region (folded), or r.b.
  size_t RegionMention(const SentenceReading& r, const std::string& folded_region) const;
  std::vector<PlaceMention> RegionTown(const SentenceReading& r);
  // The sentence names a region of the document other than the place's.
  bool NamesAnotherRegion(const SentenceReading& r, const PlaceMention& p) const;
  void Complete(std::vector<SentenceReading>& read, size_t si);
  void PlaceFromBefore(std::vector<SentenceReading>& read, size_t si, SentenceReading* prev, bool own_facts);
  void PlaceFromAfter(SentenceReading& r, SentenceReading* next, bool own_facts);
  // The one known place the document has named before sentence si, if it
  // named exactly one; else none.
  std::vector<PlaceMention> PlaceOfTheStory(std::vector<SentenceReading>& read, size_t si);
  void DateAndCountsFromNext(std::vector<SentenceReading>& read, size_t si, SentenceReading* next);
  bool FillEarlier(const SentenceReading& r, std::vector<ExtractedEvent>* out);
  // `dead`: the sentence's count of the dead (its frame's, or a toll stated
  // with no trigger: "le bilan est de 133 morts").
  bool FillStoryToll(const std::vector<SentenceReading>& read, size_t si, int64_t dead,
                     std::vector<ExtractedEvent>* out);
  bool NamesAToll(const SentenceReading& r) const;
  void TollFromLede(const std::vector<SentenceReading>& read, size_t si, ExtractedEvent* e) const;
  // Whose dead the count of read[si] holds; a count taken from the next
  // sentence (DateAndCountsFromNext) is that sentence's.
  Toll TollOf(const std::vector<SentenceReading>& read, size_t si) const;
  bool NamesAMonth(const SentenceReading& r) const;  // "In June", "en mai"
  std::optional<int64_t> CountOfTheSamePeople(const std::vector<SentenceReading>& read, size_t si) const;
  void Emit(const SentenceReading& r, const std::vector<DateMention>& dates, std::vector<ExtractedEvent>* out);
  void ShareRespectively(const SentenceReading& r, size_t first, std::vector<ExtractedEvent>* out);

  std::string_view text_;
  const geo::Gazetteer& gaz_;
  const Lexicon& lex_;
  const ExtractOptions& opt_;
  std::vector<Token> toks_;
  std::vector<Span> sentences_;           // sentences, or clauses of one
  std::vector<bool> clause_of_previous_;  // the span continues the previous one's sentence
  DocumentContext ctx_;
  GeocodeCache cache_;
  CodePointCursor cursor_;
  int year_ = 0;
  size_t header_end_ = 0;
  std::optional<Date> doc_date_, last_day_;
  std::optional<DateMention> carried_;
  std::vector<PlaceMention> last_places_;  // of the latest event emitted
  size_t last_emit_si_ = SIZE_MAX;         // the sentence that emitted it,
  size_t last_emit_count_ = 0;             // and how many events it emitted
  std::set<TollSide> toll_sides_;          // whose dead its count holds
  size_t unplaced_toll_ = SIZE_MAX;        // the latest sentence with a toll and no place
  struct {                                 // what PlaceOfTheStory has read so far
    size_t scanned = 0;                    // sentences before this one
    std::optional<PlaceMention> place;     // the one place named,
    std::string name;                      // its key,
    bool told = false;                     // named with an incident,
    bool several = false;                  // or more than one place
  } story_;
};

void DocumentReader::SplitClauses() {
  std::vector<Span> out;
  clause_of_previous_.clear();
  for (size_t si = 0; si < sentences_.size(); ++si) {
    auto clauses = std::vector<Span>{sentences_[si]};
    if (si >= header_end_) {
      // Not at the day of an inline dateline ("Bamako, le 3 juillet 2025 - ...").
      std::optional<Date> unused;
      const auto [a, b] = sentences_[si];
      clauses = ClausesByDay(toks_, {SkipInlineDateline(text_, toks_, a, b, year_, lex_, &unused), b}, year_, lex_);
      clauses.front().first = a;
    }
    for (size_t k = 0; k < clauses.size(); ++k) {
      out.push_back(clauses[k]);
      clause_of_previous_.push_back(k > 0);
    }
  }
  sentences_ = std::move(out);
}

// "In Ménaka region, an IED exploded ...": a sentence that names one region
// and no place happened there; ACLED then codes the region's town of the
// same name (its geo-precision 3). Empty when there is none.
size_t DocumentReader::RegionMention(const SentenceReading& r, const std::string& folded_region) const {
  for (size_t i = r.a; i < r.b; ++i)
    if (toks_[i].folded == folded_region) return i;
  return r.b;
}

std::vector<PlaceMention> DocumentReader::RegionTown(const SentenceReading& r) {
  std::vector<PlaceMention> out;
  for (const auto& region : ctx_.regions) {
    const std::string folded = geo::FoldName(region);
    const size_t i = RegionMention(r, folded);
    if (i == r.b) continue;
    geo::GeocodeOptions go;
    go.fuzzy = false;
    go.limit = 10;
    for (const auto& c : gaz_.Geocode(toks_[i].text, go))
      if (c.place->feature_class == 'P' && geo::FoldName(c.place->admin1) == folded) {
        out.push_back({i, 1, c.place, toks_[i].text, PlaceRole::kEvent});
        break;
      }
  }
  if (out.size() > 1) out.clear();  // several regions: no one place
  return out;
}

bool DocumentReader::NamesAnotherRegion(const SentenceReading& r, const PlaceMention& p) const {
  if (!p.place) return false;
  const std::string own = geo::FoldName(p.place->admin1);
  for (const auto& region : ctx_.regions) {
    const std::string folded = geo::FoldName(region);
    if (folded != own && RegionMention(r, folded) < r.b) return true;
  }
  return false;
}

bool DocumentReader::InBullet(size_t si) const {
  size_t first = si;
  while (first > 0 && SameParagraph(first - 1, first)) --first;
  return StartsItem(first);
}

bool DocumentReader::StartsItem(size_t si) const {
  if (si > 0 && SameParagraph(si - 1, si)) return false;
  const std::string& lead = toks_[sentences_[si].first].text;
  if (lead == "\xE2\x80\xA2" || lead == "-" || lead == "*") return true;
  // The tokeniser drops a lone hyphen: read the line before the first word.
  const size_t begin = toks_[sentences_[si].first].begin;
  const size_t line = text_.rfind('\n', begin == 0 ? 0 : begin - 1);
  const std::string_view before = core::Trim(text_.substr(line == std::string_view::npos ? 0 : line + 1,
                                                          begin - (line == std::string_view::npos ? 0 : line + 1)));
  return before == "-" || before == "*" || before == "\xE2\x80\xA2" || before == "\xE2\x80\x93";
}

bool DocumentReader::SameParagraph(size_t from_sentence, size_t to_sentence) const {
  const size_t end = toks_[sentences_[from_sentence].second - 1].end;
  const size_t begin = toks_[sentences_[to_sentence].first].begin;
  return text_.substr(end, begin - end).find('\n') == std::string_view::npos;
}

// What the sentence lacks, from its neighbours: its place from the story
// before it (PlaceFromBefore: "• CCM in Karaga. The facility was torched
// ...") or after it (PlaceFromAfter: "... a été assassiné hier. L'incident
// s'est produit à Dobwo", "the town"); its date and count from the next
// sentence (DateAndCountsFromNext: "Le rapt a eu lieu le 19 septembre").
void DocumentReader::Complete(std::vector<SentenceReading>& read, size_t si) {
  SentenceReading& r = read[si];
  SentenceReading* prev =
      si > 0 && read[si - 1].a < read[si - 1].b && SameParagraph(si - 1, si) ? &read[si - 1] : nullptr;
  // A sentence is completed by the next one in its story: not by the next
  // bulleted item, which is another story (news prose, one sentence a
  // paragraph, goes on across paragraphs).
  SentenceReading* next =
      si + 1 < read.size() && read[si + 1].a < read[si + 1].b && (SameParagraph(si, si + 1) || !StartsItem(si + 1))
          ? &read[si + 1]
          : nullptr;
  if (next) ReadPlaces(next);
  // The sentence tells an incident of its own: a count or a date written in it.
  const bool own_facts = r.frame->fatalities || r.frame->hostages || !r.dates.empty();
  if (r.places.empty()) PlaceFromBefore(read, si, prev, own_facts);
  if (r.places.empty()) PlaceFromAfter(r, next, own_facts);
  if (r.places.empty() && own_facts && last_emit_si_ == SIZE_MAX) r.places = PlaceOfTheStory(read, si);
  DateAndCountsFromNext(read, si, next);
}

// The place of the sentence's story told before it: the first clause of its
// sentence; the sentences of its bulleted item; a scene set just before,
// in its paragraph or in a one-sentence paragraph before it.
void DocumentReader::PlaceFromBefore(std::vector<SentenceReading>& read, size_t si, SentenceReading* prev,
                                     bool own_facts) {
  SentenceReading& r = read[si];
  // A clause of the sentence before ("and another on 19 May ...") happened
  // where that sentence's first clause did, unless it says where.
  if (clause_of_previous_[si] && prev) {
    ReadPlaces(prev);
    r.places = prev->places;
    if (!r.places.empty()) return;
  }
  // The sentences of one bulleted item share its place; in a paragraph, a
  // sentence that tells no incident but names one known place sets the
  // scene for an incident told next with its own date or count ("... fled
  // the village of X. The attack on 15 April killed 13."), not for a
  // comment ("targeting infrastructure risks ...").
  // "Ils ont exécuté le chef de village": the people of the scene go on.
  const bool goes_on = lex_.Cues("subject_pronoun").Has(toks_[r.a].folded);
  if (prev && si - 1 >= header_end_ && !prev->frame) {
    ReadPlaces(prev);
    if (InBullet(si) || ((own_facts || goes_on) && IsScene(*prev))) r.places = prev->places;
    return;
  }
  // News prose often runs one sentence a paragraph: the scene may close the
  // paragraph before ("Le 9 juin, des hommes armés arrivent à X." / "Dans
  // la nuit, ils tuent 35 personnes."). Only from a paragraph of one
  // sentence to a sentence (not a heading), and not into a sentence that
  // names another region.
  const bool one_sentence_paragraph = si >= 2 ? !SameParagraph(si - 2, si - 1) : si == 1;
  SentenceReading* before = si > 0 && !prev && si - 1 >= header_end_ && read[si - 1].a < read[si - 1].b &&
                                    !read[si - 1].frame && one_sentence_paragraph && !StartsItem(si) &&
                                    !InBullet(si - 1) && toks_[r.b - 1].text == "."
                                ? &read[si - 1]
                                : nullptr;
  if (before && own_facts) {
    ReadPlaces(before);
    if (IsScene(*before) && !NamesAnotherRegion(r, before->places[0])) r.places = before->places;
  }
}

// The place told after the sentence or instead of a name: the next sentence
// says where "it" happened; "the town" is the place just named; an
// incident ("often attacked" is none) that names no place but a region.
void DocumentReader::PlaceFromAfter(SentenceReading& r, SentenceReading* next, bool own_facts) {
  bool continued = false;
  for (size_t i = next ? next->a : 0; next && i < next->b && !continued; ++i)
    continued = lex_.Cues("continuation").MatchAt(toks_, i, next->b) > 0;
  if (next && (continued || own_facts) && next->dates.empty() && !next->places.empty() &&
      (!next->frame || next->frame->trigger->priority <= 1 || next->frame->event_type == r.frame->event_type)) {
    r.places = next->places;
    // "Des affrontements ... ont fait dix morts." / "Les combats ont opposé
    // X à Y près de Z.": the sentence that says where also says who.
    if (next->frame && next->frame->event_type == r.frame->event_type && next->frame->actor1_named &&
        !r.frame->actor1_named) {
      r.frame->actor1 = next->frame->actor1;
      r.frame->actor1_named = true;
      if (r.frame->actor2.empty()) r.frame->actor2 = next->frame->actor2;
    }
    next->frame.reset();
    next->places.clear();
    return;
  }
  if (!last_places_.empty())
    for (size_t i = r.a; i < r.b; ++i)
      if (lex_.Cues("place_anaphor").MatchAt(toks_, i, r.b)) {
        r.places = {last_places_.back()};
        return;
      }
  if (own_facts && !r.names_places) r.places = RegionTown(r);
}

// A report about one place names it once, in its opening, and tells the
// incident later with its day and toll but no place ("Human Rights Watch
// interviewed witnesses of the killings in X." ... "at least 26 men were
// executed"). Only before any event is told, when the text has named no
// other place and named this one with an incident (not "the mayor of X").
std::vector<PlaceMention> DocumentReader::PlaceOfTheStory(std::vector<SentenceReading>& read, size_t si) {
  // Not for a heading ("Trente civils tués").
  if (toks_[read[si].b - 1].text != ".") return {};
  // The sentences before si are read once, however many sentences ask.
  for (size_t k = std::max(story_.scanned, header_end_); k < si && !story_.several; ++k) {
    if (read[k].a >= read[k].b) continue;
    // Every place named, whatever its role or whether the gazetteer knows
    // it: a village the gazetteer lacks beside its commune is two places.
    bool named = false;
    for (const auto& p : FindPlaces(toks_, read[k].a, read[k].b, gaz_, lex_, ctx_, &cache_)) {
      const std::string name = p.place ? "#" + std::to_string(p.place->id) : geo::FoldName(p.name);
      if ((story_.place && story_.name != name) || (!story_.place && !p.place)) {
        story_.several = true;
        break;
      }
      story_.place = p, story_.name = name, named = true;
    }
    size_t at = 0;
    if (named && !story_.several) story_.told = story_.told || FindTrigger(toks_, read[k].a, read[k].b, lex_, &at);
  }
  story_.scanned = std::max(story_.scanned, si);
  if (story_.several || !story_.place || !story_.told) return {};
  PlaceMention p = *story_.place;
  p.role = PlaceRole::kEvent;
  return {p};
}

// The date and the count from the next sentence when it tells no event of
// its own ("Le rapt a eu lieu le 19 septembre"); the hostages counted in
// the sentences after an abduction.
void DocumentReader::DateAndCountsFromNext(std::vector<SentenceReading>& read, size_t si, SentenceReading* next) {
  SentenceReading& r = read[si];
  const bool next_weak = next && next->places.empty() &&
                         (!next->frame || next->frame->anaphoric || next->frame->event_type == r.frame->event_type);
  // "since January 2013", "as of 31 January": the start of a period or a
  // count's date, not the date of the incident told before.
  std::vector<DateMention> next_dates;
  if (next)
    for (const auto& d : next->dates)
      if (lex_.Cues("period_date").MatchEndingAt(toks_, next->a, d.token) == 0) next_dates.push_back(d);
  if (r.dates.empty() && next_weak && !next_dates.empty()) {
    r.dates = next_dates;
    if (next->frame && next->frame->event_type == r.frame->event_type) next->frame.reset();
  }
  if (!r.frame->fatalities && next && next->places.empty() && next->dates.empty())
    r.frame->fatalities = FindFatalities(toks_, next->a, next->b, lex_, next->dates);
  if (r.frame->sub_event_type == "Abduction/forced disappearance" && !r.frame->hostages)
    r.frame->hostages = CountOfTheSamePeople(read, si);
}

bool DocumentReader::NamesAMonth(const SentenceReading& r) const {
  for (size_t i = r.a; i < r.b; ++i)
    if (lex_.Month(toks_[i].folded) && (toks_[i].capitalised || toks_[i].folded != "may")) return true;
  return false;
}

Toll DocumentReader::TollOf(const std::vector<SentenceReading>& read, size_t si) const {
  const SentenceReading& r = read[si];
  const Toll toll = FindToll(toks_, r.a, r.b, lex_, r.dates);
  if (toll.side != TollSide::kUnknown || si + 1 >= read.size() || FindFatalities(toks_, r.a, r.b, lex_, r.dates))
    return toll;
  return FindToll(toks_, read[si + 1].a, read[si + 1].b, lex_, read[si + 1].dates);
}

// A story told in news prose gives its toll a few sentences after the
// incident, with no place or day of its own ("Des hommes armés ont attaqué
// mardi le village de X." / a witness's words / "Le bilan fait état de 22
// civils tués."): the count is the latest event's, when that event is the
// only one its sentence told and no bulleted item or other event came
// between. When the event has a count already, a toll of the other side of
// the fight is added to it, as ACLED counts every side's dead ("12 soldiers
// were killed." / "The army said 30 assailants were killed.").
bool DocumentReader::NamesAToll(const SentenceReading& r) const {
  for (size_t i = r.a; i < r.b; ++i)
    if (lex_.Cues("toll_word").Has(toks_[i].folded)) return true;
  return false;
}

bool DocumentReader::FillStoryToll(const std::vector<SentenceReading>& read, size_t si, int64_t dead,
                                   std::vector<ExtractedEvent>* out) {
  // A sentence that names the toll ("le bilan est de ...") reaches further,
  // and updates the count rather than adding to it.
  constexpr size_t kStorySentences = 3, kTollSentences = 6;
  const SentenceReading& r = read[si];
  if (dead <= 0 || out->empty() || last_emit_count_ != 1) return false;
  const bool toll_word = NamesAToll(r);
  if (last_emit_si_ >= si || si - last_emit_si_ > (toll_word ? kTollSentences : kStorySentences)) return false;
  // A sentence with a time of its own ("In June, 130 were killed") tells
  // another incident; so does the next one when the count is its.
  if (!r.dates.empty() || NamesAMonth(r) ||
      (!FindFatalities(toks_, r.a, r.b, lex_, r.dates) && si + 1 < read.size() && NamesAMonth(read[si + 1])))
    return false;
  for (size_t k = last_emit_si_ + 1; k <= si; ++k)
    if (StartsItem(k) || k < header_end_) return false;
  // "dozens of soldiers were killed", in the event's sentence or one after:
  // the event's dead are unknown, and a later count is of someone else ("In
  // addition, one civilian ...").
  for (size_t k = last_emit_si_; k <= si; ++k)
    if (read[k].frame && read[k].frame->vague_toll) return false;
  ExtractedEvent& e = out->back();
  const Toll toll = TollOf(read, si);
  if (!e.fatalities || toll_word) {
    e.fatalities = std::max<int64_t>(e.fatalities.value_or(0), dead);
    toll_sides_.insert(toll.side);
    return true;
  }
  const bool armed_side = toll.side == TollSide::kState || toll.side == TollSide::kArmedGroup;
  if (e.event_type != "Battles" || !armed_side || toll.approximate || toll_sides_.count(toll.side) ||
      !(toll_sides_.count(TollSide::kState) || toll_sides_.count(TollSide::kArmedGroup)))
    return false;
  *e.fatalities += dead;
  toll_sides_.insert(toll.side);
  return true;
}

// Wire copy opens with the toll and a vague place ("killed at least 20
// civilians in an attack on a village in northern Burkina Faso") and names
// the place in the next sentence or two ("The gunmen stormed X on
// Saturday"): the event told there takes the lede's toll, when it has none,
// is of the same type, and no bulleted item came between.
void DocumentReader::TollFromLede(const std::vector<SentenceReading>& read, size_t si, ExtractedEvent* e) const {
  constexpr size_t kLedeSentences = 2;
  if (e->fatalities || unplaced_toll_ >= si || si - unplaced_toll_ > kLedeSentences) return;
  const SentenceReading& lede = read[unplaced_toll_];
  if (!lede.frame || !lede.frame->fatalities || lede.frame->event_type != e->event_type) return;
  for (size_t k = unplaced_toll_ + 1; k <= si; ++k)
    if (StartsItem(k) || k < header_end_ || (read[k].frame && k < si && !read[k].places.empty())) return;
  e->fatalities = lede.frame->fatalities;
}

// "... et ses occupants ont été enlevés. [...] Les 5 occupants du véhicule
// ...": a number before a plural noun of the abduction sentence, in the
// three sentences after it, counts the hostages.
std::optional<int64_t> DocumentReader::CountOfTheSamePeople(const std::vector<SentenceReading>& read, size_t si) const {
  const SentenceReading& r = read[si];
  std::set<std::string> nouns;
  size_t at = 0;
  for (size_t i = r.a; i < r.b; ++i)
    if (!toks_[i].capitalised && toks_[i].folded.size() >= 5 && toks_[i].folded.back() == 's' &&
        !FindTrigger(toks_, i, i + 1, lex_, &at))
      nouns.insert(toks_[i].folded);
  for (size_t sj = si + 1; sj < read.size() && sj <= si + 3; ++sj) {
    const SentenceReading& n = read[sj];
    for (size_t i = n.a; i + 1 < n.b; ++i) {
      int64_t v = 0;
      if (!core::ParseInt64(toks_[i].text, &v)) v = lex_.Number(toks_[i].folded);
      if (v <= 0 || v > 500 || (toks_[i].number && toks_[i].text.size() == 4)) continue;
      if (nouns.count(toks_[i + 1].folded)) return v;
    }
  }
  return std::nullopt;
}

// An anaphoric frame ("cette attaque a été repoussée par les soldats")
// completes the latest event of its type: its target actor and its counts.
bool DocumentReader::FillEarlier(const SentenceReading& r, std::vector<ExtractedEvent>* out) {
  const Frame& f = *r.frame;
  for (auto it = out->rbegin(); it != out->rend(); ++it) {
    if (it->event_type != f.event_type) continue;
    if (!it->fatalities) it->fatalities = f.fatalities;
    // A later telling that the dead were civilians names the target.
    if (f.actor2 == "Civilians" && f.fatalities && it->actor2 != "Civilians" &&
        it->event_type != "Violence against civilians")
      it->actor2 = "Civilians";
    if (!it->hostages) it->hostages = f.hostages;
    if (it->actor2.empty() && !f.actor2.empty()) it->actor2 = ForcesOf(f.actor2, it->country);
    if (it->actor2.empty() && f.actor1 != it->actor1 && f.actor1.rfind("Military Forces", 0) == 0)
      it->actor2 = ForcesOf(f.actor1, it->country);
    return true;
  }
  return false;
}

void DocumentReader::ReadPlaces(SentenceReading* r) {
  if (r->places_read || r->a >= r->b) return;
  const auto all = FindPlaces(toks_, r->a, r->b, gaz_, lex_, ctx_, &cache_);
  r->names_places = !all.empty();
  r->places = EventPlaces(all);
  r->places_read = true;
}

SentenceReading DocumentReader::Read(size_t si) {
  SentenceReading r;
  r.a = sentences_[si].first;
  r.b = sentences_[si].second;
  r.a = SkipInlineDateline(text_, toks_, r.a, r.b, year_, lex_, &doc_date_);
  if (r.a >= r.b) return r;
  auto& dates = r.dates;
  dates = FindDates(toks_, r.a, r.b, year_, lex_);
  // Relative dates resolve against the document's date, else the last day
  // the text wrote out ("le week-end du 16-17 mars ... samedi").
  std::optional<Date> anchor = doc_date_ ? doc_date_ : last_day_;
  if (!doc_date_)
    for (const auto& d : dates)
      if (d.precision == "day") anchor = d.date;
  // "the following day", "two days later": from the last day told, in
  // this sentence or before it.
  std::optional<Date> told = last_day_;
  for (const auto& d : dates)
    if (d.precision == "day") told = d.date;
  if (told && si >= header_end_) {
    FindStoryOffsets(toks_, r.a, r.b, *told, lex_, &dates);
    std::sort(dates.begin(), dates.end(), [](const DateMention& x, const DateMention& y) { return x.token < y.token; });
  }
  if (anchor && si >= header_end_) {
    FindRelativeDates(toks_, r.a, r.b, *anchor, doc_date_.has_value(), lex_, &dates);
    std::sort(dates.begin(), dates.end(), [](const DateMention& x, const DateMention& y) { return x.token < y.token; });
  }
  // "..., the army said on Monday": the day a source spoke is not the
  // incident's when the sentence gives the incident its own.
  const CueSet& said = lex_.Cues("report_verb");
  // Also "the army on Tuesday said", "l'armée a mardi démenti".
  auto spoken = [&](const DateMention& d) {
    for (size_t k = d.token; k > r.a && d.token - k < 3; --k)
      if (said.MatchEndingAt(toks_, r.a, k) > 0) return true;
    const bool weekday = lex_.Weekday(toks_[d.token].folded) >= 0;
    for (size_t k = d.token + 1; weekday && k < r.b && k <= d.token + 2; ++k)
      if (said.MatchAt(toks_, k, r.b) > 0) return true;
    return false;
  };
  if (std::any_of(dates.begin(), dates.end(), [&](const DateMention& d) { return !spoken(d); }))
    dates.erase(std::remove_if(dates.begin(), dates.end(), spoken), dates.end());
  // A line that is little more than a date is a dateline ("Oct 12",
  // "8 juli 2025 20:51"): the document's date, not an event's.
  size_t at = 0;
  const bool dateline = !dates.empty() && r.b - r.a <= 7 && !FindTrigger(toks_, r.a, r.b, lex_, &at);
  if (dateline && !doc_date_ && dates.front().precision == "day") doc_date_ = dates.front().date;
  if (si < header_end_ || dateline) dates.clear();
  for (const auto& d : dates)
    if (d.precision == "day" && !d.relative) last_day_ = d.date;
  r.frame = ReadFrame(toks_, r.a, r.b, lex_, ctx_, dates);
  if (r.frame) {
    ReadPlaces(&r);
    const auto& bg = r.frame->background;
    r.places.erase(std::remove_if(r.places.begin(), r.places.end(),
                                  [&](const PlaceMention& p) {
                                    return std::any_of(bg.begin(), bg.end(), [&](const Span& s) {
                                      return p.token >= s.first && p.token < s.second;
                                    });
                                  }),
                   r.places.end());
  }
  return r;
}

void DocumentReader::Emit(const SentenceReading& r, const std::vector<DateMention>& dates,
                          std::vector<ExtractedEvent>* out) {
  const Frame& f = *r.frame;
  const size_t first = out->size();
  // One event per place; each place takes the dates written just before it
  // in the sentence, else the sentence's first date, else the carried one.
  size_t prev_end = r.a;
  std::set<std::string> seen;
  for (const auto& pm : r.places) {
    std::vector<DateMention> own;
    for (const auto& d : dates)
      if (d.token >= prev_end && d.token < pm.token) own.push_back(d);
    prev_end = pm.token + pm.tokens;
    if (own.empty() && !dates.empty()) own.push_back(dates.front());
    if (own.empty() && carried_) own.push_back(*carried_);
    if (own.empty()) own.push_back({0, Date(), "unknown"});
    if (!seen.insert(pm.place ? std::to_string(pm.place->id) : geo::FoldName(pm.name)).second) continue;
    for (const auto& d : own) {
      ExtractedEvent e;
      e.doc = opt_.doc;
      if (d.precision != "unknown") e.date = d.date;
      e.date_precision = d.precision;
      e.location = pm.name;
      if (pm.place) {
        e.located = true;
        e.latitude = pm.place->lat;
        e.longitude = pm.place->lon;
        e.geonameid = pm.place->id;
        e.admin1 = pm.place->admin1;
        e.admin2 = pm.place->admin2;
        e.country = geo::CountryName(pm.place->country_code);
      } else {
        e.located = false;
        e.country = geo::CountryName(ctx_.country);
      }
      e.event_type = f.event_type;
      e.sub_event_type = f.sub_event_type;
      e.tags.assign(f.tags.begin(), f.tags.end());
      e.actor1 = f.actor1;
      e.actor2 = f.actor2;
      e.target = f.target;
      // "the army", "soldiers": the army of the event's country.
      for (std::string* actor : {&e.actor1, &e.actor2}) *actor = ForcesOf(*actor, e.country);
      e.fatalities = f.fatalities;
      e.hostages = f.hostages;
      const size_t sb = toks_[r.a].begin, se = toks_[r.b - 1].end;
      e.evidence = std::string(core::TruncateUtf8(text_.substr(sb, se - sb), 300));
      e.evidence_start = cursor_.At(sb);
      e.evidence_end = e.evidence_start + CodePoints(e.evidence, e.evidence.size());
      e.confidence = (d.precision == "day" ? 0.4 : 0.2) + (f.trigger->priority >= 4 ? 0.3 : 0.15) +
                     (!pm.place                        ? 0.0
                      : pm.place->feature_class == 'P' ? 0.2
                                                       : 0.1);
      out->push_back(std::move(e));
    }
  }
  ShareRespectively(r, first, out);
}

// "Deux préfets, enlevés respectivement le 8 décembre à X et le 2 mai à Y":
// the count of a sentence that says "respectively" is shared among its
// events, one part each, when it divides evenly.
void DocumentReader::ShareRespectively(const SentenceReading& r, size_t first, std::vector<ExtractedEvent>* out) {
  const size_t n = out->size() - first;
  if (n < 2) return;
  bool respectively = false;
  for (size_t i = r.a; i < r.b && !respectively; ++i) respectively = lex_.Cues("respectively").Has(toks_[i].folded);
  if (!respectively) return;
  for (auto count : {&ExtractedEvent::fatalities, &ExtractedEvent::hostages}) {
    const auto& v = (*out)[first].*count;
    if (!v || *v % static_cast<int64_t>(n) != 0) continue;
    const int64_t part = *v / static_cast<int64_t>(n);
    for (size_t k = first; k < out->size(); ++k) (*out)[k].*count = part;
  }
}

// Mentions of one incident (same place, date and type) are one event: the first
// telling keeps its type, later ones fill what it lacks.
std::vector<ExtractedEvent> MergeMentions(std::vector<ExtractedEvent> in) {
  std::vector<ExtractedEvent> out;
  std::unordered_map<std::string, size_t> first;  // place, date, type -> index in out
  for (auto& e : in) {
    const std::string key = (e.located ? "#" + std::to_string(e.geonameid) : geo::FoldName(e.location)) + "|" +
                            (e.date ? e.date->ToIso() : "-") + "|" + e.event_type;
    auto [it, fresh] = first.emplace(key, out.size());
    if (fresh) {
      out.push_back(std::move(e));
      continue;
    }
    ExtractedEvent* same = &out[it->second];
    if (!same->fatalities) same->fatalities = e.fatalities;
    if (!same->hostages) same->hostages = e.hostages;
    if (same->actor1 == "Unidentified armed group" && e.actor1 != same->actor1 && e.event_type == same->event_type)
      same->actor1 = e.actor1;
    if (same->actor2.empty()) same->actor2 = e.actor2;
    if (same->target.empty()) same->target = e.target;
  }
  return out;
}

// A battle has two armed sides (ACLED's definition). When the text names
// only the attackers, the other side is the army of the event's country;
// when it names only state forces, the other is the document's main armed
// group, else an unidentified one.
void CompleteBattleSides(const DocumentContext& ctx, std::vector<ExtractedEvent>* events) {
  for (auto& e : *events) {
    if (e.event_type != "Battles" || !e.actor2.empty() || e.actor1.empty() || e.country.empty()) continue;
    if (e.actor1.rfind("Military Forces", 0) == 0 || e.actor1.rfind("Police Forces", 0) == 0)
      e.actor2 = ctx.main_actor.empty() ? "Unidentified armed group" : ctx.main_actor;
    else
      e.actor2 = "Military Forces of " + e.country;
  }
}

std::vector<ExtractedEvent> DocumentReader::Run() {
  year_ = opt_.doc_date ? opt_.doc_date->year() : DocumentYear(toks_);
  ctx_ = ReadDocumentContext(toks_, gaz_, lex_);
  sentences_ = Sentences(text_, toks_);
  header_end_ = HeaderEnd(toks_, sentences_);
  SplitClauses();
  // The document's date: --doc-date, else the first full date in the header
  // (a dateline such as "8 juli 2025 20:51", "25.09.2020").
  doc_date_ = opt_.doc_date;
  for (size_t si = 0; si < header_end_ && !doc_date_; ++si)
    for (const auto& d : FindDates(toks_, sentences_[si].first, sentences_[si].second, year_, lex_))
      if (d.precision == "day") {
        doc_date_ = d.date;
        break;
      }
  std::vector<ExtractedEvent> out;
  std::vector<SentenceReading> read;
  read.reserve(sentences_.size());
  for (size_t si = 0; si < sentences_.size(); ++si) read.push_back(Read(si));
  for (size_t si = 0; si < read.size(); ++si) {
    SentenceReading& r = read[si];
    if (r.a >= r.b || !r.frame) {
      if (r.a < r.b && !r.dates.empty()) carried_ = r.dates.back();
      if (r.a < r.b && NamesAToll(r))
        if (auto dead = FindFatalities(toks_, r.a, r.b, lex_, r.dates);
            dead || (dead = StatedToll(toks_, r.a, r.b, lex_, r.dates)))
          FillStoryToll(read, si, *dead, &out);
      continue;
    }
    Complete(read, si);
    // A toll told later in the story; an anaphoric frame ("in the fighting")
    // also completes the rest of its event.
    if (r.places.empty() && r.frame->fatalities && FillStoryToll(read, si, *r.frame->fatalities, &out) &&
        !r.frame->anaphoric)
      continue;
    if (r.frame->anaphoric && FillEarlier(r, &out)) continue;
    if (r.places.empty() && r.frame->fatalities && !r.frame->anaphoric) unplaced_toll_ = si;
    if (!r.places.empty()) {
      const size_t before = out.size();
      Emit(r, r.dates, &out);
      if (out.size() == before + 1) TollFromLede(read, si, &out.back());
      if (out.size() > before) {
        last_places_ = r.places, last_emit_si_ = si, last_emit_count_ = out.size() - before;
        toll_sides_ = {TollOf(read, si).side};
      }
    }
    if (!r.dates.empty()) carried_ = r.dates.back();
  }
  // A report that dates its events: drop the ones it does not date (mentions
  // with no month-level date are not events, by the annotation convention).
  if (std::any_of(out.begin(), out.end(), [](const ExtractedEvent& e) { return e.date.has_value(); }))
    out.erase(std::remove_if(out.begin(), out.end(), [](const ExtractedEvent& e) { return !e.date.has_value(); }),
              out.end());
  out = MergeMentions(std::move(out));
  CompleteBattleSides(ctx_, &out);
  return out;
}

}  // namespace

Result<std::vector<ExtractedEvent>> Extract(std::string_view text, const geo::Gazetteer& gaz, const Lexicon& lex,
                                            const ExtractOptions& opt) {
  if (text.size() > (20u << 20)) return core::InvalidArgument("input over 20 MB: split the document");
  if (core::LooksBinary(text.substr(0, 4096))) return core::ParseError("input looks binary, not text");
  if (!core::IsValidUtf8(text)) return core::ParseError("input is not valid UTF-8 (convert it, e.g. iconv -t UTF-8)");
  return DocumentReader(text, gaz, lex, opt).Run();
}

core::Json ToJson(const ExtractedEvent& e) {
  using core::Json;
  auto opt = [](const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); };
  auto str = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  std::string date;
  if (e.date) date = e.date_precision == "month" ? e.date->ToIso().substr(0, 7) : e.date->ToIso();
  return Json{{"doc", e.doc},
              {"date", str(date)},
              {"date_precision", e.date_precision},
              {"location", e.location},
              {"admin1", str(e.admin1)},
              {"country", str(e.country)},
              {"event_type", e.event_type},
              {"sub_event_type", e.sub_event_type},
              {"tags", e.tags},
              {"actor1", str(e.actor1)},
              {"actor2", str(e.actor2)},
              {"target", str(e.target)},
              {"fatalities", opt(e.fatalities)},
              {"hostages", opt(e.hostages)},
              {"evidence", e.evidence},
              {"latitude", e.located ? Json(e.latitude) : Json(nullptr)},
              {"longitude", e.located ? Json(e.longitude) : Json(nullptr)},
              {"geonameid", e.located ? Json(e.geonameid) : Json(nullptr)},
              {"place_known", e.located},
              {"admin2", str(e.admin2)},
              {"confidence", e.confidence},
              {"evidence_span", {e.evidence_start, e.evidence_end}}};
}

}  // namespace vigil::text

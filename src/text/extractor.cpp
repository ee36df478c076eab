#include "text/extractor.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <set>
#include <unordered_map>

#include "core/strings.h"
#include "geo/normalize.h"
#include "text/lexicon.h"

namespace vigil::text {

using core::Date;
using core::Result;

namespace {

struct Token {
  size_t begin = 0, end = 0;  // byte offsets
  std::string text, folded;
  bool capitalised = false, number = false, punct = false;
};

bool IsWordByte(unsigned char c) { return std::isalnum(c) || c >= 0x80 || c == '\'' || c == '-'; }

// Length in bytes of an elided French article or pronoun at the start of a
// word (l', d', j', n', s', c', m', t', qu', with ' or U+2019), else 0.
size_t ElisionLength(const std::string& w) {
  size_t p = 0;
  if (w.size() > 2 && (w[0] == 'q' || w[0] == 'Q') && (w[1] == 'u' || w[1] == 'U'))
    p = 2;
  else if (!w.empty() && std::strchr("lLdDjJnNsScCmMtT", w[0]) != nullptr)
    p = 1;
  else
    return 0;
  if (w.compare(p, 1, "'") == 0) return p + 1 < w.size() ? p + 1 : 0;
  if (w.compare(p, 3, "\xE2\x80\x99") == 0) return p + 3 < w.size() ? p + 3 : 0;
  return 0;
}

std::vector<Token> Tokenise(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isspace(c)) {
      ++i;
      continue;
    }
    Token t;
    t.begin = i;
    const bool dash = s.compare(i, 3, "\xE2\x80\x94") == 0 || s.compare(i, 3, "\xE2\x80\x93") == 0;
    if (IsWordByte(c) && c != '\'' && c != '-' && !dash) {
      while (i < s.size() && IsWordByte(static_cast<unsigned char>(s[i]))) {
        // Stop at a curly apostrophe's possessive ("Mali’s") or a dash run.
        if (s.compare(i, 3, "\xE2\x80\x94") == 0 || s.compare(i, 3, "\xE2\x80\x93") == 0) break;
        ++i;
      }
    } else {
      i += c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      t.punct = true;
    }
    t.end = std::min(i, s.size());
    t.text = std::string(s.substr(t.begin, t.end - t.begin));
    // Strip possessives and trailing hyphens.
    for (std::string_view suf : {"\xE2\x80\x99s", "'s"})
      if (t.text.size() > suf.size() && t.text.compare(t.text.size() - suf.size(), suf.size(), suf) == 0) {
        t.text.resize(t.text.size() - suf.size());
        t.end -= suf.size();
      }
    while (!t.text.empty() && (t.text.back() == '-' || t.text.back() == '\'')) t.text.pop_back(), --t.end;
    if (t.text.empty()) {
      i = std::max(i, t.begin + 1);
      continue;
    }
    t.folded = geo::FoldName(t.text);
    const unsigned char f = static_cast<unsigned char>(t.text[0]);
    t.capitalised = std::isupper(f) || (f >= 0xC3 && t.text.size() > 1 && geo::FoldName(t.text) != t.text &&
                                        std::string(t.text) != core::AsciiLower(t.text) && !std::islower(f));
    t.number =
        std::all_of(t.text.begin(), t.text.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
    // French elision: "d'Inates", "l'attaque", "qu'elle" are two words.
    const size_t cut = ElisionLength(t.text);
    if (cut > 0 && cut < t.text.size()) {
      Token head = t;
      head.end = t.begin + cut;
      head.text = t.text.substr(0, cut);
      head.folded = geo::FoldName(head.text);
      head.capitalised = false;
      head.number = false;
      t.begin += cut;
      t.text.erase(0, cut);
      t.folded = geo::FoldName(t.text);
      const unsigned char f2 = static_cast<unsigned char>(t.text[0]);
      t.capitalised = std::isupper(f2) ||
                      (f2 >= 0xC3 && t.text.size() > 1 && !std::islower(f2) && t.text != core::AsciiLower(t.text));
      out.push_back(std::move(head));
    }
    out.push_back(std::move(t));
  }
  return out;
}

// Sentences as token ranges: split after . ! ? ; before an upper-case word,
// and at blank lines / line starts with bullets.
// See the call site: a definite nominal trigger that refers back to an
// event told elsewhere.
bool IsBackReference(const std::vector<Token>& toks, size_t a, size_t b, size_t trig, bool own_date) {
  static const std::set<std::string> kDeterminers = {"the", "this", "these", "those", "such", "le",
                                                     "la",  "les",  "cette", "ces",   "ce"};
  static const std::set<std::string> kPrepositions = {"to",      "of",    "after",  "before", "since", "following",
                                                      "despite", "from",  "about",  "over",   "amid",  "depuis",
                                                      "apres",   "avant", "malgre", "suite"};
  static const std::set<std::string> kCommentVerbs = {
      "reverberate",  "reverberates", "reveal",      "reveals",    "revealed",  "compounds",   "compound",
      "underscores",  "underscore",   "underscored", "highlights", "highlight", "illustrates", "illustrate",
      "demonstrates", "demonstrate",  "suggests",    "suggest",    "signals",   "signal",      "focuses",
      "reflects",     "reflect",      "reinforces",  "shows",      "marks",     "represents",  "exposes",
      "souligne",     "soulignent",   "illustre",    "illustrent", "revele",    "revelent",    "montre",
      "montrent",     "temoigne",     "temoignent",  "marque",     "reflete"};
  // A determiner up to three tokens before the trigger ("the July 1 attacks").
  size_t det = b;
  for (size_t k = trig; k > a && trig - k < 4; --k) {
    const std::string& f = toks[k - 1].folded;
    if (kDeterminers.count(f)) {
      det = k - 1;
      break;
    }
    if (!(toks[k - 1].number || MonthNumber(f) > 0)) break;  // only dates may sit between
  }
  if (det == b) return false;
  for (size_t i = a; i < b; ++i)
    if (kCommentVerbs.count(toks[i].folded)) return true;
  return !own_date && det > a && kPrepositions.count(toks[det - 1].folded) > 0;
}

std::vector<std::pair<size_t, size_t>> Sentences(std::string_view s, const std::vector<Token>& toks) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t start = 0;
  bool bullet = false;  // a bulleted line is one unit: its place and its facts stay together
  for (size_t i = 0; i < toks.size(); ++i) {
    if (i == start) bullet = toks[i].text == "\xE2\x80\xA2" || toks[i].text == "-" || toks[i].text == "*";
    bool split = false;
    if (i + 1 < toks.size()) {
      const auto gap = s.substr(toks[i].end, toks[i + 1].begin - toks[i].end);
      if (gap.find('\n') != std::string_view::npos) split = true;
      if (!bullet && (toks[i].text == "." || toks[i].text == "!" || toks[i].text == "?") && toks[i + 1].capitalised)
        split = true;
    } else {
      split = true;
    }
    if (split) {
      out.emplace_back(start, i + 1);
      start = i + 1;
    }
  }
  return out;
}

struct DateMention {
  size_t token = 0;  // where it starts
  Date date;
  std::string precision;  // day, month
};

// Dates in tokens [a, b): "July 1, 2025", "1 July 2025", "1er juillet",
// "June 1 and 5", "January 6-7", "la nuit du 6 au 7 janvier", "19 August",
// "September 2025". Missing years come from `year` (0: unknown -> skipped).
int WeekdayOf(std::string_view w) {  // 0 = Sunday; -1 if not a weekday
  static const std::pair<std::string_view, int> kDays[] = {
      {"sunday", 0},   {"monday", 1},   {"tuesday", 2},  {"wednesday", 3}, {"thursday", 4},
      {"friday", 5},   {"saturday", 6}, {"dimanche", 0}, {"lundi", 1},     {"mardi", 2},
      {"mercredi", 3}, {"jeudi", 4},    {"vendredi", 5}, {"samedi", 6}};
  for (const auto& [name, d] : kDays)
    if (w == name) return d;
  return -1;
}

// Relative dates against the document's date: "on Sunday" / "dimanche" (the
// latest such day on or before it), "yesterday" / "hier", "today" /
// "aujourd'hui", "last week" / "la semaine derniere" (month precision, as
// the annotation convention has it).
void FindRelativeDates(const std::vector<Token>& t, size_t a, size_t b, const Date& ref,
                       std::vector<DateMention>* out) {
  for (size_t i = a; i < b; ++i) {
    const std::string& f = t[i].folded;
    const int wd = WeekdayOf(f);
    if (wd >= 0) {
      const int ref_wd = ((ref.days() % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday
      out->push_back({i, ref - ((ref_wd - wd + 7) % 7), "day"});
    } else if (f == "yesterday" || f == "hier") {
      out->push_back({i, ref - 1, "day"});
    } else if (f == "today" || f == "aujourdhui") {  // folding drops the apostrophe of aujourd'hui
      out->push_back({i, ref, "day"});
    } else if ((f == "last" && i + 1 < b && t[i + 1].folded == "week") ||
               (f == "semaine" && i + 1 < b && t[i + 1].folded == "derniere")) {
      auto m = Date::FromYmd((ref - 7).year(), (ref - 7).month(), 1);
      if (m.ok()) out->push_back({i, *m, "month"});
    }
  }
}

std::vector<DateMention> FindDates(const std::vector<Token>& t, size_t a, size_t b, int year) {
  std::vector<DateMention> out;
  auto num = [&](size_t i, int lo, int hi) -> int {
    if (i >= b) return 0;
    std::string w = t[i].folded;
    if (w.size() > 2 &&
        (w.substr(w.size() - 2) == "er" || w.substr(w.size() - 2) == "st" || w.substr(w.size() - 2) == "nd" ||
         w.substr(w.size() - 2) == "rd" || w.substr(w.size() - 2) == "th"))
      w = w.substr(0, w.size() - 2);
    int64_t v = 0;
    if (!core::ParseInt64(w, &v) || v < lo || v > hi) return 0;
    return static_cast<int>(v);
  };
  auto year_at = [&](size_t i) { return num(i, 1990, 2035); };
  auto add = [&](size_t at, int y, int m, int d) {
    if (y == 0) return;
    if (d == 0) {
      auto dt = Date::FromYmd(y, m, 1);
      if (dt.ok()) out.push_back({at, *dt, "month"});
      return;
    }
    auto dt = Date::FromYmd(y, m, d);
    if (dt.ok()) out.push_back({at, *dt, "day"});
  };
  for (size_t i = a; i < b; ++i) {
    const int m = MonthNumber(t[i].folded);
    if (!m || (!t[i].capitalised && t[i].folded == "may")) continue;
    // Month first: "July 1, 2025", "June 1 and 5", "January 6-7", "July 2025".
    if (int d = num(i + 1, 1, 31)) {
      std::vector<int> days{d};
      size_t j = i + 2;
      while (j + 1 < b && (t[j].folded == "and" || t[j].folded == "et" || t[j].text == "," || t[j].text == "-")) {
        if (int d2 = num(j + 1, 1, 31)) {
          if (t[j].text != "-") days.push_back(d2);
          j += 2;
        } else {
          break;
        }
      }
      // "January 6-7" tokenises as "6-7": handled by num failing; take "6".
      int y = 0;
      if (j < b && t[j].text == ",") y = year_at(j + 1);
      if (!y) y = year_at(j);
      for (int dd : days) add(i, y ? y : year, m, dd);
      continue;
    }
    // Day first: "1 July 2025", "1er juillet", "du 6 au 7 janvier".
    if (i > a) {
      int d = num(i - 1, 1, 31);
      if (!d && i > a && t[i - 1].text.find('-') != std::string::npos) {  // "6-7 January"
        int64_t v = 0;
        if (core::ParseInt64(t[i - 1].text.substr(0, t[i - 1].text.find('-')), &v) && v >= 1 && v <= 31)
          d = static_cast<int>(v);
      }
      if (d) {
        size_t first = i - 1;
        if (i >= 4 && t[i - 2].folded == "au" && num(i - 3, 1, 31) && t[i - 4].folded == "du") {
          d = num(i - 3, 1, 31);
          first = i - 4;
        } else if (i >= a + 3 && (t[i - 2].folded == "to" || t[i - 2].folded == "and") && num(i - 3, 1, 31) &&
                   i >= a + 4 && t[i - 4].folded == "of") {
          // "the night of 4 to 5 June": the first day, as in French.
          d = num(i - 3, 1, 31);
          first = i - 3;
        }
        int y = year_at(i + 1);
        add(first, y ? y : year, m, d);
        continue;
      }
    }
    // Month and year: "September 2025", "juillet 2025".
    if (int y = year_at(i + 1)) add(i, y, m, 0);
  }
  // Month-first with a hyphenated range: "January 6-7".
  for (size_t i = a; i + 1 < b; ++i) {
    const int m = MonthNumber(t[i].folded);
    if (!m || t[i + 1].text.find('-') == std::string::npos) continue;
    int64_t v = 0;
    if (core::ParseInt64(t[i + 1].text.substr(0, t[i + 1].text.find('-')), &v) && v >= 1 && v <= 31) {
      int y = i + 2 < b && t[i + 2].text == "," ? year_at(i + 3) : 0;
      add(i, y ? y : year, m, static_cast<int>(v));
    }
  }
  // Numeric dates: ISO "2025-04-03" (one token) and day first "12/02/2020"
  // (French and British order; tokens 12 / 02 / 2020).
  for (size_t i = a; i < b; ++i) {
    const std::string& w = t[i].text;
    if (w.size() == 10 && w[4] == '-' && w[7] == '-') {
      auto dt = Date::Parse(w);
      if (dt.ok()) out.push_back({i, *dt, "day"});
      continue;
    }
    if (i + 4 < b && t[i + 1].text == "/" && t[i + 3].text == "/") {
      const int d = num(i, 1, 31), m = num(i + 2, 1, 12), y = year_at(i + 4);
      if (d && m && y) add(i, y, m, d);
    }
  }
  std::sort(out.begin(), out.end(), [](const DateMention& x, const DateMention& y) { return x.token < y.token; });
  return out;
}

// The document's year: the latest plausible year written in it (reports
// name older years as background; their own year is the newest).
int DocumentYear(const std::vector<Token>& t, const ExtractOptions& opt) {
  if (opt.doc_date) return opt.doc_date->year();
  int best = 0;
  for (const auto& tok : t) {
    int64_t v = 0;
    if (tok.number && tok.text.size() == 4 && core::ParseInt64(tok.text, &v) && v >= 1990 && v <= 2035)
      best = std::max(best, static_cast<int>(v));
  }
  return best;
}

struct PlaceMention {
  size_t token = 0, tokens = 1;
  const geo::Place* place = nullptr;
  std::string name;  // as written
};

bool IsConnector(const std::string& f) {
  return f == "du" || f == "de" || f == "el" || f == "al" || f == "ag" || f == "n";
}

using GeocodeCache = std::unordered_map<std::string, std::vector<geo::Candidate>>;

bool IsAboutAnotherCountry(const std::vector<Token>& toks, size_t a, size_t b) {
  static const std::set<std::string> kOther = {
      "congo",       "drc",      "rdc",      "ituri",      "nigeria",  "nigerian", "chad",    "tchad",
      "chadian",     "cameroon", "cameroun", "libya",      "libye",    "algeria",  "algerie", "mauritania",
      "mauritanie",  "senegal",  "guinea",   "guinee",     "ghana",    "togo",     "benin",   "sudan",
      "soudan",      "somalia",  "somalie",  "mozambique", "syria",    "syrie",    "iraq",    "irak",
      "afghanistan", "kenya",    "uganda",   "ouganda",    "ethiopia", "ethiopie"};
  static const std::set<std::string> kSahel = {"mali",      "malian", "malien",   "maliens",    "malienne",  "burkina",
                                               "burkinabe", "niger",  "nigerien", "nigerienne", "nigeriens", "sahel"};
  bool other = false;
  for (size_t i = a; i < b; ++i) {
    if (kSahel.count(toks[i].folded)) return false;
    other |= kOther.count(toks[i].folded) > 0;
  }
  return other;
}

// Words after which a capitalised word is most likely a place.
bool IsLocativeCue(const std::string& f) {
  static const std::set<std::string> kCues = {"in", "at",   "near",    "of",   "from",     "around", "a",     "de",
                                              "d",  "pres", "village", "town", "localite", "vers",   "entre", "et"};
  return kCues.count(f) > 0;
}

std::vector<PlaceMention> FindPlaces(const std::vector<Token>& t, size_t a, size_t b, const geo::Gazetteer& gaz,
                                     const std::vector<std::string>& regions, const std::vector<bool>& actor_token,
                                     const std::string& country, GeocodeCache* cache) {
  std::vector<PlaceMention> out;
  // Regions this very sentence names ("…, dans la région de Mopti"): a place
  // outside all of them is a namesake elsewhere, not the place meant.
  std::vector<std::string> here;
  for (const auto& r : regions) {
    const std::string fr = geo::FoldName(r);
    for (size_t i = a; i < b; ++i)
      if (t[i].folded == fr) {
        here.push_back(fr);
        break;
      }
  }
  for (size_t i = a; i < b;) {
    if (!t[i].capitalised || t[i].punct || t[i].number || actor_token[i]) {
      ++i;
      continue;
    }
    bool found = false;
    for (size_t n = std::min<size_t>(4, b - i); n >= 1 && !found; --n) {
      if (!t[i + n - 1].capitalised) continue;
      std::string name;
      bool ok = true;
      for (size_t k = 0; k < n; ++k) {
        if (k > 0 && !t[i + k].capitalised && !IsConnector(t[i + k].folded)) {
          ok = false;
          break;
        }
        if (t[i + k].punct && t[i + k].text != "-") {
          ok = false;
          break;
        }
        name += (k ? " " : "") + t[i + k].text;
      }
      if (!ok) continue;
      const std::string folded = geo::FoldName(name);
      if (n == 1 && (IsNonPlaceWord(folded) || folded.size() < 3)) continue;
      auto cached = cache->find(folded);
      if (cached == cache->end()) {
        geo::GeocodeOptions go;
        go.fuzzy = false;
        go.limit = 5;
        cached = cache->emplace(folded, gaz.Geocode(name, go)).first;
      }
      // Misspellings ("Inates" for Inatess, "Ogossagou" for Ogossogou): one
      // edit away, for a single capitalised word of 6+ letters right after a
      // locative word, when nothing matches exactly.
      if (cached->second.empty() && n == 1 && folded.size() >= 6 && i > a && IsLocativeCue(t[i - 1].folded)) {
        const std::string key = "~" + folded;
        auto fz = cache->find(key);
        if (fz == cache->end()) {
          geo::GeocodeOptions go;
          go.fuzzy = true;
          go.limit = 5;
          std::vector<geo::Candidate> keep;
          for (auto& c : gaz.Geocode(name, go))
            if (c.match == geo::MatchKind::kFuzzy && c.place->feature_class == 'P' &&
                geo::EditDistance(c.matched_name, folded, 2) <= 1)
              keep.push_back(std::move(c));
          fz = cache->emplace(key, std::move(keep)).first;
        }
        cached = fz;
      }
      const auto& best = cached->second;
      // Prefer a candidate in a region the document names.
      const geo::Place* pick = nullptr;
      int pick_rank = -1;
      for (const auto& c : best) {
        const auto* p = c.place;
        if (p->feature_class != 'P' && p->feature_class != 'A' && !p->from_aliases) continue;
        if (p->feature_code.rfind("PCL", 0) == 0 || p->feature_code == "ADM1") continue;  // countries, regions
        int rank = p->country_code == country ? 1 : 0;
        for (const auto& r : regions)
          if (geo::FoldName(p->admin1) == geo::FoldName(r)) rank += 2;
        if (rank > pick_rank) pick = p, pick_rank = rank;
      }
      if (!pick) continue;
      // Only a namesake in another country is ruled out: a sentence may list
      // towns of several regions of one country.
      if (!here.empty() && pick->country_code != country &&
          std::none_of(here.begin(), here.end(),
                       [&](const std::string& r) { return geo::FoldName(pick->admin1) == r; })) {
        i += n;  // the sentence's region rules it out
        found = true;
        break;
      }
      // A region name ("Kayes region") is a region, not its capital, unless
      // nothing else is meant; keep it but mark it by name.
      out.push_back({i, n, pick, name});
      i += n;
      found = true;
    }
    if (!found) ++i;
  }
  return out;
}

// Dictionary phrases split into words once and indexed by their first word.
template <typename Entry>
class PhraseIndex {
 public:
  PhraseIndex(const std::vector<Entry>& entries, std::string_view Entry::*phrase) {
    for (const auto& e : entries) {
      std::vector<std::string> words;
      for (auto w : core::Split(e.*phrase, ' ')) words.emplace_back(w);
      by_first_[words.front()].push_back({&e, std::move(words)});
    }
  }
  // Calls fn(entry, length) for every phrase starting at token i.
  template <typename Fn>
  void Match(const std::vector<Token>& t, size_t i, size_t b, Fn&& fn) const {
    auto it = by_first_.find(t[i].folded);
    if (it == by_first_.end()) return;
    for (const auto& [e, words] : it->second) {
      if (i + words.size() > b) continue;
      bool ok = true;
      for (size_t k = 1; k < words.size() && ok; ++k) ok = t[i + k].folded == words[k];
      if (ok) fn(*e, words.size());
    }
  }

 private:
  std::unordered_map<std::string, std::vector<std::pair<const Entry*, std::vector<std::string>>>> by_first_;
};

const PhraseIndex<ActorEntry>& ActorIndex() {
  static const PhraseIndex<ActorEntry> kIndex(Actors(), &ActorEntry::alias);
  return kIndex;
}
const PhraseIndex<TriggerEntry>& TriggerIndex() {
  static const PhraseIndex<TriggerEntry> kIndex(Triggers(), &TriggerEntry::phrase);
  return kIndex;
}

int64_t CodePoints(std::string_view s, size_t bytes) {
  int64_t n = 0;
  for (size_t i = 0; i < bytes && i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  return n;
}

// Byte offset -> code point offset, for offsets that only move forward
// (sentences are visited in order), so the whole text is counted once.
class CodePointCursor {
 public:
  explicit CodePointCursor(std::string_view s) : s_(s) {}
  int64_t At(size_t bytes) {
    if (bytes < byte_) {
      byte_ = 0;
      cp_ = 0;
    }
    cp_ += CodePoints(s_.substr(byte_), bytes - byte_);
    byte_ = bytes;
    return cp_;
  }

 private:
  std::string_view s_;
  size_t byte_ = 0;
  int64_t cp_ = 0;
};

}  // namespace

Result<std::vector<ExtractedEvent>> Extract(std::string_view text, const geo::Gazetteer& gaz,
                                            const ExtractOptions& opt) {
  if (text.size() > (20u << 20)) return core::InvalidArgument("input over 20 MB: split the document");
  if (core::LooksBinary(text.substr(0, 4096))) return core::ParseError("input looks binary, not text");
  if (!core::IsValidUtf8(text)) return core::ParseError("input is not valid UTF-8 (convert it, e.g. iconv -t UTF-8)");
  const auto toks = Tokenise(text);
  const int year = DocumentYear(toks, opt);
  // Regions the document names, to disambiguate places.
  std::vector<std::string> regions;
  for (size_t i = 0; i < toks.size(); ++i) {
    if (!toks[i].capitalised) continue;
    const bool cue = (i + 1 < toks.size() && (toks[i + 1].folded == "region" || toks[i + 1].folded == "regions")) ||
                     (i + 3 < toks.size() && (toks[i + 1].folded == "and" || toks[i + 1].folded == "et") &&
                      (toks[i + 3].folded == "regions" || toks[i + 3].folded == "region")) ||
                     (i >= 2 && (toks[i - 1].folded == "de" || toks[i - 1].folded == "of") &&
                      (toks[i - 2].folded == "region" || toks[i - 2].folded == "cercle"));
    if (!cue) continue;
    std::string canon = gaz.CanonicalAdmin1(toks[i].text);
    if (!canon.empty() && std::find(regions.begin(), regions.end(), canon) == regions.end()) regions.push_back(canon);
  }
  // The document's main non-state actor.
  std::map<std::string, int> actor_counts;
  auto actors_in = [&](size_t a, size_t b) {
    std::vector<std::pair<size_t, const ActorEntry*>> found;
    for (size_t i = a; i < b; ++i)
      ActorIndex().Match(toks, i, b, [&](const ActorEntry& e, size_t) { found.emplace_back(i, &e); });
    return found;
  };
  // Tokens naming context rather than the incident's place: region lists
  // ("Koulikoro, Segou, and Sikasso regions", "region of Agadez"), communes
  // and cercles ("commune of Aderbissinat"), and roads ("Bamako-Kayes road").
  std::vector<bool> context_token(toks.size(), false);
  for (size_t i = 0; i < toks.size(); ++i) {
    const std::string& f = toks[i].folded;
    if (f == "region" || f == "regions" || f == "road" || f == "corridor" || f == "axis" || f == "highway" ||
        f == "axe" || f == "route" || f == "province") {
      for (size_t k = i; k-- > 0;) {
        const std::string& g = toks[k].folded;
        if (toks[k].capitalised || toks[k].text == "," || g == "and" || g == "et" || toks[k].text == "-" ||
            toks[k].text == "\xE2\x80\x93" || toks[k].text == "\xE2\x80\x94" || IsConnector(g))
          context_token[k] = true;
        else
          break;
      }
    }
    if ((f == "region" || f == "commune" || f == "cercle" || f == "province") && i + 2 < toks.size() &&
        (toks[i + 1].folded == "of" || toks[i + 1].folded == "de" || toks[i + 1].folded == "du")) {
      for (size_t k = i + 2; k < toks.size() && k < i + 6 && (toks[k].capitalised || IsConnector(toks[k].folded)); ++k)
        context_token[k] = true;
    }
  }
  std::vector<bool> actor_token(toks.size(), false);
  for (const auto& [i, e] : actors_in(0, toks.size())) {
    if (!e->state) ++actor_counts[std::string(e->canonical)];
    for (size_t k = 0; k < static_cast<size_t>(std::count(e->alias.begin(), e->alias.end(), ' ')) + 1; ++k)
      actor_token[i + k] = true;
  }
  for (size_t i = 0; i < toks.size(); ++i) actor_token[i] = actor_token[i] || context_token[i];
  // The country the document is mostly about (its places win ties).
  std::string country = "ML";
  {
    std::map<std::string, int> mentions;
    for (const auto& tok : toks) {
      if (tok.folded == "mali" || tok.folded == "malian") ++mentions["ML"];
      if (tok.folded == "niger" || tok.folded == "nigerien") ++mentions["NE"];
      if (tok.folded == "burkina" || tok.folded == "burkinabe") ++mentions["BF"];
    }
    int best = 0;
    for (const auto& [c, n] : mentions)
      if (n > best) country = c, best = n;
  }
  std::string main_actor;
  int main_n = 0;
  for (const auto& [a, n] : actor_counts)
    if (n > main_n) main_actor = a, main_n = n;

  std::vector<ExtractedEvent> out;
  std::optional<DateMention> carried;
  GeocodeCache geocode_cache;
  CodePointCursor cursor(text);
  const auto sentences = Sentences(text, toks);
  // The header: short lines before the first long sentence (title, byline,
  // dateline). Its dates are the document's date, not an event's.
  size_t header_end = 0;
  while (header_end < sentences.size() && header_end < 8 &&
         sentences[header_end].second - sentences[header_end].first < 12 &&
         toks[sentences[header_end].second - 1].text != ".")
    ++header_end;
  if (header_end == sentences.size()) header_end = 0;  // all short lines: no header
  // The document's date: --doc-date, else the first full date in the header
  // (a dateline such as "8 juli 2025 20:51").
  std::optional<Date> doc_date = opt.doc_date;
  for (size_t si = 0; si < header_end && !doc_date; ++si)
    for (const auto& d : FindDates(toks, sentences[si].first, sentences[si].second, 0))
      if (d.precision == "day") {
        doc_date = d.date;
        break;
      }
  for (size_t si = 0; si < sentences.size(); ++si) {
    auto [a, b] = sentences[si];
    // An inline dateline opens a paragraph: "BAMAKO, 3 July 2025 (Reuters)
    // - ...", "Kayes, le 2 juillet 2025 — ...". A capitalised start, a day
    // date and no trigger before a dash within the first 14 tokens: the
    // document's place and date, not an event's.
    for (size_t d = a + 2; d < std::min(b, a + 14); ++d) {
      // The tokeniser drops a lone dash: look for it between tokens.
      const std::string_view gap = text.substr(toks[d - 1].end, toks[d].begin - toks[d - 1].end);
      const std::string_view tok = text.substr(toks[d].begin, toks[d].end - toks[d].begin);
      const bool dash = gap.find('-') != std::string_view::npos || tok == "\u2013" || tok == "\u2014";
      if (!dash) continue;
      // The text resumes after the dash (a token of its own when it is an en
      // or em dash; dropped by the tokeniser when it is a hyphen).
      const size_t resume = (tok == "\u2013" || tok == "\u2014") ? d + 1 : d;
      if (toks[a].text.empty() || !std::isupper(static_cast<unsigned char>(toks[a].text[0]))) break;
      const auto pre = FindDates(toks, a, d, year);
      bool trigger = false;
      for (size_t i = a; i < d && !trigger; ++i)
        TriggerIndex().Match(toks, i, d, [&](const TriggerEntry&, size_t) { trigger = true; });
      if (pre.empty() || pre.front().precision != "day" || trigger) break;
      if (!doc_date) doc_date = pre.front().date;
      a = resume;
      break;
    }
    if (a >= b) continue;
    auto dates = FindDates(toks, a, b, year);
    if (doc_date && si >= header_end) {
      FindRelativeDates(toks, a, b, *doc_date, &dates);
      std::sort(dates.begin(), dates.end(),
                [](const DateMention& x, const DateMention& y) { return x.token < y.token; });
    }
    // A line that is little more than a date is a dateline ("Oct 12",
    // "8 juli 2025 20:51"): the document's date, not an event's.
    bool dateline = !dates.empty() && b - a <= 7;
    for (size_t i = a; i < b && dateline; ++i)
      TriggerIndex().Match(toks, i, b, [&](const TriggerEntry&, size_t) { dateline = false; });
    if (dateline && !doc_date && dates.front().precision == "day") doc_date = dates.front().date;
    if (si < header_end || dateline) dates.clear();
    // Trigger of highest priority.
    const TriggerEntry* trig = nullptr;
    size_t trig_at = a;
    for (size_t i = a; i < b; ++i)
      TriggerIndex().Match(toks, i, b, [&](const TriggerEntry& tr, size_t) {
        if (!trig || tr.priority > trig->priority) trig = &tr, trig_at = i;
      });
    // Back-references are not new events. The trigger is a noun with a
    // definite determiner ("the attack", "the July 1 attacks", "the
    // withdrawal") and either the sentence comments on it ("... reverberate
    // through Mali", "... reveal JNIM's strategy") or it sits in a phrase
    // with no date of its own ("in the days leading up to the attack", "the
    // picture of the withdrawal").
    if (trig && IsBackReference(toks, a, b, trig_at, !dates.empty())) trig = nullptr;
    // A sentence about a country outside the gazetteer's three ("a town in
    // the Ituri province of the DRC", "Boko Haram attacked Baga, Nigeria")
    // that does not name Mali, Burkina Faso or Niger: its places are not
    // the Sahel places that share their names.
    if (trig && IsAboutAnotherCountry(toks, a, b)) trig = nullptr;
    const auto places =
        trig ? FindPlaces(toks, a, b, gaz, regions, actor_token, country, &geocode_cache) : std::vector<PlaceMention>{};
    if (!trig || places.empty()) {
      if (!dates.empty()) carried = dates.back();
      continue;
    }
    const auto actors = actors_in(a, b);
    std::string actor1, actor2;
    for (const auto& [i, e] : actors)
      if (!e->state && actor1.empty()) actor1 = e->canonical;
    for (const auto& [i, e] : actors)
      if (e->state && actor2.empty() && e->canonical != actor1) actor2 = e->canonical;
    if (actor1.empty()) actor1 = !main_actor.empty() ? main_actor : "Unidentified armed group";
    std::string etype(trig->event_type), sub(trig->sub_event_type);
    // An attack with no armed opponent named, on civilians: violence against
    // civilians ("gunmen attacked villagers", "des civils tués").
    if (etype == "Battles" && sub == "Armed clash" && actor2.empty()) {
      for (size_t i = a; i < b; ++i) {
        const std::string& f = toks[i].folded;
        if (f == "civilians" || f == "civilian" || f == "villagers" || f == "civils" || f == "villageois" ||
            f == "worshippers" || f == "fideles" || f == "passengers" || f == "passagers" || f == "traders" ||
            f == "commercants" || f == "herders" || f == "farmers" || f == "women" || f == "femmes" ||
            f == "children" || f == "enfants" || f == "residents" || f == "habitants" || f == "village" ||
            f == "villages" || f == "people" || f == "personnes") {
          etype = "Violence against civilians";
          sub = "Attack";
          break;
        }
      }
    }
    if (etype == "Violence against civilians" || sub == "Looting/property destruction") actor2 = "Civilians";
    if (etype == "Strategic developments" && sub == "Other" && std::string(trig->tag) == "territorial_control") {
      // A withdrawal is the state's move.
      for (const auto& [i, e] : actors)
        if (e->state) {
          actor1 = e->canonical;
          break;
        }
      actor2.clear();
    }
    if (sub == "Other" && std::string(trig->tag) == "blockade") actor2.clear();
    // Air and drone strikes are mostly the state's: a named state force
    // strikes, the armed group is struck.
    if (sub == "Air/drone strike") {
      for (const auto& [i, e] : actors)
        if (e->state) {
          std::string group;
          for (const auto& [j, g] : actors)
            if (!g->state) {
              group = g->canonical;
              break;
            }
          actor1 = e->canonical;
          actor2 = group;
          break;
        }
    }
    // Numbers: hostages near an abduction word, fatalities near "killed".
    std::optional<int64_t> hostages, fatalities;
    for (size_t i = a; i < b; ++i) {
      int64_t v = 0;
      if (!core::ParseInt64(toks[i].text, &v)) v = NumberWord(toks[i].folded);
      if (toks[i].folded == "une" && i + 1 < b) continue;
      if (v <= 0 || v > 5000) continue;
      if (toks[i].number && toks[i].text.size() == 4) continue;  // a year
      bool date_part = false;
      for (const auto& d : dates) date_part |= i >= d.token && i <= d.token + 3;
      if (date_part) continue;
      // Verb first: "killing three gendarmes", "tuant trois soldats".
      if (!fatalities)
        for (size_t k = i > a + 3 ? i - 3 : a; k < i; ++k) {
          const std::string& f = toks[k].folded;
          if (f == "killing" || f == "tuant" || f == "killed" || f == "tue" || f == "tuerent") fatalities = v;
        }
      // Verb first: "kidnapped four workers", "ont enlevé trois employés".
      if (sub == "Abduction/forced disappearance" && !hostages)
        for (size_t k = i > a + 4 ? i - 4 : a; k < i; ++k) {
          const std::string& f = toks[k].folded;
          if (f == "kidnapped" || f == "abducted" || f == "seized" || f == "enleve" || f == "enleves" ||
              f == "kidnapping" || f == "abduction" || f == "seizure")
            hostages = v;
        }
      for (size_t k = i + 1; k < std::min(b, i + 8); ++k) {
        const std::string& f = toks[k].folded;
        if (sub == "Abduction/forced disappearance" &&
            (f == "kidnapped" || f == "abducted" || f == "hostages" || f == "enleves" || f == "otages")) {
          if (!hostages) hostages = v;
          break;
        }
        if (f == "killed" || f == "dead" || f == "tues" || f == "morts") {
          if (!fatalities) fatalities = v;
          break;
        }
      }
    }
    // The target: the first thing hit named after the trigger, else before.
    std::string target;
    {
      auto find_from = [&](size_t lo, size_t hi) -> std::string {
        for (size_t i = lo; i < hi; ++i) {
          const std::string two = i + 1 < hi ? toks[i].folded + " " + toks[i + 1].folded : std::string();
          for (const auto& t : Targets())
            if (t.phrase.find(' ') != std::string_view::npos && t.phrase == two) return std::string(t.target);
          for (const auto& t : Targets())
            if (t.phrase.find(' ') == std::string_view::npos && t.phrase == toks[i].folded)
              return std::string(t.target);
        }
        return {};
      };
      target = find_from(trig_at, b);
      if (target.empty()) target = find_from(a, trig_at);
    }
    bool names_mali = false;
    for (size_t i = a; i < b; ++i)
      names_mali |= toks[i].folded == "fama" || toks[i].folded == "malian" || toks[i].folded == "malien" ||
                    toks[i].folded == "maliens" || toks[i].folded == "mali";
    // Tags.
    std::set<std::string> tags;
    if (!trig->tag.empty()) tags.insert(std::string(trig->tag));
    for (size_t i = a; i < b; ++i) {
      const std::string& f = toks[i].folded;
      if (sub == "Abduction/forced disappearance" &&
          (f == "foreign" || f == "foreigners" || f == "indian" || f == "indians" || f == "chinese" ||
           f == "expatriates" || f == "etrangers"))
        tags.insert("kidnapping_foreigners");
      if (f == "factory" || f == "cement" || f == "plant" || f == "mine" || f == "mining" || f == "usine" ||
          f == "facility" || f == "machinery")
        tags.insert("economic_target");
      if (f == "convoy" || f == "convoys" || f == "convoi") tags.insert("convoy");
    }
    if (etype == "Battles" && actor2.rfind("Military Forces", 0) == 0) tags.insert("military_target");
    // One event per place; each place takes the dates written just before it
    // in the sentence, else the sentence's first date, else the carried one.
    size_t prev_end = a;
    std::set<int64_t> seen_places;
    for (const auto& pm : places) {
      std::vector<DateMention> own;
      for (const auto& d : dates)
        if (d.token >= prev_end && d.token < pm.token) own.push_back(d);
      prev_end = pm.token + pm.tokens;
      if (own.empty() && !dates.empty()) own.push_back(dates.front());
      if (own.empty() && carried) own.push_back(*carried);
      if (own.empty()) own.push_back({0, Date(), "unknown"});
      if (!seen_places.insert(pm.place->id).second) continue;
      // A destination is not where the event happened ("operations further
      // south towards Bamako", "marching on Bamako", "en direction de Kayes").
      if (pm.token > a) {
        const std::string& p1 = toks[pm.token - 1].folded;
        const std::string p2 = pm.token > a + 1 ? toks[pm.token - 2].folded : std::string();
        if (p1 == "towards" || p1 == "toward" || p1 == "vers" || (p1 == "de" && p2 == "direction") ||
            (p1 == "on" && (p2 == "marching" || p2 == "march" || p2 == "advance" || p2 == "advancing")))
          continue;
      }
      for (const auto& d : own) {
        ExtractedEvent e;
        e.doc = opt.doc;
        if (d.precision != "unknown") e.date = d.date;
        e.date_precision = d.precision;
        e.location = pm.name;
        e.latitude = pm.place->lat;
        e.longitude = pm.place->lon;
        e.geonameid = pm.place->id;
        e.admin1 = pm.place->admin1;
        e.admin2 = pm.place->admin2;
        e.country = geo::CountryName(pm.place->country_code);
        e.event_type = etype;
        e.sub_event_type = sub;
        e.tags.assign(tags.begin(), tags.end());
        e.actor1 = actor1;
        e.actor2 = actor2;
        e.target = target;
        // "the army", "soldiers" default to Mali's; an event in Niger or
        // Burkina Faso that never names Mali's forces is about that
        // country's army.
        if (e.country != "Mali" && !names_mali)
          for (std::string* actor : {&e.actor1, &e.actor2})
            if (*actor == "Military Forces of Mali") *actor = "Military Forces of " + e.country;
        e.fatalities = fatalities;
        e.hostages = hostages;
        const size_t sb = toks[a].begin, se = toks[b - 1].end;
        e.evidence = std::string(core::TruncateUtf8(text.substr(sb, se - sb), 300));
        e.evidence_start = cursor.At(sb);
        e.evidence_end = e.evidence_start + CodePoints(e.evidence, e.evidence.size());
        e.confidence = (d.precision == "day" ? 0.4 : 0.2) + (trig->priority >= 4 ? 0.3 : 0.15) +
                       (pm.place->feature_class == 'P' ? 0.2 : 0.1);
        out.push_back(std::move(e));
      }
    }
    if (!dates.empty()) carried = dates.back();
  }
  // A report that dates its events: drop the ones it does not date (mentions
  // with no month-level date are not events, by the annotation convention).
  const bool any_dated =
      std::any_of(out.begin(), out.end(), [](const ExtractedEvent& e) { return e.date.has_value(); });
  if (any_dated)
    out.erase(std::remove_if(out.begin(), out.end(), [](const ExtractedEvent& e) { return !e.date.has_value(); }),
              out.end());
  // Merge duplicates: same place, date and type.
  std::vector<ExtractedEvent> merged;
  std::set<std::tuple<int64_t, int32_t, std::string, std::string>> keys;
  for (auto& e : out) {
    auto key = std::make_tuple(e.geonameid, e.date ? e.date->days() : -1, e.event_type, e.sub_event_type);
    if (keys.insert(key).second) merged.push_back(std::move(e));
  }
  return merged;
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
              {"latitude", e.latitude},
              {"longitude", e.longitude},
              {"geonameid", e.geonameid},
              {"admin2", str(e.admin2)},
              {"confidence", e.confidence},
              {"evidence_span", {e.evidence_start, e.evidence_end}}};
}

}  // namespace vigil::text

#include "alert/triage.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include "core/strings.h"
#include "geo/normalize.h"
#include "text/extractor.h"

namespace vigil::alert {

namespace {

// Calls fn(line_number, fields) for each data line of a TSV file.
template <typename Fn>
core::Status ReadTsv(const std::string& path, size_t columns, Fn fn) {
  std::ifstream in(path);
  if (!in) return core::NotFound("cannot read " + path + " (check --data-dir)");
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (core::Trim(line).empty() || line[0] == '#') continue;
    auto f = core::Split(line, '\t');
    if (f.size() != columns)
      return core::ParseError(path + ":" + std::to_string(n) + ": expected " + std::to_string(columns) +
                              " TAB-separated fields");
    if (f[0] != "fr" && f[0] != "en")
      return core::ParseError(path + ":" + std::to_string(n) + ": lang must be fr or en");
    fn(f);
  }
  return core::Status::Ok();
}

std::vector<std::string> FoldedWords(std::string_view s) {
  std::vector<std::string> out;
  for (auto& w : Words(s)) out.push_back(std::move(w.folded));
  return out;
}

bool IsWordByte(unsigned char c) { return c >= 0x80 || std::isalnum(c) || c == '-'; }

bool StartsUpper(const std::string& w) {
  if (w.empty()) return false;
  const auto c = static_cast<unsigned char>(w[0]);
  if (c >= 'A' && c <= 'Z') return true;
  // Latin-1 capitals (À-Þ) in UTF-8.
  return c == 0xC3 && w.size() > 1 && static_cast<unsigned char>(w[1]) >= 0x80 &&
         static_cast<unsigned char>(w[1]) <= 0x9E;
}

bool MatchesAt(const std::vector<Word>& words, size_t i, const std::vector<std::string>& phrase) {
  if (i + phrase.size() > words.size()) return false;
  for (size_t k = 0; k < phrase.size(); ++k)
    if (words[i + k].folded != phrase[k]) return false;
  return true;
}

struct PlaceGuess {
  const geo::Place* place = nullptr;
  double score = -1;
  std::string written;
};

// Names in the text that the gazetteer knows: after a locative word, or
// capitalised; up to three words long.
PlaceGuess PlaceFromWords(const std::vector<Word>& words, const geo::Reference& ref, const TriageLexicon& lex,
                          const std::vector<bool>& in_sign) {
  PlaceGuess best;
  std::vector<bool> after_locative(words.size() + 1, false);
  for (size_t i = 0; i < words.size(); ++i)
    for (const auto& loc : lex.locatives)
      if (MatchesAt(words, i, loc)) after_locative[i + loc.size()] = true;
  geo::GeocodeOptions opt;
  opt.limit = 1;
  opt.fuzzy = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const bool cue = after_locative[i];
    const bool capital = StartsUpper(words[i].original);
    if ((!cue && !capital) || in_sign[i]) continue;
    std::string name;
    for (size_t len = 1; len <= 3 && i + len <= words.size(); ++len) {
      name += (len > 1 ? " " : "") + words[i + len - 1].original;
      if (len > 1 && !StartsUpper(words[i + len - 1].original) && words[i + len - 1].folded != "du" &&
          words[i + len - 1].folded != "de")
        break;
      auto c = ref.gazetteer().Geocode(name, opt);
      if (c.empty() || c[0].place->feature_class != 'P') continue;
      // A cue and a capital letter together are the best evidence; a
      // lower-case word after a cue ("près de diboli") still counts.
      const double score = c[0].score + (cue ? 2.0 : 0.0) + (capital ? 1.5 : 0.0) + 0.5 * static_cast<double>(len);
      if (score > best.score) best = {c[0].place, score, name};
    }
  }
  return best;
}

void SetFromPlace(const geo::Place& p, const geo::Reference& ref, Triage* t) {
  t->location = p.name;
  t->lat = p.lat;
  t->lon = p.lon;
  const geo::AdminInfo a = ref.Reverse(p.lat, p.lon);
  t->admin1 = !a.admin1.empty() ? a.admin1 : p.admin1;
  t->admin2 = !a.admin2.empty() ? a.admin2 : p.admin2;
  t->country = !a.country.empty() ? a.country : geo::CountryName(p.country_code);
}

}  // namespace

core::Result<TriageLexicon> TriageLexicon::Load(const std::string& data_dir) {
  TriageLexicon lex;
  const std::string dir = data_dir + "/lexicon/";
  VIGIL_RETURN_IF_ERROR(ReadTsv(dir + "function_words.tsv", 2,
                                [&](const auto& f) { lex.function_words[geo::FoldName(f[1])] = std::string(f[0]); }));
  VIGIL_RETURN_IF_ERROR(ReadTsv(dir + "warning_signs.tsv", 3, [&](const auto& f) {
    lex.signs.push_back({std::string(f[0]), std::string(f[1]), FoldedWords(f[2])});
  }));
  VIGIL_RETURN_IF_ERROR(
      ReadTsv(dir + "locative_words.tsv", 2, [&](const auto& f) { lex.locatives.push_back(FoldedWords(f[1])); }));
  // Longer cues first, so "près de" wins over "de".
  std::sort(lex.locatives.begin(), lex.locatives.end(),
            [](const auto& a, const auto& b) { return a.size() > b.size(); });
  VIGIL_ASSIGN_OR_RETURN(lex.extraction, text::Lexicon::Cached(data_dir));
  return lex;
}

std::vector<Word> Words(std::string_view text) {
  std::vector<Word> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    size_t j = i;
    while (j < text.size() && IsWordByte(static_cast<unsigned char>(text[j]))) {
      // U+2019 (’) and U+2018 separate like an apostrophe.
      if (static_cast<unsigned char>(text[j]) == 0xE2 && j + 2 < text.size() &&
          static_cast<unsigned char>(text[j + 1]) == 0x80 &&
          (static_cast<unsigned char>(text[j + 2]) == 0x99 || static_cast<unsigned char>(text[j + 2]) == 0x98))
        break;
      ++j;
    }
    if (j > i) {
      std::string original(text.substr(i, j - i));
      std::string folded = geo::FoldName(original);
      if (!folded.empty()) out.push_back({std::move(folded), std::move(original)});
      i = j;
    } else {
      i = j + 1;
    }
    // Skip the rest of a curly apostrophe.
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return out;
}

std::string GuessLanguage(std::string_view text, const TriageLexicon& lex) {
  int fr = 0, en = 0;
  for (const auto& w : Words(text)) {
    auto it = lex.function_words.find(w.folded);
    if (it == lex.function_words.end()) continue;
    (it->second == "fr" ? fr : en) += 1;
  }
  return en > fr ? "en" : "fr";
}

std::pair<double, double> FuzzedCell(double lat, double lon) {
  return {std::floor(lat * 10) / 10 + 0.05, std::floor(lon * 10) / 10 + 0.05};
}

int64_t CellKey(double lat, double lon) {
  const auto row = static_cast<int64_t>(std::floor(lat * 10 + 900));
  const auto col = static_cast<int64_t>(std::floor(lon * 10 + 1800));
  return row * 3600 + col;
}

Triage TriageReport(const ReportInput& in, const geo::Reference& ref, const TriageLexicon& lex) {
  Triage t;
  t.lang = !in.lang.empty() ? in.lang : GuessLanguage(in.text, lex);
  const std::vector<Word> words = Words(in.text);
  std::set<std::string> signs;
  std::vector<bool> in_sign(words.size(), false);  // words of a warning sign are not place names
  for (size_t i = 0; i < words.size(); ++i)
    for (const auto& s : lex.signs)
      if (MatchesAt(words, i, s.words)) {
        signs.insert(s.category);
        for (size_t k = 0; k < s.words.size(); ++k) in_sign[i + k] = true;
      }

  text::ExtractOptions xo;
  xo.doc = "report";
  xo.lang = t.lang;
  auto events = text::Extract(in.text, ref.gazetteer(), *lex.extraction, xo);
  if (events.ok()) {
    t.extracted_events = static_cast<int>(events->size());
    for (const auto& e : *events)
      if (e.event_type == "Battles" || e.event_type == "Violence against civilians" ||
          e.event_type == "Explosions/Remote violence")
        signs.insert(e.hostages ? "abduction" : "attack");
  }
  t.signs.assign(signs.begin(), signs.end());

  if (in.lat && in.lon) {
    t.geo_source = "given";
    t.lat = in.lat;
    t.lon = in.lon;
    const geo::AdminInfo a = ref.Reverse(*in.lat, *in.lon);
    t.admin1 = a.admin1;
    t.admin2 = a.admin2;
    t.country = a.country;
    if (const geo::Place* p = ref.gazetteer().NearestPopulated(*in.lat, *in.lon, 25)) t.location = p->name;
    return t;
  }
  if (!core::Trim(in.place).empty()) {
    geo::GeocodeOptions opt;
    opt.limit = 1;
    auto c = ref.gazetteer().Geocode(in.place, opt);
    if (!c.empty()) {
      t.geo_source = "place";
      SetFromPlace(*c[0].place, ref, &t);
    } else {
      t.geo_source = "unknown";
      t.location = std::string(core::Trim(in.place));
    }
    return t;
  }
  if (events.ok())
    for (const auto& e : *events)
      if (e.geonameid) {
        if (const geo::Place* p = ref.gazetteer().ById(e.geonameid)) {
          t.geo_source = "text";
          SetFromPlace(*p, ref, &t);
          return t;
        }
      }
  const PlaceGuess g = PlaceFromWords(words, ref, lex, in_sign);
  if (g.place) {
    t.geo_source = "text";
    SetFromPlace(*g.place, ref, &t);
    return t;
  }
  t.geo_source = "none";
  return t;
}

}  // namespace vigil::alert

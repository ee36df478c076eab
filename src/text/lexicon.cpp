#include "text/lexicon.h"

#include <fstream>
#include <map>
#include <mutex>

#include "core/strings.h"
#include "geo/normalize.h"

namespace vigil::text {

namespace {

// The cue classes the extractor looks up; Load fails when one is missing so
// that a truncated cues.tsv is an error, not a silently weaker extractor.
constexpr std::string_view kRequiredCues[] = {"clause_break",
                                              "respectively",
                                              "vague_count",
                                              "approximate_count",
                                              "source_lead",
                                              "between_armed_groups",
                                              "protest_intervention",
                                              "period_since",
                                              "subject_pronoun",
                                              "toll_word",
                                              "passive_aux",
                                              "participle_next",
                                              "count_lead",
                                              "noun_determiner",
                                              "report_verb",
                                              "condemnation",
                                              "range_open",
                                              "next_day",
                                              "previous_day",
                                              "day_unit",
                                              "later",
                                              "earlier",
                                              "stretch_from",
                                              "stretch_to",
                                              "context_after_list",
                                              "backref_determiner",
                                              "backref_preposition",
                                              "comment_verb",
                                              "locative",
                                              "name_connector",
                                              "region_word",
                                              "context_after",
                                              "context_before",
                                              "civilian",
                                              "kill_before",
                                              "kill_after",
                                              "abduct_before",
                                              "abduct_after",
                                              "foreign",
                                              "economic",
                                              "convoy",
                                              "destination",
                                              "distance",
                                              "between",
                                              "not_happened",
                                              "place_noun",
                                              "place_apposition",
                                              "period_date",
                                              "patronymic",
                                              "person_noun",
                                              "near",
                                              "not_real",
                                              "continuation",
                                              "range_to",
                                              "part_of",
                                              "demonstrative",
                                              "place_anaphor",
                                              "new_year",

                                              "day_before",
                                              "same_day",
                                              "last_week",
                                              "non_place",
                                              "sahel_word",
                                              "passive_agent",
                                              "target_marker",
                                              "sighting",
                                              "origin",
                                              "month_part",
                                              "place_intro",
                                              "not_dead_after",
                                              "unit_after"};

// Calls fn(fields) for each data line of a TAB-separated file with exactly
// `columns` fields.
template <typename Fn>
core::Status ReadTsv(const std::string& path, size_t columns, Fn fn) {
  std::ifstream in(path);
  if (!in) return core::NotFound("cannot read " + path + " (check --data-dir)");
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (core::Trim(line).empty() || line[0] == '#') continue;
    auto f = core::Split(line, '\t');
    if (f.size() != columns)
      return core::ParseError(path + ":" + std::to_string(n) + ": expected " + std::to_string(columns) +
                              " TAB-separated fields, found " + std::to_string(f.size()));
    std::vector<std::string> fields(f.begin(), f.end());
    VIGIL_RETURN_IF_ERROR(fn(fields, n));
  }
  return core::Status::Ok();
}

// The words of a phrase as the tokeniser folds them: a hyphenated word is
// one token ("nord-est", folded "nord est"), an elision two ("d'une").
std::vector<std::string> Words(const std::string& phrase) {
  std::vector<std::string> out;
  for (auto piece : core::Split(phrase, ' ')) {
    const std::string folded = geo::FoldName(piece);  // Split returns views into it
    if (piece.find('-') != std::string_view::npos) {
      if (!folded.empty()) out.push_back(folded);
      continue;
    }
    for (auto w : core::Split(folded, ' '))
      if (!w.empty()) out.emplace_back(w);
  }
  return out;
}

// The ways a phrase's words can meet the tokeniser: any two neighbours may
// be joined by a hyphen in the text, and a hyphenated word is one token
// ("al islam" is written "al-Islam": one token folded "al islam"). Phrases
// of up to 8 words get every grouping; longer ones only their own.
std::vector<std::vector<std::string>> Groupings(const std::vector<std::string>& words) {
  if (words.size() < 2 || words.size() > 8) return {words};
  std::vector<std::vector<std::string>> out;
  const uint32_t joins = 1u << (words.size() - 1);
  for (uint32_t mask = 0; mask < joins; ++mask) {
    std::vector<std::string> g{words[0]};
    for (size_t k = 1; k < words.size(); ++k) {
      if (mask & (1u << (k - 1)))
        g.back() += " " + words[k];
      else
        g.push_back(words[k]);
    }
    out.push_back(std::move(g));
  }
  return out;
}

core::Status Bad(const std::string& path, int line, const std::string& what) {
  return core::ParseError(path + ":" + std::to_string(line) + ": " + what);
}

core::Status ReadNumbers(const std::string& path, int lo, int hi, std::unordered_map<std::string, int>* out) {
  return ReadTsv(path, 2, [&](const std::vector<std::string>& f, int n) {
    int64_t v = 0;
    if (!core::ParseInt64(f[1], &v) || v < lo || v > hi)
      return Bad(path, n, "the value must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    (*out)[geo::FoldName(f[0])] = static_cast<int>(v);
    return core::Status::Ok();
  });
}

}  // namespace

void CueSet::Add(const std::string& phrase) {
  auto words = Words(phrase);
  if (words.empty()) return;
  if (words.size() == 1) words_[words[0]] = true;
  for (auto& g : Groupings(words)) by_first_[g.front()].push_back(std::move(g));
}

bool CueSet::Has(std::string_view w) const { return words_.count(std::string(w)) > 0; }

size_t CueSet::MatchAt(const std::vector<Token>& t, size_t i, size_t b) const {
  if (i >= b) return 0;
  auto it = by_first_.find(t[i].folded);
  if (it == by_first_.end()) return 0;
  size_t best = 0;
  for (const auto& words : it->second) {
    if (i + words.size() > b || words.size() <= best) continue;
    bool ok = true;
    for (size_t k = 1; k < words.size() && ok; ++k) ok = t[i + k].folded == words[k];
    if (ok) best = words.size();
  }
  return best;
}

size_t CueSet::MatchEndingAt(const std::vector<Token>& t, size_t a, size_t end) const {
  for (size_t len = std::min<size_t>(5, end - a); len >= 1; --len)
    if (MatchAt(t, end - len, end) == len) return len;
  return 0;
}

core::Result<std::shared_ptr<const Lexicon>> Lexicon::Load(const std::string& data_dir) {
  std::shared_ptr<Lexicon> lex(new Lexicon());
  const std::string dir = data_dir + "/lexicon/";
  std::string path = dir + "actors.tsv";
  VIGIL_RETURN_IF_ERROR(ReadTsv(path, 3, [&](const std::vector<std::string>& f, int n) {
    if (f[2] != "state" && f[2] != "group" && f[2] != "generic")
      return Bad(path, n, "kind must be state, group or generic");
    lex->actors_.push_back({geo::FoldName(f[0]), f[1], f[2] == "state", f[2] == "generic"});
    return core::Status::Ok();
  }));
  path = dir + "triggers.tsv";
  VIGIL_RETURN_IF_ERROR(ReadTsv(path, 5, [&](const std::vector<std::string>& f, int n) {
    int64_t p = 0;
    if (!core::ParseInt64(f[4], &p) || p < 0 || p > 100) return Bad(path, n, "priority must be 0-100");
    lex->triggers_.push_back({geo::FoldName(f[0]), f[1], f[2], f[3] == "-" ? "" : f[3], static_cast<int>(p)});
    return core::Status::Ok();
  }));
  path = dir + "targets.tsv";
  VIGIL_RETURN_IF_ERROR(ReadTsv(path, 2, [&](const std::vector<std::string>& f, int) {
    lex->targets_.push_back({geo::FoldName(f[0]), f[1]});
    return core::Status::Ok();
  }));
  VIGIL_RETURN_IF_ERROR(ReadNumbers(dir + "months.tsv", 1, 12, &lex->months_));
  VIGIL_RETURN_IF_ERROR(ReadNumbers(dir + "weekdays.tsv", 0, 6, &lex->weekdays_));
  VIGIL_RETURN_IF_ERROR(ReadNumbers(dir + "numbers.tsv", 1, 1000000, &lex->numbers_));
  path = dir + "countries.tsv";
  VIGIL_RETURN_IF_ERROR(ReadTsv(path, 2, [&](const std::vector<std::string>& f, int n) {
    if (f[1].size() != 2) return Bad(path, n, "the country must be an ISO 3166 two-letter code");
    lex->countries_[geo::FoldName(f[0])] = f[1];
    return core::Status::Ok();
  }));
  VIGIL_RETURN_IF_ERROR(ReadTsv(dir + "cues.tsv", 2, [&](const std::vector<std::string>& f, int) {
    lex->cues_[f[0]].Add(f[1]);
    return core::Status::Ok();
  }));
  path = dir + "person_names.tsv";
  VIGIL_RETURN_IF_ERROR(ReadTsv(path, 2, [&](const std::vector<std::string>& f, int n) {
    if (f[0] != "title" && f[0] != "first" && f[0] != "surname")
      return Bad(path, n, "kind must be title, first or surname");
    lex->names_[f[0]].Add(f[1]);
    return core::Status::Ok();
  }));
  for (auto cls : kRequiredCues)
    if (!lex->cues_.count(std::string(cls)))
      return core::ParseError(dir + "cues.tsv: no entry of class '" + std::string(cls) +
                              "' (the extractor needs it; see data/lexicon/README.md)");
  for (const auto& a : lex->actors_)
    for (const auto& g : Groupings(Words(a.alias))) lex->actor_index_.Add(&a, g);
  for (const auto& t : lex->triggers_)
    for (const auto& g : Groupings(Words(t.phrase))) lex->trigger_index_.Add(&t, g);
  return std::shared_ptr<const Lexicon>(std::move(lex));
}

core::Result<std::shared_ptr<const Lexicon>> Lexicon::Cached(const std::string& data_dir) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const Lexicon>> loaded;
  std::lock_guard<std::mutex> lock(mu);
  auto it = loaded.find(data_dir);
  if (it != loaded.end()) return it->second;
  VIGIL_ASSIGN_OR_RETURN(auto lex, Load(data_dir));
  loaded[data_dir] = lex;
  return lex;
}

namespace {
int Find(const std::unordered_map<std::string, int>& m, std::string_view w, int none) {
  auto it = m.find(std::string(w));
  return it == m.end() ? none : it->second;
}
}  // namespace

int Lexicon::Month(std::string_view w) const { return Find(months_, w, 0); }
int Lexicon::Weekday(std::string_view w) const { return Find(weekdays_, w, -1); }
int Lexicon::Number(std::string_view w) const { return Find(numbers_, w, 0); }

std::string_view Lexicon::Country(std::string_view w) const {
  auto it = countries_.find(std::string(w));
  return it == countries_.end() ? std::string_view() : std::string_view(it->second);
}

const CueSet& Lexicon::Cues(std::string_view name) const {
  static const CueSet kEmpty;
  auto it = cues_.find(std::string(name));
  return it == cues_.end() ? kEmpty : it->second;
}

bool Lexicon::IsPersonName(std::string_view kind, std::string_view w) const {
  auto it = names_.find(std::string(kind));
  return it != names_.end() && it->second.Has(w);
}

bool Lexicon::IsNonPlaceWord(std::string_view w) const {
  return Cues("non_place").Has(w) || Month(w) > 0 || Weekday(w) >= 0;
}

}  // namespace vigil::text

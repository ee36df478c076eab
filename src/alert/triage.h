// vigil::alert — the first reading of a community report, before any human:
// its language, the warning signs it names (armed men, an attack, an
// abduction...), and where it is about. Pure functions of the report, the
// reference data and the lexicons in data/lexicon/ (README there).
//
// Where, in order: coordinates the reporter gave; the place name they gave
// (through the geocoder); the place of an event the extractor finds in the
// text; else a gazetteer name after a locative word ("près de Diboli") or a
// capitalised name. A place name that matches nothing is kept as written
// (geo_source "unknown"), never replaced by a guess.
//
// Thread-safety: TriageLexicon is immutable after Load; functions are pure.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "alert/model.h"
#include "core/status.h"
#include "geo/reference.h"
#include "text/lexicon.h"

namespace vigil::alert {

struct TriageLexicon {
  std::unordered_map<std::string, std::string> function_words;  // folded word -> lang
  struct Sign {
    std::string lang, category;
    std::vector<std::string> words;  // folded
  };
  std::vector<Sign> signs;
  std::vector<std::vector<std::string>> locatives;  // folded word sequences
  std::shared_ptr<const text::Lexicon> extraction;  // the extractor's vocabulary

  // Reads data_dir/lexicon/{function_words,warning_signs,locative_words}.tsv
  // and the extractor's files (text::Lexicon).
  // kNotFound or kParse naming the file and line.
  static core::Result<TriageLexicon> Load(const std::string& data_dir);
};

struct Triage {
  std::string lang;                // "fr" or "en"
  std::vector<std::string> signs;  // categories, sorted, unique
  std::string location;            // the place's name (or the name as written, when unknown)
  std::optional<double> lat, lon;
  std::string geo_source;  // "given", "place", "text", "unknown", "none"
  std::string admin1, admin2, country;
  int extracted_events = 0;  // events the extractor read in the text
};

// "fr" or "en" (French when there is no evidence either way: the working
// language of the region's focal points).
std::string GuessLanguage(std::string_view text, const TriageLexicon& lex);

// Folded words of a text, split at spaces, punctuation and apostrophes
// ("d'Inates" -> "d", "inates"), with their original spellings.
struct Word {
  std::string folded, original;
};
std::vector<Word> Words(std::string_view text);

Triage TriageReport(const ReportInput& in, const geo::Reference& ref, const TriageLexicon& lex);

// The centre of the 0.1-degree cell holding (lat, lon): what public outputs
// show instead of a report's position.
std::pair<double, double> FuzzedCell(double lat, double lon);
// An integer id of that cell (row * 3600 + column), for indexed lookups.
int64_t CellKey(double lat, double lon);

}  // namespace vigil::alert

// vigil::text — reports to events: a rule-based extractor for English and
// French security reports (docs/extraction.md).
//
// Extract orchestrates small passes, each in its own file:
//   tokens.h    normalise, tokens with byte offsets, sentences
//   dates.h     date expressions and the document's time anchor
//   mentions.h  people, actors, places with their roles, document context
//   frames.h    the event frame of a sentence: trigger, actors, counts, tags
//   here        arguments from the next sentence, one event per place and
//               date, mentions of one incident merged
// The vocabulary is data (data/lexicon/, read by text::Lexicon).
//
// Thread-safety: Extract is a pure function of its inputs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/event_json.h"
#include "core/status.h"
#include "geo/gazetteer.h"
#include "text/lexicon.h"

namespace vigil::text {

struct ExtractOptions {
  std::optional<core::Date> doc_date;  // resolves years and relative dates
  std::string lang = "auto";           // auto, en, fr
  std::string doc;                     // document name for the output
};

struct ExtractedEvent {
  std::string doc;
  std::optional<core::Date> date;
  std::string date_precision = "unknown";  // day, month, unknown
  std::string location, admin1, admin2, country;
  // false: a place the gazetteer does not know, kept as written (location,
  // country from the document); no coordinates, admin1 or geonameid.
  bool located = true;
  double latitude = 0, longitude = 0;
  int64_t geonameid = 0;
  std::string event_type, sub_event_type;
  std::vector<std::string> tags;
  std::string actor1, actor2, target;
  std::optional<int64_t> fatalities, hostages;
  std::string evidence;
  int64_t evidence_start = 0, evidence_end = 0;  // character (code point) offsets
  double confidence = 0.5;
};

// Fails with kParse for binary or non-UTF-8 input and kInvalidArgument for
// input over 20 MB.
core::Result<std::vector<ExtractedEvent>> Extract(std::string_view text, const geo::Gazetteer& gaz, const Lexicon& lex,
                                                  const ExtractOptions& opt);

core::Json ToJson(const ExtractedEvent& e);

}  // namespace vigil::text

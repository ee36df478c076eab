// vigil::text — reports to events: a rule-based extractor for English and
// French security reports (docs/extraction.md).
//
// Pipeline: UTF-8 check -> tokens with byte offsets -> sentences -> per
// sentence: date expressions, trigger words (event type), actors, place names
// (gazetteer n-grams) and numbers -> one event per place and date -> merge
// duplicates within the document.
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
core::Result<std::vector<ExtractedEvent>> Extract(std::string_view text, const geo::Gazetteer& gaz,
                                                  const ExtractOptions& opt);

core::Json ToJson(const ExtractedEvent& e);

}  // namespace vigil::text

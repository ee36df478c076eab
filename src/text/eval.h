// vigil::text — scoring extraction against gold annotations
// (../shared/gold/SCHEMA.md).
//
// An extracted event matches a gold event of the same document when the
// places agree (the same folded name, or within 25 km: gold places are
// geocoded with their admin1 and country as hints) and the dates agree (day
// precision: within one day; month precision: the same month; both null
// agree). Matching is one-to-one and greedy: all eligible pairs sorted by
// distance (same name = 0 km), then by document order, taken while both
// sides are free.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/event_json.h"
#include "core/status.h"
#include "geo/gazetteer.h"
#include "text/extractor.h"

namespace vigil::text {

struct ExtractionScores {
  int64_t gold = 0, predicted = 0, matched = 0;
  double precision = 0, recall = 0, f1 = 0;
  std::map<std::string, double> field_accuracy;  // event_type, sub_event_type, actor1, actor2, fatalities, hostages
  core::Json ToJson() const;
};

// `gold` lines (JSON objects) and the extracted events, for any documents.
ExtractionScores ScoreExtraction(const std::vector<core::Json>& gold, const std::vector<ExtractedEvent>& predicted,
                                 const geo::Gazetteer& gaz);

}  // namespace vigil::text

// vigil::text — scoring extraction against gold annotations
// (../shared/gold/SCHEMA.md).
//
// An extracted event matches a gold event of the same document when the
// places agree (the same folded name, or within 25 km of the gold place:
// its coordinates from a places table when given — doc,location,latitude,
// longitude as in ../shared/devset/gold/places.csv — else geocoded with its
// admin1 and country as hints) and the dates agree (day
// precision: within one day; month precision: the same month; both null
// agree). Matching is one-to-one and greedy: all eligible pairs sorted by
// distance (same name = 0 km), then by document order, taken while both
// sides are free.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/event_json.h"
#include "core/status.h"
#include "geo/gazetteer.h"
#include "text/extractor.h"

namespace vigil::text {

// Gold coordinates by (document, folded location name).
class GoldPlaces {
 public:
  // Reads a CSV with a header naming doc, location, latitude, longitude.
  static core::Result<GoldPlaces> Load(const std::string& path);
  void Add(const std::string& doc, const std::string& location, double lat, double lon);
  const std::pair<double, double>* Find(const std::string& doc, const std::string& location) const;
  size_t size() const { return xy_.size(); }

 private:
  std::map<std::pair<std::string, std::string>, std::pair<double, double>> xy_;
};

// One document's outcome, for --verbose: which gold events were found,
// which were missed, which extracted events match nothing.
struct DocumentOutcome {
  std::string doc;
  std::vector<std::pair<size_t, size_t>> matched;  // (gold index, predicted index)
  std::vector<size_t> missed;                      // gold indices
  std::vector<size_t> extra;                       // predicted indices
  // Fields of matched pairs that differ: "event_type: gold X, got Y".
  std::vector<std::string> wrong_fields;
};

struct ExtractionScores {
  int64_t documents = 0, gold = 0, predicted = 0, matched = 0;
  double precision = 0, recall = 0, f1 = 0;
  std::map<std::string, double> field_accuracy;  // event_type, sub_event_type, actor1, actor2, fatalities, hostages
  std::map<std::string, int64_t> field_correct;
  std::vector<DocumentOutcome> by_document;  // every document, in the order given
  core::Json ToJson() const;
};

// `gold` lines (JSON objects) and the extracted events of `documents`: every
// document counts, including those with no gold event (their extractions
// are false positives). Gold events of a document not listed are still
// counted as missed. `places` may be null.
ExtractionScores ScoreExtraction(const std::vector<std::string>& documents, const std::vector<core::Json>& gold,
                                 const std::vector<ExtractedEvent>& predicted, const geo::Gazetteer& gaz,
                                 const GoldPlaces* places);

}  // namespace vigil::text

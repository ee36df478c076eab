// vigil::report — situation reports: a short brief on one area and period,
// written from the store in English or French (docs/sitrep.md).
//
// BuildSitrep gathers the figures (headline counts against the previous
// period and the same period a year before, key events, the signals of
// signals.h, the forecast outlook from the latest model snapshot);
// RenderMarkdown writes them with the sentences of data/report/sitrep.tsv.
// A section with nothing to show says so rather than disappear.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "geo/reference.h"
#include "report/signals.h"
#include "store/store.h"

namespace vigil::report {

struct PeriodCount {
  int64_t events = 0, fatalities = 0, known = 0;
};

struct OutlookRow {
  std::string unit;  // cercle
  double p_any = 0, expected = 0;
};

struct Sitrep {
  Signals signals;  // area, period and the signals
  core::Date data_until;
  bool simulated = false;
  PeriodCount now, previous, year_before;
  std::map<std::string, int64_t> by_type;
  std::vector<core::Event> key_events;  // most severe first, at most 8
  std::vector<std::string> sources;     // distinct source names of the period's events
  std::vector<OutlookRow> outlook;      // highest first, at most 6; empty without a snapshot
  int64_t snapshot_id = 0;
  core::Date snapshot_as_of;
};

core::Result<Sitrep> BuildSitrep(store::EventStore* store, const geo::Reference& ref, const SignalRequest& req);

// The sentence table; kNotFound / kInvalidArgument naming the file and line.
struct Phrases {
  std::map<std::string, std::pair<std::string, std::string>> by_key;  // key -> (en, fr)
};
core::Result<Phrases> LoadPhrases(const std::string& path);

// "1 July 2025" / "1er juillet 2025".
std::string LongDate(core::Date d, const std::string& lang);

// The brief as Markdown; `generated` is the generation date printed in it.
std::string RenderMarkdown(const Sitrep& s, const Phrases& p, const std::string& lang, core::Date generated);

}  // namespace vigil::report

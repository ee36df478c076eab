// vigil::ingest — storing events read from reports (`vigil ingest reports`).
//
// Each document is extracted (text/extractor.h) and its events imported
// through the JSON Lines path of the Importer, so they get the same
// transaction, provenance, revision and dedupe rules. Each document is its
// own source ("report:<file name>"): the same incident told by two reports
// (same day +-1, within 10 km, compatible type) becomes one event whose
// sources list both, and `n_sources` is its corroboration count. An event id
// is "<file name>#<hash of date, place and type>", stable across re-runs, so
// importing a report again changes nothing. Events the report does not date
// cannot be stored (an event needs a date) and are counted as skipped.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "ingest/importer.h"
#include "text/extractor.h"

namespace vigil::ingest {

struct ReportImport {
  std::string path;
  int64_t extracted = 0, undated = 0;
  int64_t unlocated = 0;                     // at places the gazetteer does not know
  std::vector<text::ExtractedEvent> events;  // as extracted, undated and unlocated ones included
  ImportReport report;
};

// Events of one report as vigil events: dated ones at known places only
// (the others are counted in *undated and *unlocated). Each event's notes
// are its evidence, then "Source: TITLE" when the report has a title, so a
// reader sees the report's own name rather than a file name.
std::vector<core::Event> ReportToEvents(const std::vector<text::ExtractedEvent>& extracted, const std::string& doc,
                                        int64_t* undated, int64_t* unlocated = nullptr,
                                        const std::string& title = "");

// A report's title: its first non-blank line (Markdown '#' marks dropped),
// when it is short enough to be one (at most 200 bytes, cut at a word), else "".
std::string ReportTitle(std::string_view text);

// Extracts `text` (document name xo.doc) and stores its dated events under
// source "report:<xo.doc>"; `label` names it in source_files and errors.
core::Result<ReportImport> ImportReportText(Importer& importer, const geo::Reference& ref, const std::string& label,
                                            std::string_view text, const text::ExtractOptions& xo,
                                            const ImportOptions& opt);

// Fails with kNotFound, kParse (binary or non-UTF-8 text) or the importer's
// errors; the database is unchanged on failure.
core::Result<ReportImport> ImportReportFile(Importer& importer, const geo::Reference& ref, const std::string& path,
                                            const ImportOptions& opt);

}  // namespace vigil::ingest

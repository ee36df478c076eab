// vigil::cli — writing events in the formats of `vigil events --format`:
// table, csv, jsonl, json, geojson (RFC 7946) and hxl (HXL-tagged CSV).
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/status.h"
#include "report/writer.h"

namespace vigil::cli {

enum class Format { kTable, kCsv, kJsonl, kJson, kGeojson, kHxl };
core::Result<Format> ParseFormat(const std::string& name, const std::vector<Format>& allowed);
const char* FormatName(Format f);

// Streams events to a FILE in one format; Begin/End write headers/footers.
class EventWriter {
 public:
  virtual ~EventWriter() = default;
  virtual void Write(const core::Event& e) = 0;
  virtual void End() = 0;
};
// `words` (TableWords) names the table's columns and event types in its
// language; English when null.
std::unique_ptr<EventWriter> MakeEventWriter(Format f, std::FILE* out, const report::Writer* words = nullptr);

// The words of the command line's tables (data/report/cli.tsv, and the
// event types of sitrep.tsv) from `data_dir`.
core::Result<report::Phrases> LoadTableWords(const std::string& data_dir);
// `--lang`: "en" or "fr", else kInvalidArgument.
core::Status CheckLang(const std::string& lang);
// Right-aligns UTF-8 text in `width` code points.
std::string RightCell(const std::string& s, size_t width);

// RFC 4180 quoting of one CSV field.
std::string CsvField(const std::string& s);
// Pads/truncates UTF-8 text to `width` code points for tables.
std::string Cell(const std::string& s, size_t width);

// Writes `body` to standard output when `out` is empty or "-", else to the
// file `out` through a file beside it renamed into place (a reader never sees
// half a document); says so on stderr unless `quiet`.
core::Status WriteOutput(const std::string& out, const std::string& body, bool quiet);

}  // namespace vigil::cli

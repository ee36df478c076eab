#include "cli/output.h"

#include <fstream>

#include <unistd.h>

#include "core/event_json.h"
#include "core/strings.h"
#include "report/event_rows.h"

namespace vigil::cli {

using core::Event;
using core::Json;

core::Result<Format> ParseFormat(const std::string& name, const std::vector<Format>& allowed) {
  for (Format f : allowed)
    if (name == FormatName(f)) return f;
  std::string list;
  for (Format f : allowed) list += (list.empty() ? "" : ", ") + std::string(FormatName(f));
  return core::InvalidArgument("unknown format '" + name + "' (expected one of: " + list + ")");
}

const char* FormatName(Format f) {
  switch (f) {
    case Format::kTable:
      return "table";
    case Format::kCsv:
      return "csv";
    case Format::kJsonl:
      return "jsonl";
    case Format::kJson:
      return "json";
    case Format::kGeojson:
      return "geojson";
    case Format::kHxl:
      return "hxl";
  }
  return "table";
}

std::string CsvField(const std::string& s) { return report::CsvField(s); }

std::string Cell(const std::string& raw, size_t width) {
  // Imported text may carry terminal escape sequences: shown, never obeyed.
  const std::string s = core::EscapeControl(raw);
  std::string out;
  size_t cps = 0, i = 0;
  while (i < s.size() && cps < width) {
    size_t len = 1;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0)
      len = 4;
    else if (c >= 0xE0)
      len = 3;
    else if (c >= 0xC0)
      len = 2;
    if (s[i] == '\n' || s[i] == '\r' || s[i] == '\t') {
      out += ' ';
      ++i;
      ++cps;
      continue;
    }
    out.append(s, i, len);
    i += len;
    ++cps;
  }
  if (i < s.size() && width > 1) {
    // Replace the last code point with an ellipsis.
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty()) out.pop_back();
    out += "\xE2\x80\xA6";
  }
  out.append(width - std::min(width, cps), ' ');
  return out;
}

namespace {

std::string OptStr(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : std::string(); }

class TableWriter final : public EventWriter {
 public:
  TableWriter(std::FILE* out, const report::Writer* words) : out_(out), w_(words) {
    std::fprintf(out_, "%s %s %s %s %s %s %s %s %s\n", Cell(T("col_id", "id"), 7).c_str(),
                 Cell(T("col_date", "date"), 10).c_str(), Cell(T("col_type", "sub-event type"), 26).c_str(),
                 Cell(T("col_location", "location"), 18).c_str(), Cell(T("col_admin1", "admin1"), 11).c_str(),
                 Cell(T("col_country", "country"), 12).c_str(), Cell(T("col_actor1", "actor1"), 24).c_str(),
                 Cell(T("col_actor2", "actor2"), 24).c_str(), T("col_fatal", "fatal").c_str());
  }
  void Write(const Event& e) override {
    std::string type = e.sub_event_type.empty() ? e.event_type : e.sub_event_type;
    if (w_) type = w_->Term(type);
    std::fprintf(out_, "%s %s %s %s %s %s %s %s %s\n", Cell(std::to_string(e.id), 7).c_str(),
                 e.date_start.ToIso().c_str(), Cell(type, 26).c_str(), Cell(e.location, 18).c_str(),
                 Cell(e.admin1, 11).c_str(), Cell(e.country, 12).c_str(), Cell(e.actor1, 24).c_str(),
                 Cell(e.actor2, 24).c_str(), e.fatalities ? OptStr(e.fatalities).c_str() : "?");
    ++n_;
  }
  void End() override {
    std::fprintf(out_, "%s\n",
                 w_ ? w_->T("n_events", {std::to_string(n_)}).c_str()
                    : ("(" + std::to_string(n_) + " events)").c_str());
  }

 private:
  std::string T(const char* key, const char* english) const { return w_ ? w_->T(key) : english; }
  std::FILE* out_;
  const report::Writer* w_;
  int64_t n_ = 0;
};

// On a terminal, control characters in fields are escaped (core::EscapeControl);
// into a file or a pipe, fields are written as stored.
void WriteCsvLine(std::FILE* out, const std::vector<std::string>& fields) {
  const bool terminal = isatty(fileno(out));
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) line += ',';
    line += CsvField(terminal ? core::EscapeControl(fields[i]) : fields[i]);
  }
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), out);
}

class CsvWriter final : public EventWriter {
 public:
  explicit CsvWriter(std::FILE* out) : out_(out) { WriteCsvLine(out_, report::EventCsvHeader()); }
  void Write(const Event& e) override { WriteCsvLine(out_, report::EventCsvRow(e)); }
  void End() override {}

 private:
  std::FILE* out_;
};

class HxlWriter final : public EventWriter {
 public:
  explicit HxlWriter(std::FILE* out) : out_(out) {
    WriteCsvLine(out_, report::EventHxlHeader());
    WriteCsvLine(out_, report::EventHxlTags());
  }
  void Write(const Event& e) override { WriteCsvLine(out_, report::EventHxlRow(e)); }
  void End() override {}

 private:
  std::FILE* out_;
};

class JsonlWriter final : public EventWriter {
 public:
  explicit JsonlWriter(std::FILE* out) : out_(out) {}
  void Write(const Event& e) override {
    const std::string s = core::EventToJson(e).dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
    std::fwrite(s.data(), 1, s.size(), out_);
  }
  void End() override {}

 private:
  std::FILE* out_;
};

// JSON array / GeoJSON FeatureCollection, written incrementally.
class JsonArrayWriter final : public EventWriter {
 public:
  JsonArrayWriter(std::FILE* out, bool geojson) : out_(out), geojson_(geojson) {
    std::fputs(geojson_ ? "{\"type\":\"FeatureCollection\",\"features\":[" : "{\"events\":[", out_);
  }
  void Write(const Event& e) override {
    buf_.clear();
    if (n_++) buf_ += ',';
    if (geojson_)
      core::AppendEventFeature(&buf_, e);
    else
      core::AppendEventJson(&buf_, e);
    std::fwrite(buf_.data(), 1, buf_.size(), out_);
  }
  void End() override { std::fprintf(out_, "],\"count\":%lld}\n", static_cast<long long>(n_)); }

 private:
  std::FILE* out_;
  bool geojson_;
  int64_t n_ = 0;
  std::string buf_;
};

}  // namespace

core::Result<report::Phrases> LoadTableWords(const std::string& data_dir) {
  VIGIL_ASSIGN_OR_RETURN(report::Phrases words, report::LoadPhrases(data_dir + "/report/cli.tsv"));
  VIGIL_ASSIGN_OR_RETURN(report::Phrases brief, report::LoadPhrases(data_dir + "/report/sitrep.tsv"));
  for (auto& [key, text] : brief.by_key)
    if (key.rfind("ev_", 0) == 0) words.by_key.emplace(key, std::move(text));
  return words;
}

core::Status CheckLang(const std::string& lang) {
  if (lang == "en" || lang == "fr") return core::Status::Ok();
  return core::InvalidArgument("--lang must be en or fr, not '" + lang + "'");
}

std::string RightCell(const std::string& s, size_t width) {
  const std::string padded = Cell(s, width);  // left-aligned, same width
  const size_t end = padded.find_last_not_of(' ');
  const std::string text = end == std::string::npos ? std::string() : padded.substr(0, end + 1);
  return std::string(padded.size() - text.size(), ' ') + text;
}

std::unique_ptr<EventWriter> MakeEventWriter(Format f, std::FILE* out, const report::Writer* words) {
  switch (f) {
    case Format::kTable:
      return std::make_unique<TableWriter>(out, words);
    case Format::kCsv:
      return std::make_unique<CsvWriter>(out);
    case Format::kHxl:
      return std::make_unique<HxlWriter>(out);
    case Format::kJsonl:
      return std::make_unique<JsonlWriter>(out);
    case Format::kJson:
      return std::make_unique<JsonArrayWriter>(out, false);
    case Format::kGeojson:
      return std::make_unique<JsonArrayWriter>(out, true);
  }
  return nullptr;
}

core::Status WriteOutput(const std::string& out, const std::string& body, bool quiet) {
  if (out.empty() || out == "-") {
    std::fwrite(body.data(), 1, body.size(), stdout);
    return core::Status::Ok();
  }
  const std::string tmp = out + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    f << body;
    if (!f.flush()) return core::IoError("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), out.c_str()) != 0) return core::IoError("cannot rename " + tmp + " to " + out);
  if (!quiet) std::fprintf(stderr, "wrote %s\n", out.c_str());
  return core::Status::Ok();
}

}  // namespace vigil::cli

#include "cli/output.h"

#include <unistd.h>

#include "core/event_json.h"
#include "core/strings.h"

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

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

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

std::string Coord(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

class TableWriter final : public EventWriter {
 public:
  explicit TableWriter(std::FILE* out) : out_(out) {
    std::fprintf(out_, "%s %s %s %s %s %s %s %s %s\n", Cell("id", 7).c_str(), Cell("date", 10).c_str(),
                 Cell("sub-event type", 26).c_str(), Cell("location", 18).c_str(), Cell("admin1", 11).c_str(),
                 Cell("country", 12).c_str(), Cell("actor1", 24).c_str(), Cell("actor2", 24).c_str(), "fatal");
  }
  void Write(const Event& e) override {
    const std::string type = e.sub_event_type.empty() ? e.event_type : e.sub_event_type;
    std::fprintf(out_, "%s %s %s %s %s %s %s %s %s\n", Cell(std::to_string(e.id), 7).c_str(),
                 e.date_start.ToIso().c_str(), Cell(type, 26).c_str(), Cell(e.location, 18).c_str(),
                 Cell(e.admin1, 11).c_str(), Cell(e.country, 12).c_str(), Cell(e.actor1, 24).c_str(),
                 Cell(e.actor2, 24).c_str(), e.fatalities ? OptStr(e.fatalities).c_str() : "?");
    ++n_;
  }
  void End() override { std::fprintf(out_, "(%lld events)\n", static_cast<long long>(n_)); }

 private:
  std::FILE* out_;
  int64_t n_ = 0;
};

const char* const kCsvColumns[] = {
    "id",           "source",       "source_id",     "revision",       "date_start",      "date_end", "date_precision",
    "latitude",     "longitude",    "geo_precision", "location",       "country",         "admin1",   "admin2",
    "admin1_pcode", "admin2_pcode", "gid",           "event_type",     "sub_event_type",  "actor1",   "actor2",
    "assoc_actor1", "assoc_actor2", "fatalities",    "fatalities_low", "fatalities_high", "hostages", "tags",
    "n_sources",    "notes"};

std::vector<std::string> CsvRow(const Event& e) {
  std::string tags;
  for (const auto& t : e.tags) tags += (tags.empty() ? "" : ";") + t;
  return {std::to_string(e.id),
          e.source,
          e.source_id,
          std::to_string(e.revision),
          e.date_start.ToIso(),
          e.date_end.ToIso(),
          core::DatePrecisionName(e.date_precision),
          Coord(e.latitude),
          Coord(e.longitude),
          std::to_string(e.geo_precision),
          e.location,
          e.country,
          e.admin1,
          e.admin2,
          e.admin1_pcode,
          e.admin2_pcode,
          std::to_string(e.gid),
          e.event_type,
          e.sub_event_type,
          e.actor1,
          e.actor2,
          e.assoc_actor1,
          e.assoc_actor2,
          OptStr(e.fatalities),
          OptStr(e.fatalities_low),
          OptStr(e.fatalities_high),
          OptStr(e.hostages),
          tags,
          std::to_string(e.sources.size()),
          e.notes};
}

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
  explicit CsvWriter(std::FILE* out) : out_(out) {
    WriteCsvLine(out_, std::vector<std::string>(std::begin(kCsvColumns), std::end(kCsvColumns)));
  }
  void Write(const Event& e) override { WriteCsvLine(out_, CsvRow(e)); }
  void End() override {}

 private:
  std::FILE* out_;
};

class HxlWriter final : public EventWriter {
 public:
  explicit HxlWriter(std::FILE* out) : out_(out) {
    WriteCsvLine(out_, {"id", "date", "event_type", "sub_event_type", "actor1", "actor2", "admin1", "admin2",
                        "location", "latitude", "longitude", "fatalities", "notes"});
    WriteCsvLine(out_, {"#event+id", "#date+occurred", "#event+type", "#event+type+sub", "#group+name+first",
                        "#group+name+second", "#adm1+name", "#adm2+name", "#loc+name", "#geo+lat", "#geo+lon",
                        "#affected+killed", "#description"});
  }
  void Write(const Event& e) override {
    WriteCsvLine(
        out_, {std::to_string(e.id), e.date_start.ToIso(), e.event_type, e.sub_event_type, e.actor1, e.actor2, e.admin1,
               e.admin2, e.location, Coord(e.latitude), Coord(e.longitude), OptStr(e.fatalities), e.notes});
  }
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

std::unique_ptr<EventWriter> MakeEventWriter(Format f, std::FILE* out) {
  switch (f) {
    case Format::kTable:
      return std::make_unique<TableWriter>(out);
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

}  // namespace vigil::cli

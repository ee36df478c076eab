#include "report/event_rows.h"

#include <cstdio>

namespace vigil::report {

namespace {

std::string OptStr(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : std::string(); }

}  // namespace

const std::vector<std::string>& EventCsvHeader() {
  static const std::vector<std::string> kColumns = {"id",
                                                    "source",
                                                    "source_id",
                                                    "revision",
                                                    "date_start",
                                                    "date_end",
                                                    "date_precision",
                                                    "latitude",
                                                    "longitude",
                                                    "geo_precision",
                                                    "location",
                                                    "country",
                                                    "admin1",
                                                    "admin2",
                                                    "admin1_pcode",
                                                    "admin2_pcode",
                                                    "gid",
                                                    "event_type",
                                                    "sub_event_type",
                                                    "actor1",
                                                    "actor2",
                                                    "assoc_actor1",
                                                    "assoc_actor2",
                                                    "fatalities",
                                                    "fatalities_low",
                                                    "fatalities_high",
                                                    "hostages",
                                                    "tags",
                                                    "n_sources",
                                                    "notes"};
  return kColumns;
}

std::vector<std::string> EventCsvRow(const core::Event& e) {
  std::string tags;
  for (const auto& t : e.tags) tags += (tags.empty() ? "" : ";") + t;
  return {std::to_string(e.id),
          e.source,
          e.source_id,
          std::to_string(e.revision),
          e.date_start.ToIso(),
          e.date_end.ToIso(),
          core::DatePrecisionName(e.date_precision),
          Coordinate(e.latitude),
          Coordinate(e.longitude),
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

const std::vector<std::string>& EventHxlHeader() {
  static const std::vector<std::string> kHeader = {
      "id",     "date",     "event_type", "sub_event_type", "actor1",     "actor2", "admin1",
      "admin2", "location", "latitude",   "longitude",      "fatalities", "notes"};
  return kHeader;
}

const std::vector<std::string>& EventHxlTags() {
  static const std::vector<std::string> kTags = {
      "#event+id",          "#date+occurred",   "#event+type", "#event+type+sub", "#group+name+first",
      "#group+name+second", "#adm1+name",       "#adm2+name",  "#loc+name",       "#geo+lat",
      "#geo+lon",           "#affected+killed", "#description"};
  return kTags;
}

std::vector<std::string> EventHxlRow(const core::Event& e) {
  return {std::to_string(e.id),
          e.date_start.ToIso(),
          e.event_type,
          e.sub_event_type,
          e.actor1,
          e.actor2,
          e.admin1,
          e.admin2,
          e.location,
          Coordinate(e.latitude),
          Coordinate(e.longitude),
          OptStr(e.fatalities),
          e.notes};
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

void AppendCsvLine(std::string* out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) *out += ',';
    *out += CsvField(fields[i]);
  }
  *out += '\n';
}

std::string Coordinate(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace vigil::report

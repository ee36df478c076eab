#include "ingest/reports.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/event_json.h"
#include "core/strings.h"

namespace vigil::ingest {

std::string ReportTitle(std::string_view text) {
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = core::Trim(text.substr(at, end - at));
    at = end + 1;
    while (!line.empty() && line.front() == '#') line = core::Trim(line.substr(1));
    if (line.empty()) continue;
    if (line.size() > 200) return "";  // a paragraph, not a title
    return std::string(line);
  }
  return "";
}

std::vector<core::Event> ReportToEvents(const std::vector<text::ExtractedEvent>& extracted, const std::string& doc,
                                        int64_t* undated, int64_t* unlocated, const std::string& title) {
  std::vector<core::Event> out;
  for (const auto& x : extracted) {
    // An event needs a date and coordinates to be stored.
    if (!x.date) {
      if (undated) ++*undated;
      continue;
    }
    if (!x.located) {
      if (unlocated) ++*unlocated;
      continue;
    }
    core::Event e;
    e.source = "report:" + doc;
    char id[32];
    std::snprintf(id, sizeof id, "%016llx",
                  static_cast<unsigned long long>(core::Fnv1a64(x.date->ToIso() + "|" + std::to_string(x.geonameid) +
                                                                "|" + x.event_type + "|" + x.sub_event_type)));
    e.source_id = doc + "#" + id;
    e.date_start = e.date_end = *x.date;
    e.date_precision = x.date_precision == "month" ? core::DatePrecision::kMonth : core::DatePrecision::kDay;
    e.latitude = x.latitude;
    e.longitude = x.longitude;
    e.geo_precision = x.geonameid > 0 && x.geonameid < 9'000'000'000 ? 1 : 2;
    e.place_id = x.geonameid;
    e.location = x.location;
    e.country = x.country;
    e.admin1 = x.admin1;
    e.admin2 = x.admin2;
    e.event_type = x.event_type;
    e.sub_event_type = x.sub_event_type;
    e.actor1 = x.actor1;
    e.actor2 = x.actor2;
    e.fatalities = x.fatalities;
    e.hostages = x.hostages;
    e.tags = x.tags;
    e.notes = x.evidence;
    if (!title.empty()) e.notes += (e.notes.empty() ? "" : " ") + std::string("Source: ") + title;
    e.evidence_doc = doc;
    e.evidence_start = x.evidence_start;
    e.evidence_end = x.evidence_end;
    e.confidence = x.confidence;
    e.sources.push_back({e.source, e.source_id, 1});
    out.push_back(std::move(e));
  }
  return out;
}

core::Result<ReportImport> ImportReportText(Importer& importer, const geo::Reference& ref, const std::string& label,
                                            std::string_view text, const text::ExtractOptions& xo,
                                            const ImportOptions& opt) {
  ReportImport r;
  r.path = label;
  VIGIL_ASSIGN_OR_RETURN(auto lex, text::Lexicon::Cached(ref.data_dir()));
  auto extracted = text::Extract(text, ref.gazetteer(), *lex, xo);
  if (!extracted.ok()) return core::Status(extracted.status().code(), label + ": " + extracted.status().message());
  r.extracted = static_cast<int64_t>(extracted->size());
  r.events = *extracted;
  std::string lines;
  for (const auto& e : ReportToEvents(*extracted, xo.doc, &r.undated, &r.unlocated, ReportTitle(text)))
    lines += core::EventToJson(e).dump() + "\n";
  if (lines.empty()) return r;  // nothing datable: nothing to store
  VIGIL_ASSIGN_OR_RETURN(r.report, importer.ImportJsonlContent(label, lines, "report:" + xo.doc, opt));
  return r;
}

core::Result<ReportImport> ImportReportFile(Importer& importer, const geo::Reference& ref, const std::string& path,
                                            const ImportOptions& opt) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  text::ExtractOptions xo;
  xo.doc = path.substr(path.find_last_of('/') + 1);
  return ImportReportText(importer, ref, path, ss.str(), xo, opt);
}

}  // namespace vigil::ingest

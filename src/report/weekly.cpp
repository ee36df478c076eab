#include "report/weekly.h"

#include <set>

namespace vigil::report {

std::pair<core::Date, core::Date> LastWholeWeek(core::Date today) {
  // Days since 1970-01-01, a Thursday: (days + 3) % 7 is 0 on Mondays.
  const int32_t monday_offset = ((today.days() + 3) % 7 + 7) % 7;
  const core::Date this_monday = today - monday_offset;
  return {this_monday - 7, this_monday - 1};
}

namespace {

// The regions of the bundled polygons, as the store spells them; those
// with no stored event are left out.
std::vector<std::string> StoredRegions(store::EventStore* store, const geo::Reference& ref) {
  std::set<std::string> out;
  for (const auto& region : ref.admin1()) {
    auto name = region.properties.find("adm1");
    if (name == region.properties.end()) continue;
    auto area = ResolveArea(store, name->second);
    if (!area.ok() || area->level != "admin1") continue;
    store::EventFilter f;
    f.admin1 = {area->name};
    auto n = store->CountEvents(f);  // 0 for a name the store does not know
    if (n.ok() && *n > 0) out.insert(area->name);
  }
  return {out.begin(), out.end()};
}

core::Status WriteOne(const Sitrep& s, const geo::Reference& ref, const Phrases& p, const std::string& lang,
                      core::Date generated, int64_t generated_at, SitrepStore* briefs) {
  StoredSitrep out;
  out.area = s.signals.area.name;
  out.from = s.signals.from;
  out.to = s.signals.to;
  out.lang = lang;
  out.generated_at = generated_at;
  const Doc doc = ComposeSitrep(s, p, lang, generated);
  const Figures figures = SitrepFigures(s, ref, p, lang);
  const PageSetup page = SitrepPage(s, p, lang, generated);
  out.markdown = RenderMarkdown(doc);
  out.html = RenderHtml(doc, figures, page);
  VIGIL_ASSIGN_OR_RETURN(out.pdf, RenderPdf(doc, figures, page));
  return briefs->Save(out).status();
}

}  // namespace

core::Result<WeeklyRun> WriteWeeklyBriefs(store::EventStore* store, const geo::Reference& ref, const Phrases& p,
                                          SitrepStore* briefs, int64_t generated_at, const BriefSources& more) {
  const core::Date today = core::Date::FromDays(static_cast<int32_t>(generated_at / 86400));
  WeeklyRun run;
  std::tie(run.from, run.to) = LastWholeWeek(today);
  for (const std::string& region : StoredRegions(store, ref)) {
    std::vector<std::string> missing;
    for (const char* lang : {"en", "fr"}) {
      VIGIL_ASSIGN_OR_RETURN(bool has, briefs->Has(region, run.from, run.to, lang));
      if (has)
        ++run.kept;
      else
        missing.push_back(lang);
    }
    if (missing.empty()) continue;
    SignalRequest req;
    req.area = region;
    req.from = run.from;
    req.to = run.to;
    VIGIL_ASSIGN_OR_RETURN(Sitrep s, BuildSitrep(store, ref, req, more));
    for (const auto& lang : missing) {
      VIGIL_RETURN_IF_ERROR(WriteOne(s, ref, p, lang, today, generated_at, briefs));
      ++run.written;
    }
  }
  return run;
}

}  // namespace vigil::report

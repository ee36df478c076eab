// vigil sitrep — a situation report on one area and period (docs/sitrep.md).
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "alert/alert_store.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "core/clock.h"
#include "model/site_store.h"
#include "report/sitrep.h"
#include "report/sitrep_store.h"
#include "report/weekly.h"

namespace vigil::cli {

namespace {

struct SitrepOptions {
  std::string area, from, to, lang = "en", format, out;
  std::string generated;  // fixed generation date (reproducible briefs); default today UTC
  bool weekly = false;    // write last week's brief of every region into the store, as the server does
};

core::Result<core::Date> GenerationDate(const std::string& flag) {
  if (!flag.empty()) return core::Date::Parse(flag);
  return core::Date::FromDays(static_cast<int32_t>(core::SystemClock::Get().Now() / 86400));
}

// --format, else the --out file's extension, else Markdown.
std::string FormatOf(const SitrepOptions& o) {
  if (!o.format.empty()) return o.format;
  for (const char* ext : {"html", "pdf"}) {
    const std::string suffix = std::string(".") + ext;
    if (o.out.size() > suffix.size() && o.out.compare(o.out.size() - suffix.size(), suffix.size(), suffix) == 0)
      return ext;
  }
  return "md";
}

core::Result<std::string> Render(const report::Sitrep& s, const geo::Reference& ref, const report::Phrases& p,
                                 const std::string& lang, core::Date generated, const std::string& format) {
  const report::Doc doc = report::ComposeSitrep(s, p, lang, generated);
  if (format == "md") return report::RenderMarkdown(doc);
  const report::Figures figures = report::SitrepFigures(s, ref, p, lang);
  const report::PageSetup page = report::SitrepPage(s, p, lang, generated);
  if (format == "html") return report::RenderHtml(doc, figures, page);
  return report::RenderPdf(doc, figures, page);
}

// The server's weekly briefs, written now (report/weekly.h).
int RunWeekly(const Globals& g, const SitrepOptions& o, core::Date generated) {
  if (!o.area.empty() || !o.from.empty() || !o.to.empty() || !o.out.empty() || !o.format.empty())
    return Fail(
        core::InvalidArgument("--weekly writes every region's briefs into the database: it takes no --area, "
                              "--from, --to, --format or --out (GET /api/v1/sitreps serves them)"));
  auto st = OpenStore(g);
  if (!st.ok()) return Fail(st.status());
  auto ref = LoadReference(g);
  if (!ref.ok()) return Fail(ref.status());
  auto phrases = report::LoadPhrases((*ref)->data_dir() + "/report/sitrep.tsv");
  if (!phrases.ok()) return Fail(phrases.status());
  auto briefs = report::SitrepStore::Open(ResolveStateDb(g));
  if (!briefs.ok()) return Fail(briefs.status());
  auto alerts = alert::AlertStore::Open(ResolveStateDb(g));
  auto sites = model::SiteStore::Open(ResolveStateDb(g));
  const report::BriefSources more{alerts.ok() ? alerts->get() : nullptr, sites.ok() ? sites->get() : nullptr};
  auto run = report::WriteWeeklyBriefs(st->get(), **ref, *phrases, briefs->get(),
                                       static_cast<int64_t>(generated.days()) * 86400, more);
  if (!run.ok()) return Fail(run.status());
  if (!g.quiet)
    std::printf("weekly briefs for %s to %s: %d written, %d kept already\n", run->from.ToIso().c_str(),
                run->to.ToIso().c_str(), run->written, run->kept);
  return 0;
}

int Run(const Globals& g, const SitrepOptions& o) {
  if (o.lang != "en" && o.lang != "fr")
    return Fail(core::InvalidArgument("--lang must be en or fr, not '" + o.lang + "'"));
  const std::string format = FormatOf(o);
  if (format != "md" && format != "html" && format != "pdf")
    return Fail(core::InvalidArgument("--format must be md, html or pdf, not '" + format + "'"));
  if (format == "pdf" && (o.out.empty() || o.out == "-") && isatty(fileno(stdout)))
    return Fail(core::InvalidArgument("a PDF is not for the terminal: give --out FILE.pdf"));
  auto generated = GenerationDate(o.generated);
  if (!generated.ok()) return Fail(core::InvalidArgument("--generated: " + generated.status().message()));
  if (o.weekly) return RunWeekly(g, o, *generated);
  auto st = OpenStore(g);
  if (!st.ok()) return Fail(st.status());
  auto ref = LoadReference(g);
  if (!ref.ok()) return Fail(ref.status());
  auto period = report::ResolvePeriod(st->get(), o.from, o.to, "--from", "--to");
  if (!period.ok()) return Fail(period.status());
  auto phrases = report::LoadPhrases((*ref)->data_dir() + "/report/sitrep.tsv");
  if (!phrases.ok()) return Fail(phrases.status());
  report::SignalRequest req;
  req.area = o.area;
  std::tie(req.from, req.to) = *period;
  auto alerts = alert::AlertStore::Open(ResolveStateDb(g));  // a database without alert tables: none read
  auto sites = model::SiteStore::Open(ResolveStateDb(g));
  const report::BriefSources more{alerts.ok() ? alerts->get() : nullptr, sites.ok() ? sites->get() : nullptr};
  auto s = report::BuildSitrep(st->get(), **ref, req, more);
  if (!s.ok()) return Fail(s.status());
  auto body = Render(*s, **ref, *phrases, o.lang, *generated, format);
  if (!body.ok()) return Fail(body.status());
  const core::Status written = WriteOutput(o.out, *body, g.quiet);
  if (!written.ok()) return Fail(written);
  return 0;
}

}  // namespace

void AddSitrep(CLI::App& app, Globals& g, int& rc) {
  auto o = std::make_shared<SitrepOptions>();
  auto* cmd = app.add_subcommand("sitrep", "a situation report on one area and period (Markdown, HTML or PDF)");
  cmd->add_option("--area", o->area, "a region (admin1) or cercle (admin2); default all");
  cmd->add_option("--from", o->from, "first day (default: 90 days before --to)");
  cmd->add_option("--to", o->to, "last day (default: the newest stored event)");
  cmd->add_option("--lang", o->lang, "en (default) or fr");
  cmd->add_option("--format", o->format,
                  "md, html (one self-contained file) or pdf (A4); default from --out's extension, else md");
  cmd->add_option("--out", o->out, "file to write (default: standard output)");
  cmd->add_option("--generated", o->generated, "the generation date printed (default: today, UTC)");
  cmd->add_flag("--weekly", o->weekly,
                "write the last whole week's brief of every region, in English and French, into the database (as "
                "vigil serve does every hour); --generated sets 'today'");
  cmd->callback([&g, &rc, o] { rc = Run(g, *o); });
}

}  // namespace vigil::cli

// vigil sitrep — a situation report on one area and period (docs/sitrep.md).
#include <cstdio>
#include <fstream>
#include <string>

#include "cli/commands.h"
#include "core/clock.h"
#include "report/sitrep.h"

namespace vigil::cli {

namespace {

struct SitrepOptions {
  std::string area, from, to, lang = "en", format = "md", out;
  std::string generated;  // fixed generation date (reproducible briefs); default today UTC
};

core::Result<core::Date> GenerationDate(const std::string& flag) {
  if (!flag.empty()) return core::Date::Parse(flag);
  return core::Date::FromDays(static_cast<int32_t>(core::SystemClock::Get().Now() / 86400));
}

int Run(const Globals& g, const SitrepOptions& o) {
  if (o.lang != "en" && o.lang != "fr")
    return Fail(core::InvalidArgument("--lang must be en or fr, not '" + o.lang + "'"));
  if (o.format != "md")
    return Fail(core::InvalidArgument("--format must be md (Markdown); HTML and PDF briefs are not written yet"));
  auto generated = GenerationDate(o.generated);
  if (!generated.ok()) return Fail(core::InvalidArgument("--generated: " + generated.status().message()));
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
  auto s = report::BuildSitrep(st->get(), **ref, req);
  if (!s.ok()) return Fail(s.status());
  const std::string md = report::RenderMarkdown(*s, *phrases, o.lang, *generated);
  if (o.out.empty() || o.out == "-") {
    std::fwrite(md.data(), 1, md.size(), stdout);
    return 0;
  }
  // Written beside the target and renamed: a reader never sees half a brief.
  const std::string tmp = o.out + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    f << md;
    if (!f.flush()) return Fail(core::IoError("cannot write " + tmp));
  }
  if (std::rename(tmp.c_str(), o.out.c_str()) != 0) return Fail(core::IoError("cannot rename " + tmp + " to " + o.out));
  if (!g.quiet) std::fprintf(stderr, "wrote %s\n", o.out.c_str());
  return 0;
}

}  // namespace

void AddSitrep(CLI::App& app, Globals& g, int& rc) {
  auto o = std::make_shared<SitrepOptions>();
  auto* cmd = app.add_subcommand("sitrep", "a situation report on one area and period (Markdown)");
  cmd->add_option("--area", o->area, "a region (admin1) or cercle (admin2); default all");
  cmd->add_option("--from", o->from, "first day (default: 90 days before --to)");
  cmd->add_option("--to", o->to, "last day (default: the newest stored event)");
  cmd->add_option("--lang", o->lang, "en (default) or fr");
  cmd->add_option("--format", o->format, "md (default; HTML and PDF are not written yet)");
  cmd->add_option("--out", o->out, "file to write (default: standard output)");
  cmd->add_option("--generated", o->generated, "the generation date printed (default: today, UTC)");
  cmd->callback([&g, &rc, o] { rc = Run(g, *o); });
}

}  // namespace vigil::cli

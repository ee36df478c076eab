// vigil scenario — "what if" runs of the fitted model (docs/scenarios.md):
// run a scenario file, list the stored results, show one.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/strings.h"
#include "dist/world.h"
#include "report/render.h"
#include "scenario/report.h"
#include "scenario/scenario_store.h"
#include "scenario/service.h"

namespace vigil::cli {

namespace {

struct ScenarioOptions {
  std::string file, id, format, out, lang = "en";
  int runs = 0;          // 0: the file's
  int64_t seed = -1;     // < 0: the file's
  bool no_save = false;  // do not keep the result in the database
};

// --format, else the --out file's extension, else Markdown.
std::string FormatOf(const ScenarioOptions& o) {
  if (!o.format.empty()) return o.format;
  for (const char* ext : {"html", "json"}) {
    const std::string suffix = std::string(".") + ext;
    if (o.out.size() > suffix.size() && o.out.compare(o.out.size() - suffix.size(), suffix.size(), suffix) == 0)
      return ext;
  }
  return "md";
}

core::Status CheckOutput(const ScenarioOptions& o) {
  if (o.lang != "en" && o.lang != "fr") return core::InvalidArgument("--lang must be en or fr, not '" + o.lang + "'");
  const std::string f = FormatOf(o);
  if (f != "md" && f != "html" && f != "json")
    return core::InvalidArgument("--format must be md, html or json, not '" + f + "'");
  return core::Status::Ok();
}

core::Status Write(const Globals& g, const ScenarioOptions& o, const core::Json& summary) {
  const std::string format = FormatOf(o);
  if (format == "json") return WriteOutput(o.out, summary.dump(2) + "\n", g.quiet);
  VIGIL_ASSIGN_OR_RETURN(auto ref, LoadReference(g));
  VIGIL_ASSIGN_OR_RETURN(auto phrases, report::LoadPhrases(ref->data_dir() + "/report/scenario.tsv"));
  const report::Doc doc = scenario::ComposeScenario(summary, phrases, o.lang);
  if (format == "md") return WriteOutput(o.out, report::RenderMarkdown(doc), g.quiet);
  report::PageSetup page;
  page.title = summary.value("title", std::string("scenario"));
  return WriteOutput(o.out, report::RenderHtml(doc, {}, page), g.quiet);
}

int RunFile(const Globals& g, const ScenarioOptions& o) {
  if (auto s = CheckOutput(o); !s.ok()) return Fail(s);
  std::ifstream in(o.file, std::ios::binary);
  if (!in) return Fail(core::NotFound("cannot read the scenario file " + o.file));
  std::ostringstream text;
  text << in.rdbuf();
  auto st = OpenStore(g);
  if (!st.ok()) return Fail(st.status());
  auto ref = LoadReference(g);
  if (!ref.ok()) return Fail(ref.status());
  // Under mpirun each rank simulates its share of the runs; rank 0 reports
  // and saves.
  const dist::World& world = dist::World::Get();
  std::unique_ptr<scenario::ScenarioStore> saved;
  if (!o.no_save && world.root()) {
    auto ss = scenario::ScenarioStore::Open(ResolveStateDb(g));
    if (!ss.ok()) return Fail(ss.status());
    saved = std::move(*ss);
  }
  scenario::RunRequest req;
  req.text = text.str();
  req.name = o.file;
  if (o.runs > 0) req.runs = o.runs;
  if (o.seed >= 0) req.seed = static_cast<uint64_t>(o.seed);
  req.shard = world.rank();
  req.shards = world.size();
  if (world.distributed())
    req.gather = [&world](scenario::Arm* arm) {
      for (auto* v : arm->Arrays()) world.SumToRoot(v);
    };
  Globals quiet = g;
  quiet.quiet = g.quiet || !world.root();
  Progress bar(quiet, "scenario");
  req.progress = [&](int done, int total) { bar.Update(done, total, done); };
  auto summary = scenario::RunScenario(st->get(), **ref, req);
  bar.Finish();
  if (!summary.ok() && world.distributed()) world.Abort(Fail(summary.status()));
  if (!summary.ok()) return Fail(summary.status());
  if (!world.root()) return 0;
  core::Json j = scenario::SummaryJson(*summary);
  if (saved) {
    auto id = saved->Save(j);
    if (!id.ok()) return Fail(id.status());
    j["id"] = *id;
    if (!g.quiet)
      std::fprintf(stderr, "scenario %lld saved: vigil scenario show %lld; GET /api/v1/scenarios/%lld\n",
                   static_cast<long long>(*id), static_cast<long long>(*id), static_cast<long long>(*id));
  }
  const core::Status w = Write(g, o, j);
  return w.ok() ? 0 : Fail(w);
}

int List(const Globals& g) {
  auto ss = scenario::ScenarioStore::Open(ResolveStateDb(g));
  if (!ss.ok()) return Fail(ss.status());
  auto rows = (*ss)->List();
  if (!rows.ok()) return Fail(rows.status());
  if (rows->empty() && !g.quiet) std::fprintf(stderr, "no scenario stored yet: vigil scenario run FILE.toml\n");
  for (const auto& r : *rows)
    std::printf("%6lld  %s  as of %s  %6d runs  %s\n", static_cast<long long>(r.id), r.created_at.c_str(),
                r.as_of.c_str(), r.runs, r.title.c_str());
  return 0;
}

int Show(const Globals& g, const ScenarioOptions& o) {
  if (auto s = CheckOutput(o); !s.ok()) return Fail(s);
  int64_t id = 0;
  if (!core::ParseInt64(o.id, &id)) return Fail(core::InvalidArgument("a scenario id is a number, not '" + o.id + "'"));
  auto ss = scenario::ScenarioStore::Open(ResolveStateDb(g));
  if (!ss.ok()) return Fail(ss.status());
  auto found = (*ss)->Get(id);
  if (!found.ok()) return Fail(found.status());
  if (!*found) return Fail(core::NotFound("no scenario " + o.id + "; see vigil scenario list"));
  core::Json j = (*found)->result;
  j["id"] = id;
  const core::Status w = Write(g, o, j);
  return w.ok() ? 0 : Fail(w);
}

void OutputFlags(CLI::App* cmd, ScenarioOptions* o) {
  cmd->add_option("--format", o->format, "md, html (one self-contained file) or json; default from --out, else md");
  cmd->add_option("--out", o->out, "file to write (default: standard output)");
  cmd->add_option("--lang", o->lang, "en (default) or fr");
}

}  // namespace

void AddScenario(CLI::App& app, Globals& g, int& rc) {
  auto o = std::make_shared<ScenarioOptions>();
  auto* cmd = app.add_subcommand("scenario", "what-if runs of the fitted model against its baseline");
  cmd->require_subcommand(1);
  auto* run = cmd->add_subcommand("run", "run a scenario file (TOML, docs/scenarios.md) and keep its result");
  run->add_option("file", o->file, "the scenario file")->required();
  run->add_option("--runs", o->runs, "Monte Carlo runs per arm (default: the file's, else 1000)");
  run->add_option("--seed", o->seed, "random seed (default: the file's, else 1)");
  run->add_flag("--no-save", o->no_save, "do not keep the result in the database");
  OutputFlags(run, o.get());
  run->callback([&g, &rc, o] { rc = RunFile(g, *o); });
  auto* list = cmd->add_subcommand("list", "the stored scenario results, newest first");
  list->callback([&g, &rc] { rc = List(g); });
  auto* show = cmd->add_subcommand("show", "a stored scenario result");
  show->add_option("id", o->id, "its id (vigil scenario list)")->required();
  OutputFlags(show, o.get());
  show->callback([&g, &rc, o] { rc = Show(g, *o); });
}

}  // namespace vigil::cli

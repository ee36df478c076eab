#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/event_json.h"
#include "core/strings.h"
#include "ingest/importer.h"
#include "ingest/reports.h"

namespace vigil::cli {

namespace {

struct IngestOptions {
  std::string kind;
  std::vector<std::string> files;
  bool strict = false;
  std::string format = "table";
};

core::Json ReportJson(const ingest::ImportReport& r) {
  core::Json rejected = core::Json::array();
  for (const auto& x : r.rejections) rejected.push_back({{"line", x.line}, {"reason", x.reason}});
  core::Json reasons = core::Json::object();
  for (const auto& [k, v] : r.reasons) reasons[k] = v;
  const auto& s = r.summary;
  return {{"file", r.path},          {"source", r.source},        {"rows_read", s.rows_read},
          {"new", s.rows_new},       {"revised", s.rows_revised}, {"unchanged", s.rows_unchanged},
          {"merged", s.rows_merged}, {"linked", s.rows_linked},   {"rejected", s.rows_rejected},
          {"reasons", reasons},      {"rejections", rejected},    {"seconds", r.seconds}};
}

int RunReports(const Globals& g, const IngestOptions& o, Format fmt) {
  namespace fs = std::filesystem;
  auto st = OpenStore(g);
  if (!st.ok()) return Fail(st.status());
  auto ref = LoadReference(g);
  if (!ref.ok()) return Fail(ref.status());
  ingest::Importer importer(st->get(), *ref);
  std::vector<std::string> files;
  for (const auto& p : o.files) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> in_dir;
      for (const auto& e : fs::directory_iterator(p, ec))
        if (e.is_regular_file() && (e.path().extension() == ".txt" || e.path().extension() == ".md"))
          in_dir.push_back(e.path().string());
      std::sort(in_dir.begin(), in_dir.end());
      files.insert(files.end(), in_dir.begin(), in_dir.end());
    } else {
      files.push_back(p);
    }
  }
  int worst = 0;
  core::Json all = core::Json::array();
  for (const auto& f : files) {
    ingest::ImportOptions opt;
    opt.strict = o.strict;
    auto r = ingest::ImportReportFile(importer, **ref, f, opt);
    if (!r.ok()) {
      worst = std::max(worst, Fail(r.status()));
      continue;
    }
    const auto& s = r->report.summary;
    if (fmt == Format::kJson) {
      all.push_back({{"file", f},
                     {"extracted", r->extracted},
                     {"undated_skipped", r->undated},
                     {"unknown_place_skipped", r->unlocated},
                     {"new", s.rows_new},
                     {"corroborating", s.rows_linked},
                     {"unchanged", s.rows_unchanged},
                     {"revised", s.rows_revised},
                     {"rejected", s.rows_rejected}});
    } else if (!g.quiet) {
      std::printf(
          "%s: %lld events read (%lld undated and %lld at unknown places, not stored): %lld new, %lld "
          "corroborating events already stored, %lld unchanged, %lld revised, %lld rejected\n",
          f.c_str(), static_cast<long long>(r->extracted), static_cast<long long>(r->undated),
          static_cast<long long>(r->unlocated), static_cast<long long>(s.rows_new),
          static_cast<long long>(s.rows_linked), static_cast<long long>(s.rows_unchanged),
          static_cast<long long>(s.rows_revised), static_cast<long long>(s.rows_rejected));
    }
    for (const auto& x : r->report.rejections)
      std::fprintf(stderr, "%s: event %lld: %s\n", f.c_str(), static_cast<long long>(x.line),
                   core::EscapeControl(x.reason).c_str());
    if (s.rows_rejected > 0) worst = std::max(worst, core::ExitCode(core::Code::kPartial));
  }
  if (fmt == Format::kJson) std::printf("%s\n", core::Json{{"files", all}}.dump().c_str());
  return worst;
}

int Run(const Globals& g, const IngestOptions& o) {
  auto fmt = ParseFormat(o.format, {Format::kTable, Format::kJson});
  if (!fmt.ok()) return Fail(fmt.status());
  if (o.kind == "reports") return RunReports(g, o, *fmt);
  auto kind = ingest::ParseSourceKind(o.kind);
  if (!kind.ok()) return Fail(kind.status());
  auto st = OpenStore(g);
  if (!st.ok()) return Fail(st.status());
  auto ref = LoadReference(g);
  if (!ref.ok()) return Fail(ref.status());
  ingest::Importer importer(st->get(), *ref);
  int worst = 0;
  core::Json all = core::Json::array();
  for (const auto& file : o.files) {
    Progress progress(g, file);
    ingest::ImportOptions opt;
    opt.strict = o.strict;
    opt.progress = [&](int64_t done, int64_t total, int64_t rows) { progress.Update(done, total, rows); };
    auto r = importer.ImportFile(*kind, file, opt);
    progress.Finish();
    if (!r.ok()) {
      worst = std::max(worst, Fail(r.status()));
      if (*fmt == Format::kJson)
        all.push_back({{"file", file}, {"error", r.status().message()}, {"code", core::CodeName(r.status().code())}});
      continue;
    }
    const auto& s = r->summary;
    if (*fmt == Format::kJson) {
      all.push_back(ReportJson(*r));
    } else if (!g.quiet) {
      std::printf(
          "%s: %lld rows read: %lld new, %lld revised, %lld unchanged, %lld merged into multi-row events, "
          "%lld linked to other sources, %lld rejected (%.2f s)\n",
          file.c_str(), static_cast<long long>(s.rows_read), static_cast<long long>(s.rows_new),
          static_cast<long long>(s.rows_revised), static_cast<long long>(s.rows_unchanged),
          static_cast<long long>(s.rows_merged), static_cast<long long>(s.rows_linked),
          static_cast<long long>(s.rows_rejected), r->seconds);
    }
    if (s.rows_rejected > 0) {
      constexpr size_t kShow = 20;
      for (size_t i = 0; i < r->rejections.size() && i < kShow; ++i)
        std::fprintf(stderr, "%s:%lld: %s\n", file.c_str(), static_cast<long long>(r->rejections[i].line),
                     core::EscapeControl(r->rejections[i].reason).c_str());
      if (s.rows_rejected > static_cast<int64_t>(kShow))
        std::fprintf(stderr, "... and %lld more rejected rows\n", static_cast<long long>(s.rows_rejected - kShow));
      std::fprintf(stderr, "%s: imported the good rows; %lld rejected by reason:\n", file.c_str(),
                   static_cast<long long>(s.rows_rejected));
      for (const auto& [reason, n] : r->reasons)
        std::fprintf(stderr, "  %6lld  %s\n", static_cast<long long>(n), core::EscapeControl(reason).c_str());
      std::fprintf(stderr,
                   "fix those rows and import the file again (unchanged rows are skipped), or use --strict "
                   "to import nothing from a file with bad rows\n");
      worst = std::max(worst, core::ExitCode(core::Code::kPartial));
    }
  }
  if (*fmt == Format::kJson) std::printf("%s\n", core::Json{{"files", all}}.dump().c_str());
  return worst;
}

}  // namespace

void AddIngest(CLI::App& app, Globals& g, int& rc) {
  auto o = std::make_shared<IngestOptions>();
  auto* cmd = app.add_subcommand("ingest",
                                 "import event datasets (ACLED CSV, UCDP GED CSV, vigil JSON Lines) or reports (text)");
  cmd->add_option("kind", o->kind, "acled, ucdp, jsonl or reports")
      ->required()
      ->check(CLI::IsMember({"acled", "ucdp", "jsonl", "reports"}));
  cmd->add_option("files", o->files, "files to import, each in one transaction (reports: files or folders of .txt/.md)")
      ->required();
  cmd->add_flag("--strict", o->strict, "reject a whole file at its first bad row");
  cmd->add_option("--format", o->format, "table or json");
  cmd->callback([&g, &rc, o] { rc = Run(g, *o); });
}

}  // namespace vigil::cli

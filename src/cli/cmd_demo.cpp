#include <cstdio>
#include <filesystem>
#include <map>

#include "cli/commands.h"
#include "cli/output.h"
#include "ingest/importer.h"
#include "ingest/setup.h"

namespace vigil::cli {

namespace fs = std::filesystem;

namespace {

int Run(Globals g, const std::string& dir) {
  auto data = ResolveDataDir(g);
  if (!data.ok()) return Fail(data.status());
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Fail(core::IoError("cannot create " + dir + ": " + ec.message()));
  const std::string db = dir + "/vigil.db";
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix, ec);
  g.db = db;
  std::printf("vigil demo: a fresh database at %s\n", db.c_str());
  auto ref = geo::Reference::Load(*data);
  if (!ref.ok()) return Fail(ref.status());
  auto st = store::EventStore::Open(db, true);
  if (!st.ok()) return Fail(st.status());
  auto init = ingest::InitDatabase(st->get(), **ref);
  if (!init.ok()) return Fail(init.status());
  std::printf("reference data: %lld places, %lld admin units, %lld PRIO-GRID cells\n",
              static_cast<long long>(init->places), static_cast<long long>(init->admin_units),
              static_cast<long long>(init->grid_cells));
  ingest::Importer importer(st->get(), *ref);
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(*data + "/events"))
    if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto r = importer.ImportFile(ingest::SourceKind::kJsonl, f.string(), {});
    if (!r.ok()) return Fail(r.status());
    std::printf("imported %s: %lld events (%lld rejected)\n", f.filename().c_str(),
                static_cast<long long>(r->summary.rows_new + r->summary.rows_linked),
                static_cast<long long>(r->summary.rows_rejected));
  }
  auto rows = (*st)->Stats({});
  if (!rows.ok()) return Fail(rows.status());
  struct Agg { int64_t events = 0, fatalities = 0; std::string first, last; };
  std::map<std::string, Agg> by_region;
  for (const auto& r : *rows) {
    auto& a = by_region[r.admin1.empty() ? "(no region)" : r.admin1];
    a.events += r.events;
    a.fatalities += r.fatalities;
    if (a.first.empty() || r.period < a.first) a.first = r.period;
    if (r.period > a.last) a.last = r.period;
  }
  std::printf("\nEvents by region (bundled events from the seed reports, 2024-2025)\n");
  std::printf("%s %7s %11s  %s\n", Cell("region", 16).c_str(), "events", "fatalities", "months");
  for (const auto& [region, a] : by_region)
    std::printf("%s %7lld %11lld  %s .. %s\n", Cell(region, 16).c_str(), static_cast<long long>(a.events),
                static_cast<long long>(a.fatalities), a.first.c_str(), a.last.c_str());
  std::printf("\nLatest events\n");
  store::EventFilter latest;
  latest.limit = 12;
  auto writer = MakeEventWriter(Format::kTable, stdout);
  auto s = (*st)->ForEachEvent(latest, [&](const core::Event& e) { writer->Write(e); return true; });
  writer->End();
  if (!s.ok()) return Fail(s);
  std::printf("\nTry: vigil --db %s events --admin1 Kayes\n     vigil --db %s stats\n     vigil geocode Farabougou "
              "--admin1 Ségou\n", db.c_str(), db.c_str());
  return 0;
}

}  // namespace

void AddDemo(CLI::App& app, Globals& g, int& rc) {
  auto dir = std::make_shared<std::string>("demo");
  auto* cmd = app.add_subcommand("demo", "the main job on bundled data: fresh database, reference data, events, summary");
  cmd->add_option("--dir", *dir, "folder for the demo database (default ./demo)");
  cmd->callback([&g, &rc, dir] { rc = Run(g, *dir); });
}

}  // namespace vigil::cli

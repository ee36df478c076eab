#include "cli/context.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cli/output.h"
#include "core/event.h"
#include "core/strings.h"

#ifndef VIGIL_SOURCE_DATA_DIR
#define VIGIL_SOURCE_DATA_DIR ""
#endif
#ifndef VIGIL_INSTALL_DATA_DIR
#define VIGIL_INSTALL_DATA_DIR ""
#endif

namespace vigil::cli {

namespace fs = std::filesystem;

std::string ResolveDb(const Globals& g) {
  if (!g.db.empty()) return g.db;
  if (const char* env = std::getenv("VIGIL_DB"); env && *env) return env;
  return "vigil.db";
}

std::string ResolveStateDb(const Globals& g) {
  if (!g.state_db.empty()) return g.state_db;
  if (const char* env = std::getenv("VIGIL_STATE_DB"); env && *env) return env;
  return ResolveDb(g);
}

core::Result<std::string> ResolveDataDir(const Globals& g) {
  auto valid = [](const fs::path& p) { return fs::exists(p / "gazetteer" / "geonames_ML.csv"); };
  if (!g.data_dir.empty()) {
    if (valid(g.data_dir)) return g.data_dir;
    return core::NotFound("--data-dir " + g.data_dir +
                          " does not hold vigil's reference data (gazetteer/geonames_ML.csv)");
  }
  if (const char* env = std::getenv("VIGIL_DATA"); env && *env) {
    if (valid(env)) return std::string(env);
    return core::NotFound("$VIGIL_DATA=" + std::string(env) + " does not hold vigil's reference data");
  }
  std::vector<fs::path> tried;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path dir = exe.parent_path();
    tried = {dir / ".." / "share" / "vigil" / "data", dir / ".." / ".." / ".." / "data", dir / "data"};
  }
  tried.emplace_back(VIGIL_INSTALL_DATA_DIR);
  tried.emplace_back(VIGIL_SOURCE_DATA_DIR);
  for (const auto& p : tried)
    if (!p.empty() && valid(p)) return fs::weakly_canonical(p).string();
  return core::NotFound("cannot find vigil's reference data; pass --data-dir DIR or set $VIGIL_DATA");
}

core::Result<std::string> ResolveWebDir(const std::string& flag) {
  auto valid = [](const fs::path& p) { return fs::exists(p / "index.html"); };
  auto ready = [](const fs::path& p) { return fs::exists(p / "node_modules" / "leaflet" / "dist" / "leaflet.js"); };
  std::vector<fs::path> tried;
  if (!flag.empty())
    tried.emplace_back(flag);
  else if (const char* env = std::getenv("VIGIL_WEB"); env && *env)
    tried.emplace_back(env);
  else {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec)
      tried = {exe.parent_path() / ".." / "share" / "vigil" / "web", exe.parent_path() / ".." / ".." / ".." / "web"};
    tried.emplace_back(VIGIL_SOURCE_WEB_DIR);
  }
  for (const auto& p : tried) {
    if (p.empty() || !valid(p)) continue;
    if (!ready(p))
      return core::NotFound("the dashboard at " + p.string() +
                            " has no front-end packages; run 'make web' (npm ci in web/) or pass --no-dashboard");
    return fs::weakly_canonical(p).string();
  }
  return core::NotFound("cannot find the dashboard (web/index.html); pass --web-dir DIR or --no-dashboard");
}

core::Result<std::unique_ptr<store::EventStore>> OpenStore(const Globals& g) {
  VIGIL_ASSIGN_OR_RETURN(auto st, store::EventStore::Open(ResolveDb(g), /*create=*/false));
  VIGIL_RETURN_IF_ERROR(st->CheckCurrent());
  return st;
}

core::Result<std::unique_ptr<TableWords>> OpenTableWords(const Globals& g, const std::string& lang) {
  VIGIL_RETURN_IF_ERROR(CheckLang(lang));
  auto words = std::make_unique<TableWords>();
  if (lang == "en") return words;
  VIGIL_ASSIGN_OR_RETURN(std::string dir, ResolveDataDir(g));
  VIGIL_ASSIGN_OR_RETURN(words->phrases, LoadTableWords(dir));
  words->writer = std::make_unique<report::Writer>(words->phrases, lang);
  return words;
}

core::Result<std::shared_ptr<const geo::Reference>> LoadReference(const Globals& g) {
  VIGIL_ASSIGN_OR_RETURN(std::string dir, ResolveDataDir(g));
  return geo::Reference::Load(dir);
}

int Fail(const core::Status& s) {
  std::fprintf(stderr, "vigil: %s\n", core::EscapeControl(s.message()).c_str());
  return core::ExitCode(s.code());
}

Progress::Progress(const Globals& g, std::string label)
    : enabled_(!g.quiet && isatty(STDERR_FILENO)), label_(std::move(label)) {}

Progress::~Progress() { Finish(); }

void Progress::Update(int64_t done, int64_t total, int64_t rows) {
  if (!enabled_ || total <= 0) return;
  const double frac = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
  const int width = 30, filled = static_cast<int>(frac * width);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(width - filled), '.');
  std::fprintf(stderr, "\r%s [%s] %3.0f%% %lld rows", label_.c_str(), bar.c_str(), frac * 100,
               static_cast<long long>(rows));
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Status(const std::string& text) {
  if (!enabled_) return;
  std::fprintf(stderr, "\r%s: %s\x1b[K", label_.c_str(), text.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Finish() {
  if (drawn_) std::fprintf(stderr, "\n");
  drawn_ = false;
}

core::Result<std::pair<double, double>> ParseLatLon(const std::string& s) {
  auto parts = core::Split(s, ',');
  double lat = 0, lon = 0;
  if (parts.size() != 2 || !core::ParseDouble(parts[0], &lat) || !core::ParseDouble(parts[1], &lon))
    return core::InvalidArgument("expected LAT,LON (e.g. 14.45,-11.44), got '" + s + "'");
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180)
    return core::InvalidArgument("coordinates out of range in '" + s + "' (latitude -90..90, longitude -180..180)");
  return std::make_pair(lat, lon);
}

}  // namespace vigil::cli

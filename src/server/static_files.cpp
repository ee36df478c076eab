#include "server/static_files.h"

#include <sys/stat.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/strings.h"

namespace vigil::server {

namespace {

constexpr off_t kMaxFileBytes = 32 << 20;

bool SafeRelative(const std::string& rel) {
  if (rel.find('\0') != std::string::npos || rel.find('\\') != std::string::npos) return false;
  for (auto seg : core::Split(rel, '/'))
    if (seg == ".." || seg == ".") return false;
  return true;
}

std::string RealPath(const std::string& p) {
  char buf[PATH_MAX];
  return ::realpath(p.c_str(), buf) ? std::string(buf) : std::string();
}

}  // namespace

const char* MimeType(const std::string& path) {
  static const std::pair<const char*, const char*> kTypes[] = {{".html", "text/html; charset=utf-8"},
                                                               {".js", "text/javascript; charset=utf-8"},
                                                               {".mjs", "text/javascript; charset=utf-8"},
                                                               {".css", "text/css; charset=utf-8"},
                                                               {".json", "application/json"},
                                                               {".geojson", "application/json"},
                                                               {".png", "image/png"},
                                                               {".svg", "image/svg+xml"},
                                                               {".ico", "image/x-icon"},
                                                               {".woff2", "font/woff2"},
                                                               {".txt", "text/plain; charset=utf-8"},
                                                               {".map", "application/json"}};
  for (const auto& [ext, type] : kTypes) {
    const size_t n = std::char_traits<char>::length(ext);
    if (path.size() >= n && path.compare(path.size() - n, n, ext) == 0) return type;
  }
  return "application/octet-stream";
}

void StaticFiles::Mount(const std::string& prefix, const std::string& folder, const std::string& cache_control) {
  mounts_.push_back({prefix, RealPath(folder), cache_control});
  std::sort(mounts_.begin(), mounts_.end(),
            [](const MountPoint& a, const MountPoint& b) { return a.prefix.size() > b.prefix.size(); });
}

bool StaticFiles::Serve(const Request& req, Response* res) const {
  if (req.method != "GET" && req.method != "HEAD") return false;
  for (const auto& m : mounts_) {
    if (m.folder.empty() || !core::StartsWith(req.path, m.prefix)) continue;
    std::string rel = req.path.substr(m.prefix.size());
    if (!SafeRelative(rel)) return false;
    if (rel.empty() || rel.back() == '/') rel += "index.html";
    const std::string full = RealPath(m.folder + "/" + rel);
    // Inside the folder after symbolic links are followed, or not at all.
    if (full.empty() || !core::StartsWith(full, m.folder + "/")) continue;
    struct stat sb {};
    if (::stat(full.c_str(), &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > kMaxFileBytes) continue;
    std::ifstream in(full, std::ios::binary);
    if (!in) continue;
    std::ostringstream buf;
    buf << in.rdbuf();
    res->status = 200;
    res->set_content(buf.str(), MimeType(full));
    res->set_header("Cache-Control", m.cache_control);
    return true;
  }
  return false;
}

}  // namespace vigil::server

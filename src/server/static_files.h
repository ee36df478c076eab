// vigil::server — the dashboard's files, served from folders on disk.
// A mount maps a URL prefix to a folder ("/" -> web/, "/vendor/" ->
// web/node_modules/). Paths are resolved inside their folder only: ".."
// segments, NUL bytes, backslashes and symbolic links that lead outside are
// refused (404, the same answer as a missing file, so nothing is revealed).
//
// Thread-safety: Mount() before serving; Serve() from any thread.
#pragma once

#include <string>
#include <vector>

#include "server/http_message.h"

namespace vigil::server {

class StaticFiles {
 public:
  // Maps `prefix` (starting and ending with '/') to `folder`. Longer
  // prefixes are tried first. `cache_control` goes on every file served.
  void Mount(const std::string& prefix, const std::string& folder, const std::string& cache_control);
  bool empty() const { return mounts_.empty(); }
  // Serves req.path (GET or HEAD) into *res: 200 with the file, true; false
  // when no mount has such a file (the caller answers 404).
  bool Serve(const Request& req, Response* res) const;

 private:
  struct MountPoint {
    std::string prefix, folder, cache_control;
  };
  std::vector<MountPoint> mounts_;
};

// Content type by file extension ("application/octet-stream" if unknown).
const char* MimeType(const std::string& path);

}  // namespace vigil::server

#include "server/compress.h"

#include <zlib.h>

#include <cstdlib>

#include "core/strings.h"

namespace vigil::server {
namespace {

constexpr size_t kMinBytes = 1024;

bool Compressible(const std::string& type) {
  for (const char* t : {"application/json", "application/geo+json", "application/problem+json", "text/",
                        "application/javascript", "application/xml", "application/schema+json", "image/svg+xml"})
    if (core::StartsWith(type, t)) return true;
  return false;
}

}  // namespace

bool AcceptsGzip(std::string_view accept_encoding) {
  bool star = false, gzip = false, gzip_refused = false;
  for (auto part : core::Split(accept_encoding, ',')) {
    std::string_view item = core::Trim(part);
    std::string_view coding = core::Trim(item.substr(0, item.find(';')));
    double q = 1;
    if (auto at = item.find("q="); at != std::string_view::npos)
      q = std::atof(std::string(item.substr(at + 2)).c_str());
    std::string lower(coding);
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (lower == "gzip" || lower == "x-gzip") (q > 0 ? gzip : gzip_refused) = true;
    if (lower == "*" && q > 0) star = true;
  }
  return gzip || (star && !gzip_refused);
}

core::Result<std::string> Gzip(std::string_view data, int level) {
  z_stream z{};
  // 15 window bits + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return core::Internal("gzip: deflateInit2 failed");
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return core::Internal("gzip: deflate did not finish");
  return out;
}

void MaybeCompress(const Request& req, Response* res) {
  if (res->body.size() < kMinBytes || res->headers.count("Content-Encoding") || res->headers.count("Content-Range"))
    return;
  auto type = res->headers.find("Content-Type");
  if (type == res->headers.end() || !Compressible(type->second)) return;
  res->set_header("Vary", "Accept-Encoding");  // caches keep both forms apart
  if (!AcceptsGzip(req.get_header_value("Accept-Encoding"))) return;
  auto z = Gzip(res->body);
  if (!z.ok() || z->size() >= res->body.size()) return;
  res->body = std::move(*z);
  res->set_header("Content-Encoding", "gzip");
}

}  // namespace vigil::server

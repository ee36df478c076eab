// vigil::server — gzip for responses on slow links (a field connection
// takes seconds per megabyte): JSON, GeoJSON, CSV, HTML, JavaScript and
// CSS bodies of 1 KiB or more are sent gzip-encoded to a client whose
// Accept-Encoding allows it; other bodies (PNG, already compressed) as
// they are. Uses zlib (Debian zlib1g).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "server/http_message.h"

namespace vigil::server {

// True when an Accept-Encoding value allows gzip ("gzip", "gzip;q=0.5",
// "*"), false when absent or refused ("gzip;q=0", "identity").
bool AcceptsGzip(std::string_view accept_encoding);

// The gzip (RFC 1952) form of `data` at zlib level `level` (1-9).
core::Result<std::string> Gzip(std::string_view data, int level = 6);

// Compresses `res` in place when `req` allows it and the body is worth it;
// sets Content-Encoding and Vary. Leaves `res` as it was on any failure.
void MaybeCompress(const Request& req, Response* res);

}  // namespace vigil::server

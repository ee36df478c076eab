// vigil::server — HTTP revalidation for the data a map shows again and
// again (RFC 9110 §8.8.3, §13.1.2; RFC 9111 §5.2.2): boundaries, forecasts,
// events, statistics, regions, roads and signals get a weak ETag made from
// their body, and "Cache-Control: private, no-cache" (the browser keeps
// them and asks before reuse; no shared cache stores them: every answer
// depends on who asks). A request whose If-None-Match names the current
// tag gets 304 Not Modified and no body. Accounts, sessions, alerts,
// reports and the audit log stay "no-store".
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "server/http_message.h"

namespace vigil::server {

// True for the paths whose GET answers are revalidated (see above).
bool Revalidated(std::string_view path);

// The weak entity tag of a body and its content type: W/"<16 hex digits>".
std::string WeakEtag(std::string_view content_type, std::string_view body);

// True when an If-None-Match value ("*", or a list of tags, weak or not)
// matches `etag` under the weak comparison.
bool NoneMatchHits(std::string_view if_none_match, std::string_view etag);

// Tags `res` (a 200 answer to a GET of a revalidated path) and turns it
// into a 304 when `req` already holds that version. Leaves others alone.
void MaybeRevalidate(const Request& req, Response* res);

}  // namespace vigil::server

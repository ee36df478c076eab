// vigil::core — percent-encoding (RFC 3986) and query strings
// (application/x-www-form-urlencoded, as browsers and SMS gateways send).
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil::core {

// Decoded name-value pairs in their order (a name may repeat).
using QueryParams = std::multimap<std::string, std::string>;

// Decodes %XX escapes (and '+' as a space when `plus_is_space`).
// Fails with kInvalidArgument on a truncated or non-hex escape.
core::Result<std::string> PercentDecode(std::string_view s, bool plus_is_space);

// Parses "a=1&b=x%20y" into decoded pairs; a name without '=' gets "".
// Fails with kInvalidArgument on a bad escape, or when there are more than
// `max_pairs` pairs.
core::Result<QueryParams> ParseQuery(std::string_view query, size_t max_pairs = 256);

// Encodes everything but unreserved characters (A-Z a-z 0-9 - . _ ~).
std::string PercentEncode(std::string_view s);

}  // namespace vigil::core

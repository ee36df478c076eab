// vigil::core — JSON from outside: HTTP bodies, JSON Lines rows, gold files,
// configuration. nlohmann's parser itself is iterative, but copying, dumping
// and comparing a parsed value recurse once per level, so a body nested
// 100,000 deep would overflow the stack later. Every parse of untrusted text
// goes through ParseJson, which refuses such input before building anything.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/event_json.h"
#include "core/status.h"

namespace vigil::core {

struct JsonLimits {
  size_t max_depth = 64;  // arrays and objects nested at most this deep
  size_t max_bytes = 0;   // 0: no size limit here (callers bound the input)
};

// Parses `text` as one JSON value.
// Fails with kTooLarge when it is longer than max_bytes, kInvalidArgument
// when nested deeper than max_depth, kParse for invalid JSON (the message
// gives the byte offset). Nothing is allocated for refused text.
Result<Json> ParseJson(std::string_view text, const JsonLimits& limits = {});

// The deepest nesting of arrays and objects in `text`, scanning no further
// than the point where it exceeds `limit` (then returns limit + 1). Brackets
// inside strings do not count. Linear time, no allocation.
size_t JsonNestingDepth(std::string_view text, size_t limit);

}  // namespace vigil::core

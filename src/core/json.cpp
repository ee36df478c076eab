#include "core/json.h"

#include <string>

namespace vigil::core {

size_t JsonNestingDepth(std::string_view text, size_t limit) {
  size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return limit + 1;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

Result<Json> ParseJson(std::string_view text, const JsonLimits& limits) {
  if (limits.max_bytes > 0 && text.size() > limits.max_bytes)
    return TooLarge("the JSON text has " + std::to_string(text.size()) + " bytes; at most " +
                    std::to_string(limits.max_bytes) + " are accepted");
  if (JsonNestingDepth(text, limits.max_depth) > limits.max_depth)
    return InvalidArgument("the JSON is nested more than " + std::to_string(limits.max_depth) +
                           " levels deep; flatten it (vigil's formats need fewer than 10)");
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    // what() is "[json.exception.parse_error.101] parse error at line 1, ...": keep the part after the tag.
    std::string what = e.what();
    if (const size_t tag = what.find("] "); tag != std::string::npos) what = what.substr(tag + 2);
    return ParseError("not valid JSON at byte " + std::to_string(e.byte) + " (" + what + ")");
  } catch (const Json::exception& e) {
    // out_of_range: a number past what a double holds (1e400), and the like.
    std::string what = e.what();
    if (const size_t tag = what.find("] "); tag != std::string::npos) what = what.substr(tag + 2);
    return ParseError("not valid JSON (" + what + ")");
  }
}

}  // namespace vigil::core

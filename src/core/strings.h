// vigil::core — small string helpers (ASCII only; Unicode folding lives in
// geo/normalize.h, which uses ICU).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::core {

// ASCII white space (what std::isspace accepts in the C locale), inline:
// every field of every imported row is trimmed.
inline bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
inline std::string_view Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}
std::string AsciiLower(std::string_view s);
std::vector<std::string_view> Split(std::string_view s, char sep);
bool StartsWith(std::string_view s, std::string_view prefix);
// True when `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view s);
// `s` made safe for a terminal or a log line: C0 and C1 control characters
// (escape sequences, carriage returns, bells), DEL, bidirectional overrides
// (which reorder what is shown) and bytes of invalid UTF-8 are written as
// \xNN or \u{NNNN}; everything else is kept. Newlines too are escaped, so
// one value stays on one line.
std::string EscapeControl(std::string_view s);
// The longest prefix of `s` of at most `max_bytes` bytes that does not end
// inside a UTF-8 sequence.
std::string_view TruncateUtf8(std::string_view s, size_t max_bytes);
// Heuristic for binary data: NUL bytes or a high share of control bytes.
bool LooksBinary(std::string_view s);
// 64-bit FNV-1a; stable across runs and platforms (stored in the database).
uint64_t Fnv1a64(std::string_view s);
// XXH3, 64 bits: the row hash of databases created since schema 6 (about
// 50 times faster than FNV-1a on long rows).
uint64_t Xxh3(std::string_view s);
// Parses a decimal number; false on junk, trailing characters or overflow.
bool ParseDouble(std::string_view s, double* out);
bool ParseInt64(std::string_view s, int64_t* out);

}  // namespace vigil::core

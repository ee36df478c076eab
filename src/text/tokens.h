// vigil::text — pass 1 of the extractor: tokens with byte offsets, and
// sentences as token ranges.
//
// A token is a word (letters, digits, inner apostrophes and hyphens), or one
// punctuation character. French elisions are split ("d'Inates" -> "d'",
// "Inates"); possessives are stripped ("Mali's" -> "Mali"). `folded` is
// geo::FoldName of the text: no accents, lower case.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::text {

struct Token {
  size_t begin = 0, end = 0;  // byte offsets
  std::string text, folded;
  bool capitalised = false, number = false, punct = false;
};

std::vector<Token> Tokenise(std::string_view s);

// Sentences as half-open token ranges: split after . ! ? before a
// capitalised word and at line ends; a bulleted line is one sentence.
using Span = std::pair<size_t, size_t>;
std::vector<Span> Sentences(std::string_view s, const std::vector<Token>& toks);

// Number of code points in the first `bytes` bytes of s.
int64_t CodePoints(std::string_view s, size_t bytes);

// Byte offset -> code point offset, for offsets that mostly move forward, so
// the whole text is counted about once.
class CodePointCursor {
 public:
  explicit CodePointCursor(std::string_view s) : s_(s) {}
  int64_t At(size_t bytes);

 private:
  std::string_view s_;
  size_t byte_ = 0;
  int64_t cp_ = 0;
};

// The integer a token spells ("12", "1er", "3rd"), or 0 when it is not one
// in [lo, hi].
int TokenNumber(const Token& t, int lo, int hi);

}  // namespace vigil::text

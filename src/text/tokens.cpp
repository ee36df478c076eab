#include "text/tokens.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "core/strings.h"
#include "geo/normalize.h"

namespace vigil::text {

namespace {

bool IsWordByte(unsigned char c) { return std::isalnum(c) || c >= 0x80 || c == '\'' || c == '-'; }

// Length in bytes of an elided French article or pronoun at the start of a
// word (l', d', j', n', s', c', m', t', qu', with ' or U+2019), else 0.
size_t ElisionLength(const std::string& w) {
  size_t p = 0;
  if (w.size() > 2 && (w[0] == 'q' || w[0] == 'Q') && (w[1] == 'u' || w[1] == 'U'))
    p = 2;
  else if (!w.empty() && std::strchr("lLdDjJnsScCmMtT", w[0]) != nullptr)  // N' starts names: N'Gourma
    p = 1;
  else
    return 0;
  if (w.compare(p, 1, "'") == 0) return p + 1 < w.size() ? p + 1 : 0;
  if (w.compare(p, 3, "\xE2\x80\x99") == 0) return p + 3 < w.size() ? p + 3 : 0;
  return 0;
}

}  // namespace

std::vector<Token> Tokenise(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isspace(c)) {
      ++i;
      continue;
    }
    Token t;
    t.begin = i;
    const bool dash = s.compare(i, 3, "\xE2\x80\x94") == 0 || s.compare(i, 3, "\xE2\x80\x93") == 0;
    if (IsWordByte(c) && c != '\'' && c != '-' && !dash) {
      while (i < s.size() && IsWordByte(static_cast<unsigned char>(s[i]))) {
        // Stop at a curly apostrophe's possessive ("Mali’s") or a dash run.
        if (s.compare(i, 3, "\xE2\x80\x94") == 0 || s.compare(i, 3, "\xE2\x80\x93") == 0) break;
        ++i;
      }
    } else {
      i += c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      t.punct = true;
    }
    t.end = std::min(i, s.size());
    t.text = std::string(s.substr(t.begin, t.end - t.begin));
    // Strip possessives and trailing hyphens.
    for (std::string_view suf : {"\xE2\x80\x99s", "'s"})
      if (t.text.size() > suf.size() && t.text.compare(t.text.size() - suf.size(), suf.size(), suf) == 0) {
        t.text.resize(t.text.size() - suf.size());
        t.end -= suf.size();
      }
    while (!t.text.empty() && (t.text.back() == '-' || t.text.back() == '\'')) t.text.pop_back(), --t.end;
    if (t.text.empty()) {
      i = std::max(i, t.begin + 1);
      continue;
    }
    t.folded = geo::FoldName(t.text);
    const unsigned char f = static_cast<unsigned char>(t.text[0]);
    t.capitalised = std::isupper(f) || (f >= 0xC3 && t.text.size() > 1 && geo::FoldName(t.text) != t.text &&
                                        std::string(t.text) != core::AsciiLower(t.text) && !std::islower(f));
    t.number =
        std::all_of(t.text.begin(), t.text.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
    // French elision: "d'Inates", "l'attaque", "qu'elle" are two words.
    const size_t cut = ElisionLength(t.text);
    if (cut > 0 && cut < t.text.size()) {
      Token head = t;
      head.end = t.begin + cut;
      head.text = t.text.substr(0, cut);
      head.folded = geo::FoldName(head.text);
      head.capitalised = false;
      head.number = false;
      t.begin += cut;
      t.text.erase(0, cut);
      t.folded = geo::FoldName(t.text);
      const unsigned char f2 = static_cast<unsigned char>(t.text[0]);
      t.capitalised = std::isupper(f2) ||
                      (f2 >= 0xC3 && t.text.size() > 1 && !std::islower(f2) && t.text != core::AsciiLower(t.text));
      out.push_back(std::move(head));
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<Span> Sentences(std::string_view s, const std::vector<Token>& toks) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t start = 0;
  for (size_t i = 0; i < toks.size(); ++i) {
    bool split = false;
    if (i + 1 < toks.size()) {
      const auto gap = s.substr(toks[i].end, toks[i + 1].begin - toks[i].end);
      if (gap.find('\n') != std::string_view::npos) split = true;
      const bool upper_next = toks[i + 1].capitalised || std::isupper(static_cast<unsigned char>(toks[i + 1].text[0]));
      if ((toks[i].text == "." || toks[i].text == "!" || toks[i].text == "?") && upper_next) split = true;
    } else {
      split = true;
    }
    if (split) {
      out.emplace_back(start, i + 1);
      start = i + 1;
    }
  }
  return out;
}

int64_t CodePoints(std::string_view s, size_t bytes) {
  int64_t n = 0;
  for (size_t i = 0; i < bytes && i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  return n;
}

int64_t CodePointCursor::At(size_t bytes) {
  if (bytes < byte_) {
    byte_ = 0;
    cp_ = 0;
  }
  cp_ += CodePoints(s_.substr(byte_), bytes - byte_);
  byte_ = bytes;
  return cp_;
}

int TokenNumber(const Token& t, int lo, int hi) {
  std::string w = t.folded;
  for (std::string_view suf : {"er", "st", "nd", "rd", "th"})
    if (w.size() > suf.size() && w.compare(w.size() - suf.size(), suf.size(), suf) == 0) {
      w.resize(w.size() - suf.size());
      break;
    }
  int64_t v = 0;
  if (!core::ParseInt64(w, &v) || v < lo || v > hi) return 0;
  return static_cast<int>(v);
}

}  // namespace vigil::text

#include "geo/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <vector>

namespace vigil::geo {

namespace {

void AppendFoldedAscii(char c, std::string* out) {
  if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
    out->push_back(c);
  } else if (c == '\'' || c == '`') {
    // dropped: "Jama'at" == "Jamaat"
  } else if (!out->empty() && out->back() != ' ') {
    out->push_back(' ');
  }
}

std::string FoldIcu(std::string_view utf8) {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(err);
  icu::UnicodeString src =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::UnicodeString decomposed = U_SUCCESS(err) ? nfd->normalize(src, err) : src;
  if (U_FAILURE(err)) decomposed = src;
  std::string out;
  out.reserve(utf8.size());
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    if (c < 0x80) {
      AppendFoldedAscii(static_cast<char>(c), &out);
      continue;
    }
    switch (c) {
      case 0x2019:
      case 0x2018:
      case 0x02BC:
      case 0x02BB:
      case 0x2032:
        continue;  // apostrophes
      case 0x0254:
      case 0x0186:
        out += 'o';
        continue;  // ɔ Ɔ
      case 0x025B:
      case 0x0190:
        out += 'e';
        continue;  // ɛ Ɛ
      case 0x0272:
      case 0x019D:
        out += "ny";
        continue;  // ɲ Ɲ
      case 0x014B:
      case 0x014A:
        out += "ng";
        continue;  // ŋ Ŋ
      case 0x00DF:
        out += "ss";
        continue;
      case 0x00E6:
      case 0x00C6:
        out += "ae";
        continue;
      case 0x0153:
      case 0x0152:
        out += "oe";
        continue;
      case 0x00F8:
      case 0x00D8:
        out += 'o';
        continue;
      case 0x0111:
      case 0x0110:
        out += 'd';
        continue;
      case 0x0142:
      case 0x0141:
        out += 'l';
        continue;
      default:
        break;
    }
    if (u_isalnum(c)) {
      icu::UnicodeString one(u_foldCase(c, U_FOLD_CASE_DEFAULT));
      std::string utf;
      one.toUTF8String(utf);
      out += utf;
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

std::string FoldName(std::string_view utf8) {
  const bool ascii = std::all_of(utf8.begin(), utf8.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (!ascii) return FoldIcu(utf8);
  std::string out;
  out.reserve(utf8.size());
  for (char c : utf8) AppendFoldedAscii(c, &out);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string SpellingKey(std::string_view folded) {
  std::string s;
  s.reserve(folded.size());
  for (char c : folded)
    if (c != ' ' && c != '-' && c != '\'') s.push_back(c == 'y' ? 'i' : c);
  static const std::pair<std::string_view, std::string_view> kFolds[] = {
      {"tch", "ch"}, {"dj", "j"}, {"ou", "u"}, {"kh", "k"}, {"ph", "f"}};
  for (const auto& [from, to] : kFolds)
    for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
      s.replace(p, from.size(), to);
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (out.empty() || out.back() != c) out.push_back(c);
  if (out.size() > 3 && out.back() == 'e') out.pop_back();
  return out;
}

int EditDistance(std::string_view a, std::string_view b, int cap) {
  const int la = static_cast<int>(a.size()), lb = static_cast<int>(b.size());
  if (std::abs(la - lb) > cap) return cap + 1;
  std::vector<int> prev(static_cast<size_t>(lb) + 1), cur(static_cast<size_t>(lb) + 1);
  for (int j = 0; j <= lb; ++j) prev[static_cast<size_t>(j)] = j;
  for (int i = 1; i <= la; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= lb; ++j) {
      const int cost = a[static_cast<size_t>(i - 1)] == b[static_cast<size_t>(j - 1)] ? 0 : 1;
      cur[static_cast<size_t>(j)] = std::min({prev[static_cast<size_t>(j)] + 1, cur[static_cast<size_t>(j - 1)] + 1,
                                              prev[static_cast<size_t>(j - 1)] + cost});
      row_min = std::min(row_min, cur[static_cast<size_t>(j)]);
    }
    if (row_min > cap) return cap + 1;
    std::swap(prev, cur);
  }
  return std::min(prev[static_cast<size_t>(lb)], cap + 1);
}

}  // namespace vigil::geo

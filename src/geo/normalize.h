// vigil::geo — name folding for matching place (and actor) names.
//
// FoldName makes spellings that people treat as the same compare equal:
// Unicode NFD, combining marks removed (Ségou -> segou), case folded, Bambara
// letters mapped to Latin (ɔ -> o, ɛ -> e, ɲ -> ny, ŋ -> ng), apostrophes
// dropped (Jama’at -> jamaat), other punctuation and runs of spaces turned
// into one space, trimmed. Pure ASCII input takes a fast path without ICU.
//
// Thread-safety: safe to call from several threads.
#pragma once

#include <string>
#include <string_view>

namespace vigil::geo {

std::string FoldName(std::string_view utf8);

// The spelling key of a folded name, so that transliterations of one Sahel
// name compare equal: spaces, hyphens and apostrophes removed (Bani Bangou
// = Banibangou), "tch" -> "ch", "dj" -> "j", "ou" -> "u", "kh" -> "k",
// "ph" -> "f", "y" -> "i", doubled letters single (Sévaré/Sevarré), a final
// "e" dropped (Tillabéri/Tillaberie). docs/geocoding.md lists them.
std::string SpellingKey(std::string_view folded);

// Levenshtein distance between two folded names, capped at `cap` + 1.
int EditDistance(std::string_view a, std::string_view b, int cap);

}  // namespace vigil::geo

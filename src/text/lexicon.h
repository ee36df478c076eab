// vigil::text — the dictionaries of the extractor (English and French),
// compiled in. docs/extraction.md says how to extend them.
//
// Matching is on folded text (geo::FoldName: no accents, lower case, single
// spaces), whole words only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil::text {

struct ActorEntry {
  std::string_view alias;      // folded
  std::string_view canonical;  // as in ../shared/gold/SCHEMA.md
  bool state = false;          // state forces (a target when another actor acts)
};
const std::vector<ActorEntry>& Actors();

struct TriggerEntry {
  std::string_view phrase;  // folded
  std::string_view event_type;
  std::string_view sub_event_type;
  std::string_view tag;  // optional tag, "" if none
  int priority;          // the highest-priority trigger of a clause decides
};
const std::vector<TriggerEntry>& Triggers();

// Month names (English, French, Dutch/German short forms seen in datelines),
// folded, with their number.
int MonthNumber(std::string_view folded_word);

// "four" -> 4, "trois" -> 3, "a dozen" / "une douzaine" -> 12,
// "une vingtaine" -> 20; 0 if not a number word.
int NumberWord(std::string_view folded_word);

// What was hit: folded phrases of one or two words ("military post",
// "cimenterie", "convoi") and the short text the event's `target` gets.
struct TargetEntry {
  std::string_view phrase;  // folded; two words separated by a space at most
  std::string_view target;
};
const std::vector<TargetEntry>& Targets();

// Capitalised words that are never places in these reports.
bool IsNonPlaceWord(std::string_view folded_word);

}  // namespace vigil::text

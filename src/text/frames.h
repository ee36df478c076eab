// vigil::text — pass 4 of the extractor: the event frame of a sentence.
//
// The trigger of highest priority decides the type; its arguments are the
// actors (initiator and target, from cues: "par"/"by" after a passive verb
// names the initiator, "contre"/"against"/"visant" the target), the numbers
// (dead, hostages), what was hit and the tags. Back-references ("since the
// attack") and sentences about other countries have no frame.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "text/dates.h"
#include "text/lexicon.h"
#include "text/mentions.h"
#include "text/tokens.h"

namespace vigil::text {

struct Frame {
  const TriggerEntry* trigger = nullptr;
  size_t trigger_at = 0;
  std::string event_type, sub_event_type;
  std::string actor1, actor2, target;
  bool actor1_named = false;  // written in the sentence, not the document's default
  // "cette attaque", "these strikes": the event was told before; the frame
  // completes it (counts, target) rather than being a new one.
  bool anaphoric = false;
  std::set<std::string> tags;
  std::optional<int64_t> fatalities, hostages;
  bool vague_toll = false;  // "dozens of soldiers were killed": dead, count unknown
  // Token ranges of phrases about earlier events ("since the X massacre"):
  // places inside them are references.
  std::vector<Span> background;
};

// The highest-priority trigger in [a, b) and where it is, or nullptr.
const TriggerEntry* FindTrigger(const std::vector<Token>& t, size_t a, size_t b, const Lexicon& lex, size_t* at);

// The frame of sentence [a, b), or nullopt. `dates` are the sentence's
// dates (their numbers are not counts).
std::optional<Frame> ReadFrame(const std::vector<Token>& t, size_t a, size_t b, const Lexicon& lex,
                               const DocumentContext& ctx, const std::vector<DateMention>& dates);

// The number of dead that [a, b) states ("49 people were killed", "bilan de
// 20 morts"), for a frame whose own sentence gives none.
std::optional<int64_t> FindFatalities(const std::vector<Token>& t, size_t a, size_t b, const Lexicon& lex,
                                      const std::vector<DateMention>& dates);

// The count after a toll word in [a, b) ("the death toll rose to 20", "le
// bilan s'est alourdi à 31"), within eight words of it, or nullopt.
std::optional<int64_t> StatedToll(const std::vector<Token>& t, size_t a, size_t b, const Lexicon& lex,
                                  const std::vector<DateMention>& dates);

// Whose dead a count of [a, b) counts, from the words just after the number
// ("12 soldiers", "30 assaillants", "22 civils"): one side of a fight; and
// whether the count is round or hedged ("une vingtaine", "about 30").
enum class TollSide { kUnknown, kState, kArmedGroup, kCivilians };
struct Toll {
  TollSide side = TollSide::kUnknown;
  bool approximate = false;
};
Toll FindToll(const std::vector<Token>& t, size_t a, size_t b, const Lexicon& lex,
              const std::vector<DateMention>& dates);

}  // namespace vigil::text

// vigil::text — the extractor's vocabulary, read from data/lexicon/ (the
// README there gives each file's columns and how to extend them).
//
// Every phrase is folded (geo::FoldName: no accents, lower case) and matched
// word by word on tokens. A Lexicon is immutable once loaded and safe to
// share between threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "text/tokens.h"

namespace vigil::text {

struct ActorEntry {
  std::string alias;      // folded
  std::string canonical;  // as in ../shared/gold/SCHEMA.md
  bool state = false;     // state forces (a target when another actor acts)
  bool generic = false;   // an unnamed group ("gunmen"): the document's named group if any
};

// The canonical name of the army of the event's country ("soldiers").
inline constexpr std::string_view kArmyOfTheCountry = "Military Forces of *";
// "Military Forces of *", "Police Forces of *": the forces of `country`
// (the event's); any other actor as it is.
inline std::string ForcesOf(const std::string& actor, const std::string& country) {
  if (actor.size() < 2 || actor.compare(actor.size() - 2, 2, " *") != 0) return actor;
  return actor.substr(0, actor.size() - 1) + country;
}

struct TriggerEntry {
  std::string phrase;  // folded
  std::string event_type, sub_event_type;
  std::string tag;   // one of the schema's tags, "" if none
  int priority = 0;  // the highest-priority trigger of a sentence decides
};

struct TargetEntry {
  std::string phrase;  // folded, one or two words
  std::string target;  // the event's `target` text
};

// Phrases indexed by their first word. Match(t, i, b, fn) calls fn(entry,
// length) for every phrase that starts at token i and ends before b.
template <typename Entry>
class PhraseIndex {
 public:
  void Add(const Entry* e, const std::vector<std::string>& words) { by_first_[words.front()].push_back({e, words}); }
  template <typename Fn>
  void Match(const std::vector<Token>& t, size_t i, size_t b, Fn&& fn) const {
    auto it = by_first_.find(t[i].folded);
    if (it == by_first_.end()) return;
    for (const auto& [e, words] : it->second) {
      if (i + words.size() > b) continue;
      bool ok = true;
      for (size_t k = 1; k < words.size() && ok; ++k) ok = t[i + k].folded == words[k];
      if (ok) fn(*e, words.size());
    }
  }

 private:
  std::unordered_map<std::string, std::vector<std::pair<const Entry*, std::vector<std::string>>>> by_first_;
};

// A class of cue words or phrases (cues.tsv): "civilian", "destination"...
class CueSet {
 public:
  void Add(const std::string& phrase);
  bool Has(std::string_view folded_word) const;  // a one-word entry
  // Length in tokens of the longest entry starting at t[i] (within b), or 0.
  size_t MatchAt(const std::vector<Token>& t, size_t i, size_t b) const;
  // Length of the longest entry ending at t[end - 1] (at or after a), or 0.
  size_t MatchEndingAt(const std::vector<Token>& t, size_t a, size_t end) const;

 private:
  std::unordered_map<std::string, std::vector<std::vector<std::string>>> by_first_;
  std::unordered_map<std::string, bool> words_;  // one-word entries
};

class Lexicon {
 public:
  // Reads data_dir/lexicon/{actors,triggers,targets,months,weekdays,numbers,
  // countries,cues,person_names}.tsv. Fails with kNotFound naming a missing
  // file, kParse naming file:line for a malformed line, and kParse when a
  // cue class the extractor needs has no entry.
  static core::Result<std::shared_ptr<const Lexicon>> Load(const std::string& data_dir);
  // Load, once per data_dir for the life of the process (thread-safe).
  static core::Result<std::shared_ptr<const Lexicon>> Cached(const std::string& data_dir);

  const std::vector<ActorEntry>& actors() const { return actors_; }
  const PhraseIndex<ActorEntry>& actor_index() const { return actor_index_; }
  const PhraseIndex<TriggerEntry>& trigger_index() const { return trigger_index_; }
  const std::vector<TargetEntry>& targets() const { return targets_; }

  int Month(std::string_view folded) const;    // 1-12, 0 if not a month
  int Weekday(std::string_view folded) const;  // 0 = Sunday, -1 if not one
  int Number(std::string_view folded) const;   // "trois" -> 3, 0 if not one
  // ISO code of the country a word names ("malien" -> ML), "" if none.
  std::string_view Country(std::string_view folded) const;
  // The cue class `name` (one the extractor needs: Load checks them).
  const CueSet& Cues(std::string_view name) const;
  // Person names: kind "title" (words before a name: "colonel", "m"),
  // "first" (given names) and "surname".
  bool IsPersonName(std::string_view kind, std::string_view folded) const;
  // Capitalised words that are never places (non_place cues, months, weekdays).
  bool IsNonPlaceWord(std::string_view folded) const;

 private:
  Lexicon() = default;
  std::vector<ActorEntry> actors_;
  std::vector<TriggerEntry> triggers_;
  std::vector<TargetEntry> targets_;
  PhraseIndex<ActorEntry> actor_index_;
  PhraseIndex<TriggerEntry> trigger_index_;
  std::unordered_map<std::string, int> months_, weekdays_, numbers_;
  std::unordered_map<std::string, std::string> countries_;
  std::unordered_map<std::string, CueSet> cues_;
  std::unordered_map<std::string, CueSet> names_;
};

}  // namespace vigil::text

// vigil::analysis — territorial control: which armed actor holds sway in each
// cercle (admin2), read from what the events say about territory.
//
// Signals come from a data file (data/lexicon/control_signals.tsv): a
// takeover or a regained town gives its actor1 the signal's weight; a base
// established, a blockade or siege, a local agreement give less; a
// withdrawal (a strategic development whose notes say the actor withdrew or
// abandoned a place) takes the weight from actor1 and gives it to its
// opponent (actor2, else the unit's most present other armed actor).
// Sustained presence adds `presence_weight` per political violence event to
// its actor1. Every contribution decays with `half_life_days` to `as_of`:
//
//   score(actor, unit) = max(0, sum_i s_i w_i 0.5^((as_of - t_i) / h))
//
// The leader's share of the unit's total gives the reading: "held" when the
// share is at least `held_share`, the leader's score at least `held_score`
// and it rests on a takeover, a base or an opponent's withdrawal (not on
// presence or pressure alone); "contested"
// when the total reaches `held_score` without such a leader; "presence"
// when some signal remains below that. `certainty` = total / (total + 1)
// says how much evidence the reading stands on (0: none).
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/status.h"

namespace vigil::analysis {

enum class ControlEffect { kTake, kBase, kBlockade, kAgreement, kWithdraw };

struct ControlRule {
  std::string field;       // sub_event_type | tag | note
  std::string value;       // lower-cased for tags and notes
  std::string event_type;  // "*" for any
  ControlEffect effect = ControlEffect::kTake;
  double weight = 1;
};

// Reads the rules file; fails with kInvalidArgument naming the line.
core::Result<std::vector<ControlRule>> LoadControlRules(const std::string& path);

struct ControlOptions {
  double half_life_days = 180;
  double presence_weight = 0.1;
  double held_share = 0.6;
  double held_score = 0.5;
};

struct UnitControl {
  std::string admin1, admin2;
  std::string leader;  // "" when no signal
  std::string status;  // held | contested | presence
  double leader_score = 0, total_score = 0, share = 0, certainty = 0;
  std::map<std::string, double> scores;  // by actor
  std::vector<int64_t> evidence;         // events with a territorial signal
  std::vector<std::string> places;       // where those happened
};

// Control readings for every unit with a signal up to `as_of`, strongest
// reading first.
std::vector<UnitControl> EstimateControl(std::span<const core::Event> events, core::Date as_of,
                                         std::span<const ControlRule> rules, const ControlOptions& o = {});

}  // namespace vigil::analysis

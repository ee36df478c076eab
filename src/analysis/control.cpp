#include "analysis/control.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <set>

#include "analysis/common.h"
#include "core/strings.h"

namespace vigil::analysis {

namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

core::Result<ControlEffect> ParseEffect(const std::string& s) {
  if (s == "take") return ControlEffect::kTake;
  if (s == "base") return ControlEffect::kBase;
  if (s == "blockade") return ControlEffect::kBlockade;
  if (s == "agreement") return ControlEffect::kAgreement;
  if (s == "withdraw") return ControlEffect::kWithdraw;
  return core::InvalidArgument("unknown effect '" + s + "' (take, base, blockade, agreement, withdraw)");
}

// `cue` at the start of a word of `text` (both lower case).
bool HasWordStart(const std::string& text, const std::string& cue) {
  for (size_t p = text.find(cue); p != std::string::npos; p = text.find(cue, p + 1))
    if (p == 0 || !std::isalpha(static_cast<unsigned char>(text[p - 1]))) return true;
  return false;
}

bool Matches(const ControlRule& r, const core::Event& e, const std::string& notes) {
  if (r.event_type != "*" && r.event_type != e.event_type) return false;
  if (r.field == "sub_event_type") return e.sub_event_type == r.value;
  if (r.field == "tag") return std::find(e.tags.begin(), e.tags.end(), r.value) != e.tags.end();
  return HasWordStart(notes, r.value);
}

const ControlRule* FirstRule(std::span<const ControlRule> rules, const core::Event& e) {
  const std::string notes = Lower(e.notes);
  for (const auto& r : rules)
    if (Matches(r, e, notes)) return &r;
  return nullptr;
}

bool Armed(const std::string& actor) {
  return !actor.empty() && actor != "unattributed" && actor != "Civilians" && actor.rfind("Protesters", 0) != 0 &&
         actor.rfind("Rioters", 0) != 0;
}

struct UnitState {
  UnitControl out;
  std::map<std::string, double> presence;  // decayed presence only
  std::set<std::string> territorial;       // actors with a territorial gain
};

// The actor that gains from `e`'s actor1 withdrawing.
std::string Opponent(const core::Event& e, const UnitState& u) {
  if (Armed(e.actor2)) return e.actor2;
  std::string best;
  double top = 0;
  for (const auto& [a, s] : u.presence)
    if (a != e.actor1 && s > top) best = a, top = s;
  return best;
}

void Apply(const core::Event& e, const ControlRule* rule, double decay, const ControlOptions& o, UnitState* u) {
  const std::string a1 = ActorGroup(e);
  if (!rule) {
    if (IsPoliticalViolence(e) && Armed(a1)) {
      u->out.scores[a1] += o.presence_weight * decay;
      u->presence[a1] += o.presence_weight * decay;
    }
    return;
  }
  u->out.evidence.push_back(e.id);
  if (std::find(u->out.places.begin(), u->out.places.end(), e.location) == u->out.places.end())
    u->out.places.push_back(e.location);
  const double w = rule->weight * decay;
  if (rule->effect != ControlEffect::kWithdraw) {
    if (!Armed(a1)) return;
    u->out.scores[a1] += w;
    // Pressure (a blockade, an agreement) is influence, not holding.
    if (rule->effect == ControlEffect::kTake || rule->effect == ControlEffect::kBase) u->territorial.insert(a1);
    return;
  }
  if (u->out.scores.count(a1)) u->out.scores[a1] = std::max(0.0, u->out.scores[a1] - w);
  const std::string gain = Opponent(e, *u);
  if (gain.empty()) return;
  u->out.scores[gain] += w;
  u->territorial.insert(gain);
}

void Read(const ControlOptions& o, UnitState* u) {
  auto& c = u->out;
  for (const auto& [a, s] : c.scores) {
    c.total_score += s;
    if (s > c.leader_score) c.leader = a, c.leader_score = s;
  }
  c.share = c.total_score > 0 ? c.leader_score / c.total_score : 0;
  c.certainty = c.total_score / (c.total_score + 1);
  if (c.share >= o.held_share && c.leader_score >= o.held_score && u->territorial.count(c.leader))
    c.status = "held";
  else if (c.total_score >= o.held_score)
    c.status = "contested";
  else
    c.status = "presence";
}

int Rank(const std::string& status) { return status == "held" ? 0 : status == "contested" ? 1 : 2; }

}  // namespace

core::Result<std::vector<ControlRule>> LoadControlRules(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::NotFound("cannot read the control signals file " + path);
  std::vector<ControlRule> rules;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    for (std::string_view x : core::Split(line, '\t')) f.emplace_back(x);
    const std::string where = path + ":" + std::to_string(n) + ": ";
    if (f.size() != 5)
      return core::InvalidArgument(where + "expected 5 tab-separated columns, found " + std::to_string(f.size()));
    if (f[0] != "sub_event_type" && f[0] != "tag" && f[0] != "note")
      return core::InvalidArgument(where + "field must be sub_event_type, tag or note, not '" + f[0] + "'");
    auto effect = ParseEffect(f[3]);
    if (!effect.ok()) return core::InvalidArgument(where + effect.status().message());
    char* end = nullptr;
    const double w = std::strtod(f[4].c_str(), &end);
    if (end == f[4].c_str() || *end != '\0' || !(w > 0) || w > 10)
      return core::InvalidArgument(where + "weight must be a number in (0, 10], not '" + f[4] + "'");
    rules.push_back({f[0], f[0] == "sub_event_type" ? f[1] : Lower(f[1]), f[2], *effect, w});
  }
  return rules;
}

std::vector<UnitControl> EstimateControl(std::span<const core::Event> events, core::Date as_of,
                                         std::span<const ControlRule> rules, const ControlOptions& o) {
  std::vector<const core::Event*> evs;
  for (const auto& e : events)
    if (e.date_start <= as_of) evs.push_back(&e);
  std::stable_sort(evs.begin(), evs.end(),
                   [](const core::Event* a, const core::Event* b) { return a->date_start < b->date_start; });
  std::map<std::pair<std::string, std::string>, UnitState> units;
  for (const auto* e : evs) {
    const std::string unit = e->admin2.empty() ? e->location : e->admin2;
    auto& u = units[{e->admin1, unit}];
    u.out.admin1 = e->admin1;
    u.out.admin2 = unit;
    const double decay = std::pow(0.5, (as_of - e->date_start) / o.half_life_days);
    Apply(*e, FirstRule(rules, *e), decay, o, &u);
  }
  std::vector<UnitControl> out;
  for (auto& [k, u] : units) {
    Read(o, &u);
    if (u.out.total_score > 0) out.push_back(std::move(u.out));
  }
  std::sort(out.begin(), out.end(), [](const UnitControl& a, const UnitControl& b) {
    if (Rank(a.status) != Rank(b.status)) return Rank(a.status) < Rank(b.status);
    return a.leader_score > b.leader_score;
  });
  return out;
}

}  // namespace vigil::analysis

#include "text/frames.h"

#include <algorithm>

#include "core/strings.h"

namespace vigil::text {

namespace {

// A definite nominal trigger that refers back to an event told elsewhere:
// the sentence comments on it ("... reveal JNIM's strategy") or it sits in a
// phrase with no date of its own ("in the days leading up to the attack").
// The determiner of a definite nominal trigger, up to three tokens before
// it ("the July 1 attacks", "the Solhan massacre"), or b when there is none.
size_t DeterminerOf(const std::vector<Token>& t, size_t a, size_t b, size_t trig, const Lexicon& lex) {
  const CueSet& det_words = lex.Cues("backref_determiner");
  for (size_t k = trig; k > a && trig - k < 4; --k) {
    const std::string& f = t[k - 1].folded;
    if (det_words.Has(f)) return k - 1;
    if (!(t[k - 1].number || lex.Month(f) > 0 || t[k - 1].capitalised)) break;  // only dates and names between
  }
  return b;
}

// "since the Solhan massacre", "après les massacres de X et Y": a trigger
// in a phrase that names an earlier event, as opposed to the sentence's.
bool IsBackgroundPhrase(const std::vector<Token>& t, size_t a, size_t b, size_t trig, const Lexicon& lex) {
  const size_t det = DeterminerOf(t, a, b, trig, lex);
  return det < b && det > a && lex.Cues("backref_preposition").MatchEndingAt(t, a, det) > 0;
}

bool IsBackReference(const std::vector<Token>& t, size_t a, size_t b, size_t trig, bool own_date, const Lexicon& lex) {
  const size_t det = DeterminerOf(t, a, b, trig, lex);
  if (det == b) return false;
  for (size_t i = a; i < b; ++i)
    if (lex.Cues("comment_verb").Has(t[i].folded)) return true;
  return !own_date && det > a && lex.Cues("backref_preposition").MatchEndingAt(t, a, det) > 0;
}

// "killed dozens of people", "plusieurs civils ont été tués": a quantity
// with no number near the killing verb (its dead are then unknown).
bool HasVagueCount(const std::vector<Token>& t, size_t a, size_t b, size_t trig, const Lexicon& lex) {
  const CueSet& vague = lex.Cues("vague_count");
  for (size_t i = trig > a + 8 ? trig - 8 : a; i < std::min(b, trig + 6); ++i)
    if (vague.Has(t[i].folded)) return true;
  return false;
}

bool InDate(const std::vector<Token>& t, size_t i, const std::vector<DateMention>& dates) {
  if (!t[i].number) return false;  // "four" is never part of a written date
  for (const auto& d : dates) {
    if (i < d.token || i > d.token + 3) continue;
    // "July 1, 2025": only a year comes after a comma ("En août 2023, 17
    // soldats": 17 is a count).
    bool comma = false;
    for (size_t k = d.token; k < i; ++k) comma = comma || t[k].text == ",";
    if (!comma || t[i].text.size() == 4) return true;
  }
  return false;
}

// The value of a count token, or 0.
int64_t CountAt(const std::vector<Token>& t, size_t i, size_t b, const Lexicon& lex) {
  int64_t v = 0;
  if (!core::ParseInt64(t[i].text, &v)) v = lex.Number(t[i].folded);
  // "un", "une", "a", "an": an article far more often than a count (it must
  // not end the search for the count's verb: "deux ouvriers travaillant sur
  // un chantier ont été enlevés"), but one person when a person noun
  // follows, after one word at most ("une femme", "un jeune homme", "a local
  // official").
  if (t[i].folded == "un" || t[i].folded == "une" || t[i].folded == "a" || t[i].folded == "an") {
    const CueSet& person = lex.Cues("person_noun");
    return (i + 1 < b && person.Has(t[i + 1].folded)) || (i + 2 < b && person.Has(t[i + 2].folded)) ? 1 : 0;
  }
  if (v <= 0 || v > 5000) return 0;
  if (t[i].number && t[i].text.size() == 4) return 0;  // a year
  return v;
}

// After a number, a unit or a thing rather than people ("30 km", "two
// trucks"); a hyphenated word counts by its first part ("pick-up").
bool IsUnit(const Token& next, const Lexicon& lex) {
  const CueSet& units = lex.Cues("unit_after");
  const std::string& w = next.folded;
  return units.Has(w) || units.Has(std::string_view(w).substr(0, w.find(' ')));
}

// "un camion et ses passagers ont été enlevés": "un" counts one hostage
// only when a person follows ("un enseignant", "one driver").
bool CountsHostages(const std::vector<Token>& t, size_t i, size_t b, int64_t v, const Lexicon& lex) {
  if (v != 1 || t[i].number) return true;
  return i + 1 < b && lex.Cues("person_noun").Has(t[i + 1].folded);
}

bool MatchesWithin(const CueSet& cues, const std::vector<Token>& t, size_t from, size_t to, size_t b) {
  for (size_t k = from; k < to; ++k)
    if (cues.MatchAt(t, k, b)) return true;
  return false;
}

// The dead of one event listed by side before the number at i ("four
// soldiers, four civilians and 21 assailants were killed"): the counts
// before it joined by commas or "and", a few words apart, none of them a
// trigger ("two attacks, 10 killed" lists no dead).
int64_t ListedBefore(const std::vector<Token>& t, size_t a, size_t i, const Lexicon& lex,
                     const std::vector<DateMention>& dates) {
  int64_t sum = 0;
  size_t next = i;
  for (size_t j = i; j-- > a && next - j <= 8;) {
    const int64_t v = CountAt(t, j, next, lex);
    if (v == 0 || InDate(t, j, dates)) continue;
    bool joined = false, trigger = false;
    for (size_t k = j + 1; k < next; ++k) {
      joined |= t[k].text == "," || t[k].folded == "and" || t[k].folded == "et";
      size_t at = 0;
      trigger |= FindTrigger(t, k, k + 1, lex, &at) != nullptr || lex.Cues("not_dead_after").Has(t[k].folded) ||
                 lex.Cues("unit_after").Has(t[k].folded);
    }
    if (!joined || trigger) break;
    // "Selon un élu local, 14 civils ...": the source, not one of the dead.
    if (lex.Cues("source_lead").MatchEndingAt(t, a, j) > 0) break;
    sum += v;
    next = j;
  }
  return sum;
}

// Dead and hostages in [a, b): numbers next to a killing or abduction cue.
void ReadCounts(const std::vector<Token>& t, size_t a, size_t b, const Lexicon& lex,
                const std::vector<DateMention>& dates, bool abduction, std::optional<int64_t>* fatalities,
                std::optional<int64_t>* hostages) {
  const CueSet& kill_before = lex.Cues("kill_before");
  const CueSet& kill_after = lex.Cues("kill_after");
  const CueSet& abduct_before = lex.Cues("abduct_before");
  const CueSet& abduct_after = lex.Cues("abduct_after");
  const CueSet& not_dead = lex.Cues("not_dead_after");
  for (size_t i = a; i < b; ++i) {
    const int64_t v = CountAt(t, i, b, lex);
    if (v == 0 || InDate(t, i, dates)) continue;
    if (i + 1 < b && IsUnit(t[i + 1], lex)) continue;  // "30 km", "70 %", "deux pick-up"
    // "three were injured": the wounded or missing, whatever comes before.
    bool hurt = false;
    for (size_t k = i + 1; k < std::min(b, i + 4) && !hurt; ++k) hurt = not_dead.MatchAt(t, k, b) > 0;
    if (hurt) continue;
    // Verb first: "killing three gendarmes", "tuant trois soldats", "la mort de 4 soldats".
    if (!*fatalities && MatchesWithin(kill_before, t, i > a + 3 ? i - 3 : a, i, i)) *fatalities = v;
    if (abduction && !*hostages && CountsHostages(t, i, b, v, lex) &&
        MatchesWithin(abduct_before, t, i > a + 4 ? i - 4 : a, i, i))
      *hostages = v;
    // The cue within a dozen words, an aside in parentheses not counted,
    // before any other count ("Six VDP (civils armés ...) ont été tués").
    size_t depth = 0, seen = 0;
    for (size_t k = i + 1; k < b && seen < 12; ++k) {
      if (t[k].text == "(") ++depth;
      if (t[k].text == ")" && depth > 0) --depth;
      if (depth > 0 || t[k].text == ")") continue;
      ++seen;
      if (CountAt(t, k, b, lex) > 0 && !InDate(t, k, dates)) break;
      if (not_dead.MatchAt(t, k, b)) break;  // "dix blessés": the wounded, not the dead
      if (abduction && abduct_after.MatchAt(t, k, b)) {
        if (!*hostages && CountsHostages(t, i, b, v, lex)) *hostages = v;
        break;
      }
      if (kill_after.MatchAt(t, k, b)) {
        if (!*fatalities) *fatalities = v + ListedBefore(t, a, i, lex, dates);
        break;
      }
    }
  }
}

std::string TargetOf(const std::vector<Token>& t, size_t lo, size_t hi, const Lexicon& lex) {
  for (size_t i = lo; i < hi; ++i) {
    const std::string two = i + 1 < hi ? t[i].folded + " " + t[i + 1].folded : std::string();
    for (const auto& e : lex.targets())
      if (e.phrase.find(' ') != std::string::npos && e.phrase == two) return e.target;
    for (const auto& e : lex.targets())
      if (e.phrase.find(' ') == std::string::npos && e.phrase == t[i].folded) return e.target;
  }
  return {};
}

// Initiator and target from the actors of the sentence and their cues.
// "Malian troops killed dozens", "l'armée affirme avoir neutralisé 30
// terroristes": a state force that is the only actor before a killing verb,
// with the verb active (no "were", "ont été" between; not "killed in",
// "tués dans" right after), is the initiator. nullptr otherwise.
const ActorMention* StateSubject(const std::vector<Token>& t, size_t a, const std::vector<ActorMention>& actors,
                                 const ActorMention* against, size_t trig, const Lexicon& lex) {
  const ActorMention* subject = nullptr;
  for (const auto& m : actors) {
    if (m.token >= trig) break;
    if (!m.entry->state || &m == against) return nullptr;
    if (!subject) subject = &m;
  }
  if (!subject || (subject->token > a && t[subject->token - 1].number)) return nullptr;  // "15 soldats"
  for (size_t i = subject->token + subject->tokens; i < trig; ++i)
    if (lex.Cues("passive_aux").Has(t[i].folded)) return nullptr;
  // "killed in an ambush" is a participle, "killed at least 12" a verb.
  if (trig + 1 < t.size() && lex.Cues("participle_next").Has(t[trig + 1].folded) &&
      lex.Cues("count_lead").MatchAt(t, trig + 1, t.size()) == 0)
    return nullptr;
  return subject;
}

void ReadActors(const std::vector<Token>& t, size_t a, const std::vector<ActorMention>& actors, const Lexicon& lex,
                const DocumentContext& ctx, Frame* f) {
  const CueSet& agent = lex.Cues("passive_agent");
  const CueSet& marker = lex.Cues("target_marker");
  const ActorMention* by = nullptr;
  const ActorMention* against = nullptr;
  for (const auto& m : actors) {
    // Up to two words between the cue and the actor ("par des hommes armés").
    // The agent of the trigger comes after it: in "un convoi escorté par
    // l'armée a été attaqué", the army escorted.
    // Nothing set off between them: in "On Tuesday, gunmen ..." the "on"
    // is a date's.
    for (size_t k = m.token; k > a && m.token - k < 3; --k) {
      if (k < m.token && t[k].punct) break;
      if (!by && k > f->trigger_at && agent.MatchEndingAt(t, a, k)) by = &m;
      if (!against && marker.MatchEndingAt(t, a, k)) against = &m;
    }
  }
  const ActorMention* initiator = by;
  // Only before a verb: in "l'armée évoquait deux attaques" the trigger is
  // a noun (after a determiner or a number), and the army reported it.
  const size_t trig = f->trigger_at;
  const bool noun = trig > a && (t[trig - 1].number || lex.Cues("noun_determiner").Has(t[trig - 1].folded));
  const bool verb = f->trigger->priority <= 1 || (f->event_type == "Violence against civilians" && !noun);
  const ActorMention* state_subject = !initiator && verb ? StateSubject(t, a, actors, against, trig, lex) : nullptr;
  if (state_subject) initiator = state_subject;
  // "L'association X déclare avoir constaté avec indignation l'attaque",
  // "X condemned the killing": who condemns did not attack. Actors before
  // the condemnation word are the ones condemning.
  size_t condemners_end = a;
  for (size_t i = a; i < trig && condemners_end == a; ++i)
    if (lex.Cues("condemnation").Has(t[i].folded)) condemners_end = i;
  for (const auto& m : actors)
    if (!initiator && !m.entry->state && &m != against && m.token >= condemners_end) initiator = &m;
  if (initiator) {
    f->actor1 = initiator->entry->generic && !ctx.main_actor.empty() ? ctx.main_actor : initiator->entry->canonical;
    f->actor1_named = !initiator->entry->generic;
  }
  if (against && against->entry->canonical != f->actor1) f->actor2 = against->entry->canonical;
  // The state acted: its target is an actor named after the verb (the
  // forces named with it before the verb are its allies: "Malian soldiers
  // and Wagner fighters killed 30 civilians").
  if (state_subject) {
    for (const auto& m : actors)
      if (f->actor2.empty() && m.token > trig && m.entry->canonical != f->actor1)
        f->actor2 = m.entry->generic && !ctx.main_actor.empty() ? ctx.main_actor : m.entry->canonical;
    return;
  }
  for (const auto& m : actors)
    if (f->actor2.empty() && m.entry->state && m.entry->canonical != f->actor1) f->actor2 = m.entry->canonical;
}

const ActorEntry* FirstState(const std::vector<ActorMention>& actors) {
  for (const auto& m : actors)
    if (m.entry->state) return m.entry;
  return nullptr;
}
// The first named armed group, else the first unnamed one ("the
// separatists of the CSP": the CSP).
const ActorEntry* FirstGroup(const std::vector<ActorMention>& actors) {
  const ActorEntry* generic = nullptr;
  for (const auto& m : actors) {
    if (m.entry->state) continue;
    if (!m.entry->generic) return m.entry;
    if (!generic) generic = m.entry;
  }
  return generic;
}

bool MatchesAny(const CueSet& cues, const std::vector<Token>& t, size_t a, size_t b) {
  for (size_t i = a; i < b; ++i)
    if (cues.MatchAt(t, i, b) > 0) return true;
  return false;
}

bool NamesCivilians(const std::vector<Token>& t, size_t a, size_t b, const Lexicon& lex) {
  return MatchesAny(lex.Cues("civilian"), t, a, b);
}

// In a battle whose text names no state force: another armed group of the
// sentence, not the first actor and not a description set off by a comma
// just after it ("JNIM, an armed group linked to al-Qaeda, ..."); "" when
// there is none.
std::string OtherArmedSide(const std::vector<Token>& t, const std::vector<ActorMention>& actors, const Frame& f) {
  const ActorMention* first = nullptr;
  for (const auto& m : actors) {
    if (m.entry->state) continue;
    if (!first) {
      first = &m;
      if (m.entry->canonical == f.actor1 || (m.entry->generic && !f.actor1_named)) continue;
    }
    if (m.entry->canonical == f.actor1) continue;
    const size_t after_first = first->token + first->tokens;
    // "JNIM, an armed group linked to ...", "JNIM militants": the same actor.
    const bool apposition = &m != first && m.entry->generic && m.token >= after_first &&
                            ((m.token - after_first <= 2 && t[after_first].text == ",") || m.token == after_first);
    if (!apposition && &m != first) return m.entry->canonical;
  }
  return "";
}

// The type-specific rules: who acts in a withdrawal, a strike, a recapture,
// a protest; an attack on civilians is violence against civilians.
void ApplyTypeRules(const std::vector<Token>& t, size_t a, size_t b, const Lexicon& lex, const DocumentContext& ctx,
                    const std::vector<ActorMention>& actors, Frame* f) {
  const std::string tag = f->trigger->tag;
  const std::string& sub = f->sub_event_type;
  const ActorEntry* state = FirstState(actors);
  const ActorEntry* group = FirstGroup(actors);
  const std::string army(kArmyOfTheCountry);
  // Fighting that names civilians (a village, its people) is an attack on
  // them, unless it names two armed sides ("les combats ont opposé X à Y
  // près du village de Z").
  if (f->event_type == "Battles" && sub == "Armed clash" && f->actor2.empty() && NamesCivilians(t, a, b, lex) &&
      OtherArmedSide(t, actors, *f).empty()) {
    f->event_type = "Violence against civilians";
    f->sub_event_type = "Attack";
  }
  if (f->event_type == "Violence against civilians" || sub == "Looting/property destruction") f->actor2 = "Civilians";
  if (f->event_type == "Battles" && f->actor2.empty()) f->actor2 = OtherArmedSide(t, actors, *f);
  if (f->event_type == "Battles" && f->actor2.empty() && !state &&
      MatchesAny(lex.Cues("between_armed_groups"), t, a, b))
    f->actor2 = "Unidentified armed group";
  if (f->event_type == "Strategic developments" && sub == "Other" && tag == "territorial_control") {
    if (state) f->actor1 = state->canonical;  // a withdrawal is the state's move
    f->actor2.clear();
  }
  if (sub == "Other" && tag == "blockade") f->actor2.clear();
  if (sub == "Government regains territory") {
    f->actor1 = state ? state->canonical : army;
    f->actor2 = group ? group->canonical : (!ctx.main_actor.empty() ? ctx.main_actor : "Unidentified armed group");
  }
  if (sub == "Non-state actor overtakes territory" && f->actor2.empty()) f->actor2 = state ? state->canonical : army;
  // Air and drone strikes are the state's: the armed group named is the
  // one struck; the dead, when civilians, are the target.
  // Whose dead the count counts decides first ("killed 45 militants near
  // the village of X" struck militants, not the village).
  if (sub == "Air/drone strike") {
    f->actor1 = state ? state->canonical : army;
    const TollSide side = FindToll(t, a, b, lex, {}).side;
    if (side == TollSide::kArmedGroup)
      f->actor2 = group ? group->canonical : "Unidentified armed group";
    else
      f->actor2 = side == TollSide::kCivilians || NamesCivilians(t, a, b, lex) ? "Civilians"
                  : group                                                      ? group->canonical
                                                                               : "";
  }
  // A mine, IED or shelling whose dead are civilians has them as its
  // target (ACLED's codebook: the victims are the second actor).
  if (f->event_type == "Explosions/Remote violence" && sub != "Air/drone strike" && f->actor2.empty() &&
      NamesCivilians(t, a, b, lex))
    f->actor2 = "Civilians";
  if (f->event_type == "Protests" || f->event_type == "Riots") {
    f->actor1 = f->event_type == "Protests" ? "Protesters" : "Rioters";
    f->actor2.clear();
  }
  // A protest the police broke up: ACLED's protest with intervention, the
  // force that intervened its second actor.
  if (f->event_type == "Protests" && MatchesAny(lex.Cues("protest_intervention"), t, a, b)) {
    f->sub_event_type = "Protest with intervention";
    f->actor2 = state ? state->canonical : "Police Forces of *";
  }
}

}  // namespace

const TriggerEntry* FindTrigger(const std::vector<Token>& t, size_t a, size_t b, const Lexicon& lex, size_t* at) {
  const TriggerEntry* trig = nullptr;
  for (size_t i = a; i < b; ++i)
    lex.trigger_index().Match(t, i, b, [&](const TriggerEntry& tr, size_t) {
      if (!trig || tr.priority > trig->priority) trig = &tr, *at = i;
    });
  return trig;
}

std::optional<Frame> ReadFrame(const std::vector<Token>& t, size_t a, size_t b, const Lexicon& lex,
                               const DocumentContext& ctx, const std::vector<DateMention>& dates) {
  Frame f;
  // Triggers in background phrases with no date after them ("since the X
  // massacre", "après les massacres de X et Y") name earlier events: the
  // sentence's own trigger is another one, and the places inside them are
  // not this event's. One with a date after it ("following the attack on X
  // at the end of April") is an event of its own, by the annotation
  // convention.
  const TriggerEntry* background_trigger = nullptr;
  size_t background_at = 0, background_end = 0;
  for (size_t i = a; i < b; ++i)
    lex.trigger_index().Match(t, i, b, [&](const TriggerEntry& tr, size_t n) {
      // A date after it may be its own, but not after "since the X massacre".
      const size_t det = DeterminerOf(t, a, b, i, lex);
      const bool since = det < b && det > a && lex.Cues("period_since").MatchEndingAt(t, a, det) > 0;
      const bool dated =
          !since && std::any_of(dates.begin(), dates.end(), [&](const DateMention& d) { return d.token > i; });
      if (!dated && IsBackgroundPhrase(t, a, b, i, lex)) {
        f.background.emplace_back(det, std::min(b, i + n + 6));
        if (!background_trigger || tr.priority > background_trigger->priority)
          background_trigger = &tr, background_at = i, background_end = i + n;
        return;
      }
      if (!f.trigger || tr.priority > f.trigger->priority) f.trigger = &tr, f.trigger_at = i;
    });
  // Only background, or a background phrase that is the subject of the
  // sentence's killing verb ("In March 2019, the X massacre killed 160
  // villagers"): the sentence tells that event.
  const bool subject =
      background_trigger && f.trigger && f.trigger->priority <= 1 && f.trigger_at == background_end && !dates.empty();
  if (!f.trigger || subject) {
    f.trigger = background_trigger;
    f.trigger_at = background_at;
    f.background.clear();
  }
  if (!f.trigger) return std::nullopt;
  if (IsBackReference(t, a, b, f.trigger_at, !dates.empty(), lex)) return std::nullopt;
  if (IsAboutAnotherCountry(t, a, b, lex)) return std::nullopt;
  // Found or defused, not set off ("un engin explosif a été découvert").
  for (size_t i = a; i < b; ++i)
    if (lex.Cues("not_happened").MatchAt(t, i, b) > 0) return std::nullopt;
  for (size_t k = f.trigger_at; k > a && f.trigger_at - k < 3; --k) {
    if (lex.Cues("demonstrative").Has(t[k - 1].folded)) f.anaphoric = true;
    // "to avoid further attacks", "de possibles attaques": not an event.
    if (lex.Cues("not_real").Has(t[k - 1].folded)) return std::nullopt;
  }
  f.event_type = f.trigger->event_type;
  f.sub_event_type = f.trigger->sub_event_type;
  // "..., the army said": after the trigger, an actor who reports it is the
  // source, not a side ("the army said it killed" names the army first).
  auto actors = FindActors(t, a, b, lex);
  actors.erase(std::remove_if(actors.begin(), actors.end(),
                              [&](const ActorMention& m) {
                                const CueSet& said = lex.Cues("report_verb");
                                return m.token > f.trigger_at &&
                                       (said.MatchAt(t, m.token + m.tokens, b) > 0 ||
                                        said.MatchEndingAt(t, a, m.token) > 0 ||  // "a indiqué l'armée"
                                        (m.token > a + 1 && said.MatchEndingAt(t, a, m.token - 1) > 0));
                              }),
               actors.end());
  ReadActors(t, a, actors, lex, ctx, &f);
  if (f.actor1.empty()) f.actor1 = !ctx.main_actor.empty() ? ctx.main_actor : "Unidentified armed group";
  ApplyTypeRules(t, a, b, lex, ctx, actors, &f);
  ReadCounts(t, a, b, lex, dates, f.sub_event_type == "Abduction/forced disappearance", &f.fatalities, &f.hostages);
  // A killing verb alone ("the soldiers who were killed") tells an event
  // only with its count ("gunmen killed 12").
  if (f.trigger->priority <= 1 && !f.fatalities) {
    if (!HasVagueCount(t, a, b, f.trigger_at, lex)) return std::nullopt;
    f.vague_toll = true;
  }
  // Houses burned and people killed is an attack, not property destruction
  // (ACLED's looting events have no dead): on civilians, else a battle.
  if (f.sub_event_type == "Looting/property destruction" && f.fatalities && *f.fatalities > 0) {
    f.event_type = "Battles";
    f.sub_event_type = "Armed clash";
    f.actor2.clear();
    ApplyTypeRules(t, a, b, lex, ctx, actors, &f);
  }
  f.target = TargetOf(t, f.trigger_at, b, lex);
  if (f.target.empty()) f.target = TargetOf(t, a, f.trigger_at, lex);
  if (!f.trigger->tag.empty()) f.tags.insert(f.trigger->tag);
  for (size_t i = a; i < b; ++i) {
    const std::string& w = t[i].folded;
    if (f.sub_event_type == "Abduction/forced disappearance" && lex.Cues("foreign").Has(w))
      f.tags.insert("kidnapping_foreigners");
    if (lex.Cues("economic").Has(w)) f.tags.insert("economic_target");
    if (lex.Cues("convoy").Has(w)) f.tags.insert("convoy");
  }
  if (f.event_type == "Battles" && f.actor2.rfind("Military Forces", 0) == 0) f.tags.insert("military_target");
  return f;
}

std::optional<int64_t> FindFatalities(const std::vector<Token>& t, size_t a, size_t b, const Lexicon& lex,
                                      const std::vector<DateMention>& dates) {
  std::optional<int64_t> fatalities, hostages;
  ReadCounts(t, a, b, lex, dates, false, &fatalities, &hostages);
  return fatalities;
}

std::optional<int64_t> StatedToll(const std::vector<Token>& t, size_t a, size_t b, const Lexicon& lex,
                                  const std::vector<DateMention>& dates) {
  const CueSet& toll = lex.Cues("toll_word");
  for (size_t i = a; i < b; ++i) {
    if (!toll.Has(t[i].folded)) continue;
    for (size_t k = i + 1; k < std::min(b, i + 9); ++k) {
      const int64_t v = CountAt(t, k, b, lex);
      if (v == 0 || InDate(t, k, dates) || (k + 1 < b && IsUnit(t[k + 1], lex))) continue;
      return v;
    }
  }
  return std::nullopt;
}

Toll FindToll(const std::vector<Token>& t, size_t a, size_t b, const Lexicon& lex,
              const std::vector<DateMention>& dates) {
  const CueSet& civilian = lex.Cues("civilian");
  const CueSet& approximate = lex.Cues("approximate_count");
  for (size_t i = a; i + 1 < b; ++i) {
    if (CountAt(t, i, b, lex) == 0 || InDate(t, i, dates)) continue;
    Toll toll;
    toll.approximate = approximate.Has(t[i].folded) || (i > a && approximate.MatchEndingAt(t, a, i) > 0);
    // The noun right after the number, or after one word ("30 autres assaillants").
    for (size_t k = i + 1; k < std::min(b, i + 3) && toll.side == TollSide::kUnknown; ++k) {
      if (civilian.Has(t[k].folded)) toll.side = TollSide::kCivilians;
      lex.actor_index().Match(t, k, b, [&](const ActorEntry& e, size_t) {
        if (toll.side == TollSide::kUnknown) toll.side = e.state ? TollSide::kState : TollSide::kArmedGroup;
      });
    }
    if (toll.side != TollSide::kUnknown) return toll;
  }
  return {};
}

}  // namespace vigil::text

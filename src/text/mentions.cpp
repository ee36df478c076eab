#include "text/mentions.h"

#include <algorithm>
#include <map>

#include "core/strings.h"
#include "geo/normalize.h"

namespace vigil::text {

namespace {

bool IsCap(const Token& t) { return t.capitalised && !t.punct && !t.number; }

// An all-capitals word of 4+ letters ("NIGELEC", "MINUSMA"): an acronym,
// never a village name as written in prose.
bool IsAcronym(const Token& t) {
  if (t.text.size() < 4) return false;
  return std::all_of(t.text.begin(), t.text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// The given-name part of "Jean-Claude" is "jean".
std::string FirstPart(const std::string& folded) { return folded.substr(0, folded.find_first_of("- ")); }

}  // namespace

std::vector<bool> PersonTokens(const std::vector<Token>& t, const Lexicon& lex) {
  std::vector<bool> person(t.size(), false);
  const CueSet& intro = lex.Cues("place_intro");
  // Marks the run of capitalised words from i (at most four), returns its end.
  auto mark_run = [&](size_t i) {
    size_t k = i;
    while (
        k < t.size() && k < i + 4 &&
        (IsCap(t[k]) || (k > i && lex.Cues("name_connector").Has(t[k].folded) && k + 1 < t.size() && IsCap(t[k + 1]))))
      person[k++] = true;
    return k;
  };
  for (size_t i = 0; i < t.size(); ++i) {
    const std::string& f = t[i].folded;
    if (lex.IsPersonName("title", f)) {
      size_t j = i + 1;
      if (j < t.size() && t[j].text == ".") ++j;
      if (j < t.size() && IsCap(t[j]) && !lex.IsNonPlaceWord(t[j].folded)) i = mark_run(j) - 1;
      continue;
    }
    // Patronymic pairs: "Iyad Ag Ghaly", "Mohamed Ould Mataly".
    if (IsCap(t[i]) && i + 2 < t.size() && lex.Cues("patronymic").Has(t[i + 1].folded) && IsCap(t[i + 2])) {
      person[i] = person[i + 1] = true;
      i = mark_run(i + 2) - 1;
      continue;
    }
    if (!IsCap(t[i])) continue;
    // "X Y, a commander of ...", "X, le chef de ...": an apposition with a title.
    size_t run = i;
    while (run < t.size() && run < i + 3 && IsCap(t[run])) ++run;
    const bool apposition = run + 2 < t.size() && t[run].text == "," &&
                            (lex.Cues("backref_determiner").Has(t[run + 1].folded) || t[run + 1].folded == "a" ||
                             t[run + 1].folded == "an" || t[run + 1].folded == "un" || t[run + 1].folded == "une");
    if (apposition) {
      const size_t title = run + 2;
      if (title < t.size() && lex.IsPersonName("title", t[title].folded)) {
        for (size_t k = i; k < run; ++k) person[k] = true;
        i = run;
        continue;
      }
    }
    const bool after_intro = i > 0 && intro.MatchEndingAt(t, i > 3 ? i - 3 : 0, i) > 0;
    if (lex.IsPersonName("first", FirstPart(f)) && i + 1 < t.size() && IsCap(t[i + 1])) {
      i = mark_run(i) - 1;
      continue;
    }
    if (lex.IsPersonName("surname", f) && !after_intro) {
      person[i] = true;
      // The capitalised word just before a surname is the given name.
      if (i > 0 && IsCap(t[i - 1]) && !lex.IsNonPlaceWord(t[i - 1].folded)) person[i - 1] = true;
    }
  }
  return person;
}

std::vector<ActorMention> FindActors(const std::vector<Token>& t, size_t a, size_t b, const Lexicon& lex) {
  std::vector<ActorMention> out;
  for (size_t i = a; i < b;) {
    ActorMention best;
    lex.actor_index().Match(t, i, b, [&](const ActorEntry& e, size_t n) {
      if (!best.entry || n > best.tokens) best = {i, n, &e};
    });
    // A hyphenated word (folding turned its hyphens into spaces): the whole
    // of it ("Al-Mourabitoun", "Ansar-Dine"), else its first part
    // ("JNIM-linked fighters", "IS-affiliated").
    if (!best.entry && t[i].folded.find(' ') != std::string::npos) {
      std::vector<Token> parts;
      for (auto w : core::Split(t[i].folded, ' ')) {
        Token p;
        p.text = p.folded = std::string(w);
        parts.push_back(std::move(p));
      }
      lex.actor_index().Match(parts, 0, parts.size(), [&](const ActorEntry& e, size_t n) {
        if (n == parts.size() || (n == 1 && !best.entry)) best = {i, 1, &e};
      });
    }
    if (best.entry) {
      out.push_back(best);
      i += best.tokens;
    } else {
      ++i;
    }
  }
  return out;
}

const char* PlaceRoleName(PlaceRole r) {
  switch (r) {
    case PlaceRole::kEvent:
      return "event";
    case PlaceRole::kReference:
      return "reference";
    case PlaceRole::kBetween:
      return "between";
    case PlaceRole::kDestination:
      return "destination";
    case PlaceRole::kOrigin:
      return "origin";
    case PlaceRole::kSighting:
      return "sighting";
    case PlaceRole::kNamesakeAbroad:
      return "namesake_abroad";
  }
  return "event";
}

// The next name of a list that a place noun opens ("the villages of X and
// Y", "les localités de X, Y et Z"): a place even when the gazetteer does
// not know it.
bool ListedAfterAPlaceNoun(const std::vector<Token>& t, size_t a, size_t i, const std::vector<PlaceMention>& found,
                           const Lexicon& lex) {
  size_t next = i;
  for (auto it = found.rbegin(); it != found.rend(); ++it) {
    const size_t end = it->token + it->tokens;
    if (end > next || next - end < 1 || next - end > 2) return false;
    for (size_t k = end; k < next; ++k)
      if (t[k].text != "," && t[k].folded != "and" && t[k].folded != "et") return false;
    next = it->token;
    const auto& noun = lex.Cues("place_noun");
    if ((next > a && noun.Has(t[next - 1].folded)) || (next >= a + 2 && noun.Has(t[next - 2].folded))) return true;
  }
  return false;
}

// The gazetteer's candidates for a name, without fuzzy matching, looked up
// once per document (`folded` is the cache key).
GeocodeCache::iterator ExactCandidates(const std::string& name, const std::string& folded, const geo::Gazetteer& gaz,
                                       GeocodeCache* cache) {
  auto it = cache->find(folded);
  if (it == cache->end()) {
    geo::GeocodeOptions go;
    go.fuzzy = false;
    go.limit = 5;
    it = cache->emplace(folded, gaz.Geocode(name, go)).first;
  }
  return it;
}

// "l'axe Bandiagara-Goundaka", "the Gao-Ansongo road": one token that is
// two towns the gazetteer knows, and no place of its own, is a stretch
// like "entre X et Y": X where it happened, Y a reference.
bool RoadBetweenTwoTowns(const std::vector<Token>& t, size_t i, const geo::Gazetteer& gaz, GeocodeCache* cache,
                         std::vector<PlaceMention>* out) {
  const std::string& text = t[i].text;
  const size_t dash = text.find('-');
  if (dash == std::string::npos || dash == 0 || dash + 1 >= text.size() ||
      text.find('-', dash + 1) != std::string::npos)
    return false;
  auto lookup = [&](const std::string& name) -> const geo::Place* {
    for (const auto& c : ExactCandidates(name, geo::FoldName(name), gaz, cache)->second)
      if (c.match != geo::MatchKind::kFuzzy && c.place->feature_class == 'P') return c.place;
    return nullptr;
  };
  if (lookup(text)) return false;
  const std::string x = text.substr(0, dash), y = text.substr(dash + 1);
  if (x.size() < 3 || y.size() < 3) return false;
  const geo::Place* px = lookup(x);
  const geo::Place* py = lookup(y);
  if (!px || !py) return false;
  out->push_back({i, 1, px, x, PlaceRole::kBetween});
  out->push_back({i, 1, py, y, PlaceRole::kReference});
  return true;
}

// An incident word right after a name ("the X massacre", "the X attack").
bool NamesAnIncident(const std::vector<Token>& t, size_t i, size_t b, const Lexicon& lex) {
  bool found = false;
  if (i < b) lex.trigger_index().Match(t, i, b, [&](const TriggerEntry&, size_t) { found = true; });
  return found;
}

DocumentContext ReadDocumentContext(const std::vector<Token>& t, const geo::Gazetteer& gaz, const Lexicon& lex) {
  DocumentContext ctx;
  const CueSet& region_word = lex.Cues("region_word");
  const CueSet& connector = lex.Cues("name_connector");
  // Regions the document names ("Mopti region", "la région de Mopti").
  for (size_t i = 0; i < t.size(); ++i) {
    if (!t[i].capitalised) continue;
    const bool cue = (i + 1 < t.size() && region_word.Has(t[i + 1].folded)) ||
                     (i + 3 < t.size() && (t[i + 1].folded == "and" || t[i + 1].folded == "et") &&
                      region_word.Has(t[i + 3].folded)) ||
                     (i >= 2 && (t[i - 1].folded == "de" || t[i - 1].folded == "of") &&
                      (region_word.Has(t[i - 2].folded) || t[i - 2].folded == "cercle"));
    if (!cue) continue;
    std::string canon = gaz.CanonicalAdmin1(t[i].text);
    if (!canon.empty() && std::find(ctx.regions.begin(), ctx.regions.end(), canon) == ctx.regions.end())
      ctx.regions.push_back(canon);
  }
  // Tokens naming context rather than the incident's place: region lists
  // ("Koulikoro, Segou, and Sikasso regions"), communes and cercles
  // ("commune of Aderbissinat"), and roads ("Bamako-Kayes road").
  ctx.blocked = PersonTokens(t, lex);
  const CueSet& after = lex.Cues("context_after");
  const CueSet& before = lex.Cues("context_before");
  for (size_t i = 0; i < t.size(); ++i) {
    // "Sikasso region" labels the names before it; "région de Gao" names
    // the one after (and the place before it is a place).
    // ("the Tillabéri region of Niger": a country after it, still a label).
    const bool names_next = i + 2 < t.size() &&
                            (t[i + 1].folded == "de" || t[i + 1].folded == "of" || t[i + 1].folded == "du") &&
                            lex.Country(t[i + 2].folded).empty();
    if (after.Has(t[i].folded) && !names_next) {
      // A plural label covers a list ("Koulikoro, Segou, and Sikasso
      // regions"); a singular one only the name before it ("near Ansongo,
      // Gao region": Ansongo stays a place).
      const bool list = lex.Cues("context_after_list").Has(t[i].folded);
      for (size_t k = i; k-- > 0;) {
        const std::string& g = t[k].folded;
        if (t[k].capitalised || (list && (t[k].text == "," || g == "and" || g == "et")) || t[k].text == "-" ||
            t[k].text == "\xE2\x80\x93" || t[k].text == "\xE2\x80\x94" || connector.Has(g))
          ctx.blocked[k] = true;
        else
          break;
      }
    }
    if (size_t n = before.MatchAt(t, i, t.size())) {
      size_t k = i + n;
      if (k < t.size() && (t[k].folded == "of" || t[k].folded == "de" || t[k].folded == "du" || t[k].text == "d'" ||
                           t[k].text == "d\xE2\x80\x99"))
        ++k;
      if (k == i + n && t[i + n - 1].folded != "de") continue;  // "region" alone: not a unit named
      // "province de l'Oudalan", "province of the Soum": the article.
      if (k < t.size() && k > i + n &&
          (t[k].text == "l'" || t[k].text == "l\xE2\x80\x99" || t[k].folded == "la" || t[k].folded == "le" ||
           t[k].folded == "the"))
        ++k;
      for (size_t end = k + 4; k < t.size() && k < end && (t[k].capitalised || connector.Has(t[k].folded)); ++k)
        ctx.blocked[k] = true;
    }
  }
  // A region's name of several words ("Boucle du Mouhoun") is context as a
  // whole: its last word is not a place of its own.
  for (size_t i = 0; i < t.size(); ++i) {
    if (!t[i].capitalised) continue;
    for (size_t n = 3; n >= 2; --n) {
      if (i + n > t.size()) continue;
      std::string name = t[i].text;
      bool words = true;
      for (size_t k = i + 1; k < i + n; ++k) name += " " + t[k].text, words = words && !t[k].punct;
      if (!words) continue;
      // The region's own name, not a name and "region" ("Kayes Region").
      const std::string canon = gaz.CanonicalAdmin1(name);
      if (canon.empty() || geo::FoldName(canon) != geo::FoldName(name)) continue;
      for (size_t k = i; k < i + n; ++k) ctx.blocked[k] = true;
      if (std::find(ctx.regions.begin(), ctx.regions.end(), canon) == ctx.regions.end()) ctx.regions.push_back(canon);
      break;
    }
  }
  std::map<std::string, int> actor_counts;
  for (const auto& m : FindActors(t, 0, t.size(), lex)) {
    if (!m.entry->state && !m.entry->generic) ++actor_counts[m.entry->canonical];
    for (size_t k = 0; k < m.tokens; ++k) ctx.blocked[m.token + k] = true;
  }
  // Named twice or more: once may be background ("... dressed like Dozo
  // hunters" says nothing about the next village's attackers).
  int main_n = 1;
  for (const auto& [a, n] : actor_counts)
    if (n > main_n) ctx.main_actor = a, main_n = n;
  // The country the document is mostly about (its places win ties).
  std::map<std::string, int> mentions;
  for (const auto& tok : t) {
    const auto c = lex.Country(tok.folded);
    if (c == "ML" || c == "NE" || c == "BF") ++mentions[std::string(c)];
  }
  int best = 0;
  for (const auto& [c, n] : mentions)
    if (n > best) ctx.country = c, best = n;
  return ctx;
}

bool IsAboutAnotherCountry(const std::vector<Token>& t, size_t a, size_t b, const Lexicon& lex) {
  bool other = false;
  for (size_t i = a; i < b; ++i) {
    const auto c = lex.Country(t[i].folded);
    if (c == "ML" || c == "NE" || c == "BF" || lex.Cues("sahel_word").Has(t[i].folded)) return false;
    other |= !c.empty();
  }
  return other;
}

namespace {

// The role of a place mention from the words before it.
PlaceRole RoleOf(const std::vector<Token>& t, size_t a, size_t p, const Lexicon& lex) {
  // "à 20 km de (la ville de) X": the cue is before the aside.
  if (p > a + 1 && t[p - 1].text == ")") {
    size_t open = p - 1;
    while (open > a && t[open].text != "(") --open;
    if (t[open].text == "(" && open > a) {
      const PlaceRole outer = RoleOf(t, a, open, lex);
      if (outer != PlaceRole::kEvent) return outer;
    }
  }
  if (lex.Cues("destination").MatchEndingAt(t, a, p)) return PlaceRole::kDestination;
  if (lex.Cues("origin").MatchEndingAt(t, a, p)) return PlaceRole::kOrigin;
  if (lex.Cues("distance").MatchEndingAt(t, a, p)) return PlaceRole::kReference;
  // "à 30km de X": the unit glued to its number.
  if (p >= a + 2 && (t[p - 1].folded == "de" || t[p - 1].folded == "from" || t[p - 1].folded == "of")) {
    const std::string& u = t[p - 2].folded;
    if (u.size() > 2 && u.compare(u.size() - 2, 2, "km") == 0 && std::isdigit(static_cast<unsigned char>(u[0])))
      return PlaceRole::kReference;
  }
  if (p > a && lex.Cues("between").Has(t[p - 1].folded)) return PlaceRole::kBetween;
  for (size_t k = p > a + 4 ? p - 4 : a; k < p; ++k) {
    if (lex.Cues("sighting").Has(t[k].folded)) return PlaceRole::kSighting;
    if (lex.Cues("part_of").MatchAt(t, k, p)) return PlaceRole::kReference;
  }
  return PlaceRole::kEvent;
}

// "Xyz, un village dogon", "Xyz, a small town": the one-word name at i is
// followed by a comma, an article and (after at most one other word) a
// place noun.
bool PlaceInApposition(const std::vector<Token>& t, size_t i, size_t b, const Lexicon& lex) {
  if (i + 3 >= b || t[i + 1].text != "," || !lex.Cues("place_apposition").Has(t[i + 2].folded)) return false;
  const CueSet& noun = lex.Cues("place_noun");
  return noun.Has(t[i + 3].folded) || (i + 4 < b && noun.Has(t[i + 4].folded));
}

}  // namespace

std::vector<PlaceMention> FindPlaces(const std::vector<Token>& t, size_t a, size_t b, const geo::Gazetteer& gaz,
                                     const Lexicon& lex, const DocumentContext& ctx, GeocodeCache* cache) {
  std::vector<PlaceMention> out;
  const CueSet& connector = lex.Cues("name_connector");
  const CueSet& locative = lex.Cues("locative");
  const CueSet& intro = lex.Cues("place_intro");
  const std::string& country = ctx.country;
  // Regions this very sentence names ("…, dans la région de Mopti"): a place
  // outside all of them is a namesake elsewhere, not the place meant.
  std::vector<std::string> here;
  for (const auto& r : ctx.regions) {
    const std::string fr = geo::FoldName(r);
    for (size_t i = a; i < b; ++i)
      if (t[i].folded == fr) {
        here.push_back(fr);
        break;
      }
  }
  for (size_t i = a; i < b;) {
    if (!t[i].capitalised || t[i].punct || t[i].number || ctx.blocked[i]) {
      ++i;
      continue;
    }
    bool found = RoadBetweenTwoTowns(t, i, gaz, cache, &out);
    if (found) ++i;
    for (size_t n = std::min<size_t>(4, b - i); n >= 1 && !found; --n) {
      if (!t[i + n - 1].capitalised || ctx.blocked[i + n - 1]) continue;
      std::string name;
      bool ok = true;
      for (size_t k = 0; k < n; ++k) {
        if (k > 0 && !t[i + k].capitalised && !connector.Has(t[i + k].folded)) {
          ok = false;
          break;
        }
        if (t[i + k].punct && t[i + k].text != "-") {
          ok = false;
          break;
        }
        name += (k ? " " : "") + t[i + k].text;
      }
      if (!ok) continue;
      const std::string folded = geo::FoldName(name);
      if (n == 1 && (lex.IsNonPlaceWord(folded) || folded.size() < 3)) continue;
      auto cached = ExactCandidates(name, folded, gaz, cache);
      // Misspellings ("Inates" for Inatess): one edit away, for a single
      // capitalised word of 6+ letters right after a locative word, when
      // nothing matches exactly.
      if (cached->second.empty() && n == 1 && folded.size() >= 6 &&
          ((i > a && locative.Has(t[i - 1].folded)) || NamesAnIncident(t, i + 1, b, lex))) {
        const std::string key = "~" + folded;
        auto fz = cache->find(key);
        if (fz == cache->end()) {
          geo::GeocodeOptions go;
          go.fuzzy = true;
          go.limit = 5;
          std::vector<geo::Candidate> keep;
          for (auto& c : gaz.Geocode(name, go))
            // A misspelling is weak evidence: only a village of the
            // document's country (a town of Niger the gazetteer lacks is
            // not the Malian village one letter away).
            if (c.match == geo::MatchKind::kFuzzy && c.place->feature_class == 'P' &&
                c.place->country_code == country && geo::EditDistance(c.matched_name, folded, 2) <= 1)
              keep.push_back(std::move(c));
          fz = cache->emplace(key, std::move(keep)).first;
        }
        cached = fz;
      }
      // Prefer a candidate of the document's country, in a region it names.
      const geo::Place* pick = nullptr;
      int pick_rank = -1;
      for (const auto& c : cached->second) {
        const auto* p = c.place;
        if (p->feature_class != 'P' && p->feature_class != 'A' && p->feature_code != "LCTY" && !p->from_aliases)
          continue;  // populated places, admin areas and named localities
        if (p->feature_code.rfind("PCL", 0) == 0 || p->feature_code == "ADM1") continue;  // countries, regions
        int rank = p->country_code == country ? 1 : 0;
        for (const auto& r : ctx.regions)
          if (geo::FoldName(p->admin1) == geo::FoldName(r)) rank += 2;
        if (rank > pick_rank) pick = p, pick_rank = rank;
      }
      if (!pick) continue;
      // Only a namesake in another country is ruled out: a sentence may list
      // towns of several regions of one country.
      if (!here.empty() && pick->country_code != country &&
          std::none_of(here.begin(), here.end(),
                       [&](const std::string& r) { return geo::FoldName(pick->admin1) == r; })) {
        // After a place cue ("près de X") the text means a place the
        // gazetteer does not know: kept as written. Otherwise (a person's
        // name, say) only noted.
        if (i > a && intro.MatchEndingAt(t, a, i) > 0)
          out.push_back({i, n, nullptr, name, RoleOf(t, a, i, lex), true});
        else
          out.push_back({i, n, nullptr, name, PlaceRole::kNamesakeAbroad});
        i += n;
        found = true;
        break;
      }
      out.push_back({i, n, pick, name, RoleOf(t, a, i, lex)});
      i += n;
      found = true;
    }
    // Not in the gazetteer, right after a place cue ("in the village of
    // Xyz") or followed by one in apposition ("Xyz, un village dogon"): an
    // unknown place, kept as written.
    if (!found &&
        ((i > a && intro.MatchEndingAt(t, a, i) > 0) || PlaceInApposition(t, i, b, lex) ||
         ListedAfterAPlaceNoun(t, a, i, out, lex)) &&
        !lex.IsNonPlaceWord(t[i].folded) && lex.Country(t[i].folded).empty() && !IsAcronym(t[i]) &&
        t[i].folded.size() >= 3) {
      size_t n = 1;
      while (i + n < b && n < 3 && t[i + n].capitalised && !t[i + n].punct && !ctx.blocked[i + n] &&
             !lex.IsNonPlaceWord(t[i + n].folded))
        ++n;
      std::string name;
      for (size_t k = 0; k < n; ++k) name += (k ? " " : "") + t[i + k].text;
      const bool strong = (i > a && lex.Cues("place_noun").Has(t[i - 1].folded)) ||
                          (i >= a + 2 && lex.Cues("place_noun").Has(t[i - 2].folded)) ||
                          PlaceInApposition(t, i, b, lex) || ListedAfterAPlaceNoun(t, a, i, out, lex);
      out.push_back({i, n, nullptr, name, RoleOf(t, a, i, lex), strong});
      i += n;
      found = true;
    }
    if (!found) ++i;
  }
  // Two names side by side with nothing between them are one name the
  // gazetteer does not know ("Sobane Kou", each half a village elsewhere):
  // towns of a list are set apart by a comma or a conjunction.
  for (size_t k = 1; k < out.size(); ++k) {
    PlaceMention& first = out[k - 1];
    if (out[k].token != first.token + first.tokens || first.tokens + out[k].tokens > 4) continue;
    first.name += " " + out[k].name;
    first.tokens += out[k].tokens;
    first.place = nullptr;
    first.named_as_place = first.named_as_place ||
                           (first.token > a && lex.Cues("place_noun").Has(t[first.token - 1].folded)) ||
                           PlaceInApposition(t, first.token + first.tokens - 1, b, lex);
    out.erase(out.begin() + static_cast<std::ptrdiff_t>(k));
    --k;
  }
  // "X, near Y": once a place is named, one "near" it is a reference.
  for (size_t k = 1; k < out.size(); ++k)
    if (out[k].role == PlaceRole::kEvent && lex.Cues("near").MatchEndingAt(t, a, out[k].token) &&
        std::any_of(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(k),
                    [](const PlaceMention& p) { return p.role == PlaceRole::kEvent; }))
      out[k].role = PlaceRole::kReference;
  // "on the road from X to Y", "de X à Y": a stretch like "entre X et Y".
  for (size_t k = 1; k < out.size(); ++k) {
    const PlaceMention& x = out[k - 1];
    const size_t to = x.token + x.tokens;
    if (x.token > a && out[k].token == to + 1 && lex.Cues("stretch_from").Has(t[x.token - 1].folded) &&
        lex.Cues("stretch_to").Has(t[to].folded) && x.role == PlaceRole::kEvent && out[k].role == PlaceRole::kEvent) {
      out[k - 1].role = PlaceRole::kBetween;
      out[k].role = PlaceRole::kReference;
    }
  }
  // "entre X et Y": Y is a reference once X is the stretch's first town.
  for (size_t k = 1; k < out.size(); ++k)
    if (out[k - 1].role == PlaceRole::kBetween && out[k].token == out[k - 1].token + out[k - 1].tokens + 1 &&
        (t[out[k].token - 1].folded == "et" || t[out[k].token - 1].folded == "and"))
      out[k].role = PlaceRole::kReference;
  return out;
}

}  // namespace vigil::text

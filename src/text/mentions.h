// vigil::text — pass 3 of the extractor: mentions of people, actors and
// places, and the document-level context that disambiguates them.
//
// People first (so that "Keita said" or "le colonel Traoré" is never a
// place), then actors (dictionary phrases), then places: capitalised n-grams
// looked up in the gazetteer, each with its role in the sentence (where the
// event happened, a distance reference, a destination, an origin, a
// sighting). A name that follows a place cue but is not in the gazetteer is
// kept as an unknown place, as written, rather than guessed.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "geo/gazetteer.h"
#include "text/lexicon.h"
#include "text/tokens.h"

namespace vigil::text {

// Tokens that are part of a person's name: after a title ("le colonel X",
// "President X Y", "M. X"), a given name followed by capitalised words
// ("Ibrahim Traoré"), or a known surname with no place cue before it.
std::vector<bool> PersonTokens(const std::vector<Token>& t, const Lexicon& lex);

struct ActorMention {
  size_t token = 0, tokens = 1;
  const ActorEntry* entry = nullptr;
};
// Dictionary actors in [a, b), the longest alias at each token.
std::vector<ActorMention> FindActors(const std::vector<Token>& t, size_t a, size_t b, const Lexicon& lex);

enum class PlaceRole {
  kEvent,        // where the event happened
  kReference,    // "à 30 km de X", "entre X et Y" (the second)
  kBetween,      // "entre X et Y": X, the event's place when nothing else is named
  kDestination,  // "vers X", "towards X", "returned to X"
  kOrigin,       // "venant de X"
  kSighting,     // "aperçus à X"
  // A name the gazetteer knows only in another country than the region the
  // sentence names ("Dembo, dans la région de Mopti"): not the place meant.
  kNamesakeAbroad,
};
const char* PlaceRoleName(PlaceRole r);

struct PlaceMention {
  size_t token = 0, tokens = 1;
  const geo::Place* place = nullptr;  // nullptr: not in the gazetteer
  std::string name;                   // as written
  PlaceRole role = PlaceRole::kEvent;
  bool named_as_place = false;  // after "le village de", "the town of": surely a place
};

// What the whole document says that helps read each sentence.
struct DocumentContext {
  std::string country = "ML";        // ISO2 the document is mostly about
  std::vector<std::string> regions;  // admin1 names the document names as regions
  std::vector<bool> blocked;         // tokens that cannot be places: people, actors, context
  std::string main_actor;            // the named non-state actor named most often
};

DocumentContext ReadDocumentContext(const std::vector<Token>& t, const geo::Gazetteer& gaz, const Lexicon& lex);

using GeocodeCache = std::unordered_map<std::string, std::vector<geo::Candidate>>;

// Places in [a, b), in order, with their roles.
std::vector<PlaceMention> FindPlaces(const std::vector<Token>& t, size_t a, size_t b, const geo::Gazetteer& gaz,
                                     const Lexicon& lex, const DocumentContext& ctx, GeocodeCache* cache);

// True when [a, b) names a country outside the gazetteer's three and none
// of them: its places are not the Sahel places that share their names.
bool IsAboutAnotherCountry(const std::vector<Token>& t, size_t a, size_t b, const Lexicon& lex);

}  // namespace vigil::text

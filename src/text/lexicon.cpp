#include "text/lexicon.h"

#include <array>
#include <unordered_set>

namespace vigil::text {

const std::vector<ActorEntry>& Actors() {
  static const std::vector<ActorEntry> kActors = {
      {"jnim", "JNIM"},
      {"gsim", "JNIM"},
      {"jamaat nusrat al islam wal muslimin", "JNIM"},
      {"jamaat nusrat al islam wa l muslimin", "JNIM"},
      {"jama at nusrat al islam wal muslimin", "JNIM"},
      {"group for supporting islam and muslims", "JNIM"},
      {"group for support of islam and muslims", "JNIM"},
      {"groupe de soutien a l islam et aux musulmans", "JNIM"},
      {"katiba macina", "JNIM"},
      {"front de liberation du macina", "JNIM"},
      {"macina liberation front", "JNIM"},
      {"is sahel", "IS Sahel"},
      {"islamic state sahel", "IS Sahel"},
      {"islamic state in the greater sahara", "IS Sahel"},
      {"islamic state sahel province", "IS Sahel"},
      {"etat islamique au grand sahara", "IS Sahel"},
      {"eigs", "IS Sahel"},
      {"isgs", "IS Sahel"},
      {"fama", "Military Forces of Mali", true},
      {"malian armed forces", "Military Forces of Mali", true},
      {"malian army", "Military Forces of Mali", true},
      {"malian military", "Military Forces of Mali", true},
      {"malian soldiers", "Military Forces of Mali", true},
      {"armee malienne", "Military Forces of Mali", true},
      {"forces armees maliennes", "Military Forces of Mali", true},
      {"military posts", "Military Forces of Mali", true},
      {"military post", "Military Forces of Mali", true},
      {"army base", "Military Forces of Mali", true},
      {"military base", "Military Forces of Mali", true},
      {"military camp", "Military Forces of Mali", true},
      {"gendarmerie", "Military Forces of Mali", true},
      {"soldiers", "Military Forces of Mali", true},
      {"soldats", "Military Forces of Mali", true},
      {"national guard", "Military Forces of Niger", true},
      {"garde nationale", "Military Forces of Niger", true},
      {"nigerien army", "Military Forces of Niger", true},
      {"burkinabe army", "Military Forces of Burkina Faso", true},
      {"africa corps", "Africa Corps", true},
      {"french forces", "Military Forces of France", true},
      {"french army", "Military Forces of France", true},
      {"french troops", "Military Forces of France", true},
      {"forces francaises", "Military Forces of France", true},
      {"armee francaise", "Military Forces of France", true},
      {"barkhane", "Military Forces of France", true},
      {"serval", "Military Forces of France", true},
      {"minusma", "MINUSMA", true},
      {"un peacekeepers", "MINUSMA", true},
      {"casques bleus", "MINUSMA", true},
      // Armed groups of the 2012-2017 period and neighbours.
      {"aqim", "AQIM"},
      {"aqmi", "AQIM"},
      {"al qaeda in the islamic maghreb", "AQIM"},
      {"al qaida au maghreb islamique", "AQIM"},
      {"mujao", "MUJAO"},
      {"mujwa", "MUJAO"},
      {"ansar dine", "Ansar Dine"},
      {"ansar eddine", "Ansar Dine"},
      {"al mourabitoun", "Al Mourabitoun"},
      {"ansarul islam", "Ansarul Islam"},
      {"ansaroul islam", "Ansarul Islam"},
      {"iswap", "ISWAP"},
      {"islamic state west africa province", "ISWAP"},
      {"koglweogo", "Koglweogo militia"},
      {"dan na ambassagou", "Dan Na Ambassagou"},
      {"gatia", "GATIA"},
      {"wagner", "Wagner Group", true},
      {"wagner group", "Wagner Group", true},
      {"dozo", "Dozo militia"},
      {"dozos", "Dozo militia"},
      {"traditional hunter militias", "Dozo militia"},
      {"traditional hunters", "Dozo militia"},
      {"chasseurs traditionnels", "Dozo militia"},
      {"vdp", "VDP"},
      {"csp", "CSP"},
      {"mnla", "MNLA"},
      {"mplj", "MPLJ"},
      {"armed men", "Unidentified armed group"},
      {"gunmen", "Unidentified armed group"},
      {"unidentified gunmen", "Unidentified armed group"},
      {"armed insurgents", "Unidentified armed group"},
      {"hommes armes", "Unidentified armed group"},
      {"hommes armes non identifies", "Unidentified armed group"},
      {"individus armes", "Unidentified armed group"},
  };
  return kActors;
}

const std::vector<TriggerEntry>& Triggers() {
  static const std::vector<TriggerEntry> kTriggers = {
      // Abductions.
      {"kidnapped", "Violence against civilians", "Abduction/forced disappearance", "", 9},
      {"kidnapping", "Violence against civilians", "Abduction/forced disappearance", "", 9},
      {"abducted", "Violence against civilians", "Abduction/forced disappearance", "", 9},
      {"abduction", "Violence against civilians", "Abduction/forced disappearance", "", 9},
      {"hostages", "Violence against civilians", "Abduction/forced disappearance", "", 8},
      {"enleve", "Violence against civilians", "Abduction/forced disappearance", "", 9},
      {"enleves", "Violence against civilians", "Abduction/forced disappearance", "", 9},
      {"enlevement", "Violence against civilians", "Abduction/forced disappearance", "", 9},
      {"otages", "Violence against civilians", "Abduction/forced disappearance", "", 8},
      // Killings of individuals.
      {"assassination", "Violence against civilians", "Attack", "assassination", 9},
      {"assassinated", "Violence against civilians", "Attack", "assassination", 9},
      {"assassinat", "Violence against civilians", "Attack", "assassination", 9},
      {"assassine", "Violence against civilians", "Attack", "assassination", 9},
      {"massacre", "Violence against civilians", "Attack", "", 8},
      {"massacred", "Violence against civilians", "Attack", "", 8},
      {"executed", "Violence against civilians", "Attack", "", 7},
      {"executes", "Violence against civilians", "Attack", "", 7},
      // Remote violence.
      {"drone strike", "Explosions/Remote violence", "Air/drone strike", "drone", 8},
      {"drone strikes", "Explosions/Remote violence", "Air/drone strike", "drone", 8},
      {"airstrike", "Explosions/Remote violence", "Air/drone strike", "", 8},
      {"air strike", "Explosions/Remote violence", "Air/drone strike", "", 8},
      {"frappe de drone", "Explosions/Remote violence", "Air/drone strike", "drone", 8},
      {"frappes de drone", "Explosions/Remote violence", "Air/drone strike", "drone", 8},
      {"frappe aerienne", "Explosions/Remote violence", "Air/drone strike", "", 8},
      {"ied", "Explosions/Remote violence", "Remote explosive/landmine/IED", "", 8},
      {"improvised explosive device", "Explosions/Remote violence", "Remote explosive/landmine/IED", "", 8},
      {"landmine", "Explosions/Remote violence", "Remote explosive/landmine/IED", "", 8},
      {"roadside bomb", "Explosions/Remote violence", "Remote explosive/landmine/IED", "", 8},
      {"engin explosif", "Explosions/Remote violence", "Remote explosive/landmine/IED", "", 8},
      {"mine artisanale", "Explosions/Remote violence", "Remote explosive/landmine/IED", "", 8},
      // Territory.
      {"overran", "Battles", "Non-state actor overtakes territory", "territorial_control", 7},
      {"overrun", "Battles", "Non-state actor overtakes territory", "territorial_control", 7},
      {"seized control", "Battles", "Non-state actor overtakes territory", "territorial_control", 7},
      {"took control", "Battles", "Non-state actor overtakes territory", "territorial_control", 7},
      {"s est empare", "Battles", "Non-state actor overtakes territory", "territorial_control", 7},
      {"withdraw", "Strategic developments", "Other", "territorial_control", 5},
      {"withdrew", "Strategic developments", "Other", "territorial_control", 5},
      {"withdrawal", "Strategic developments", "Other", "territorial_control", 5},
      {"retrait", "Strategic developments", "Other", "territorial_control", 5},
      // Blockades.
      {"blockade", "Strategic developments", "Other", "blockade", 6},
      {"blocus", "Strategic developments", "Other", "blockade", 6},
      // Property.
      {"torched", "Strategic developments", "Looting/property destruction", "economic_target", 4},
      {"burned", "Strategic developments", "Looting/property destruction", "", 4},
      {"looted", "Strategic developments", "Looting/property destruction", "", 4},
      {"destroyed", "Strategic developments", "Looting/property destruction", "", 4},
      {"sabotage", "Strategic developments", "Looting/property destruction", "infrastructure", 4},
      {"vandalism", "Strategic developments", "Looting/property destruction", "", 3},
      {"incendie", "Strategic developments", "Looting/property destruction", "", 4},
      {"pille", "Strategic developments", "Looting/property destruction", "", 4},
      // Armed violence.
      {"attack", "Battles", "Armed clash", "", 2},
      {"attacks", "Battles", "Armed clash", "", 2},
      {"attacked", "Battles", "Armed clash", "", 2},
      {"assault", "Battles", "Armed clash", "", 2},
      {"assaults", "Battles", "Armed clash", "", 2},
      {"ambush", "Battles", "Armed clash", "", 2},
      {"ambushed", "Battles", "Armed clash", "", 2},
      {"ambushes", "Battles", "Armed clash", "", 2},
      {"raided", "Battles", "Armed clash", "", 2},
      {"clashed", "Battles", "Armed clash", "", 2},
      {"fighting", "Battles", "Armed clash", "", 2},
      {"attaquent", "Battles", "Armed clash", "", 2},
      {"attaquee", "Battles", "Armed clash", "", 2},
      {"combats", "Battles", "Armed clash", "", 2},
      {"raid", "Battles", "Armed clash", "", 2},
      {"clashes", "Battles", "Armed clash", "", 2},
      {"offensive", "Battles", "Armed clash", "", 2},
      {"operations", "Battles", "Armed clash", "", 1},
      {"attaque", "Battles", "Armed clash", "", 2},
      {"attaques", "Battles", "Armed clash", "", 2},
      {"embuscade", "Battles", "Armed clash", "", 2},
      {"assaut", "Battles", "Armed clash", "", 2},
      {"affrontements", "Battles", "Armed clash", "", 2},
      // Killing verbs alone: the weakest evidence; the target decides
      // between a clash and violence against civilians.
      {"killed", "Battles", "Armed clash", "", 1},
      {"killing", "Battles", "Armed clash", "", 1},
      {"tues", "Battles", "Armed clash", "", 1},
      {"tuant", "Battles", "Armed clash", "", 1},
      {"tue", "Battles", "Armed clash", "", 1},
  };
  return kTriggers;
}

int MonthNumber(std::string_view w) {
  static const std::array<std::pair<std::string_view, int>, 40> kMonths = {{
      {"january", 1}, {"february", 2}, {"march", 3}, {"april", 4}, {"may", 5}, {"june", 6}, {"july", 7},
      {"august", 8}, {"september", 9}, {"october", 10}, {"november", 11}, {"december", 12},
      {"janvier", 1}, {"fevrier", 2}, {"mars", 3}, {"avril", 4}, {"mai", 5}, {"juin", 6}, {"juillet", 7},
      {"aout", 8}, {"septembre", 9}, {"octobre", 10}, {"novembre", 11}, {"decembre", 12},
      {"jan", 1}, {"feb", 2}, {"mar", 3}, {"apr", 4}, {"jun", 6}, {"jul", 7}, {"aug", 8}, {"sep", 9},
      {"sept", 9}, {"oct", 10}, {"nov", 11}, {"dec", 12}, {"juli", 7}, {"juni", 6}, {"januari", 1}, {"augustus", 8},
  }};
  for (const auto& [name, n] : kMonths)
    if (w == name) return n;
  return 0;
}

const std::vector<TargetEntry>& Targets() {
  static const std::vector<TargetEntry> kTargets = {
      // Two-word phrases first: they win over their last word.
      {"military post", "military post"}, {"military posts", "military post"}, {"army post", "military post"},
      {"poste militaire", "military post"}, {"postes militaires", "military post"},
      {"military base", "military base"}, {"army base", "military base"}, {"base militaire", "military base"},
      {"military camp", "military camp"}, {"army camp", "military camp"}, {"camp militaire", "military camp"},
      {"police station", "police station"}, {"police post", "police station"},
      {"cement factory", "cement factory"}, {"cement plant", "cement factory"}, {"cement site", "cement factory"},
      {"gold mine", "mine"}, {"mining site", "mine"}, {"site minier", "mine"},
      {"road works", "road works"}, {"construction equipment", "heavy machinery"},
      {"heavy machinery", "heavy machinery"}, {"fuel tankers", "fuel tankers"}, {"fuel trucks", "fuel tankers"},
      {"camions citernes", "fuel tankers"}, {"town hall", "town hall"}, {"village chief", "village chief"},
      {"national guard", "National Guard"}, {"garde nationale", "National Guard"},
      // Single words.
      {"gendarmerie", "gendarmerie"}, {"outpost", "military post"}, {"outposts", "military post"},
      {"barracks", "barracks"}, {"caserne", "barracks"}, {"checkpoint", "checkpoint"}, {"checkpoints", "checkpoint"},
      {"patrol", "patrol"}, {"patrouille", "patrol"}, {"convoy", "convoy"}, {"convoys", "convoy"},
      {"convoi", "convoy"}, {"cimenterie", "cement factory"}, {"factory", "factory"}, {"usine", "factory"},
      {"plant", "factory"}, {"mine", "mine"}, {"market", "market"}, {"marche", "market"}, {"mosque", "mosque"},
      {"mosquee", "mosque"}, {"church", "church"}, {"eglise", "church"}, {"school", "school"},
      {"ecole", "school"}, {"bus", "bus"}, {"mayor", "mayor"}, {"maire", "mayor"}, {"mairie", "town hall"},
      {"prison", "prison"}, {"airport", "airport"}, {"aeroport", "airport"}, {"workers", "workers"},
      {"ouvriers", "workers"}, {"employes", "workers"}, {"machinery", "heavy machinery"}, {"engins", "heavy machinery"},
      {"trucks", "trucks"}, {"camions", "trucks"}, {"village", "village"}, {"villages", "village"},
  };
  return kTargets;
}

int NumberWord(std::string_view w) {
  static const std::array<std::pair<std::string_view, int>, 44> kNumbers = {{
      {"one", 1}, {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5}, {"six", 6}, {"seven", 7}, {"eight", 8},
      {"nine", 9}, {"ten", 10}, {"eleven", 11}, {"twelve", 12}, {"fifteen", 15}, {"twenty", 20}, {"thirty", 30},
      {"forty", 40}, {"fifty", 50}, {"hundred", 100}, {"dozen", 12},
      {"un", 1}, {"une", 1}, {"deux", 2}, {"trois", 3}, {"quatre", 4}, {"cinq", 5}, {"sept", 7}, {"huit", 8},
      {"neuf", 9}, {"dix", 10}, {"douze", 12}, {"quinze", 15}, {"vingt", 20}, {"trente", 30}, {"quarante", 40},
      {"cinquante", 50}, {"cent", 100}, {"douzaine", 12}, {"dizaine", 10}, {"quinzaine", 15}, {"vingtaine", 20},
      {"trentaine", 30}, {"centaine", 100}, {"single", 1}, {"seize", 16},
  }};
  for (const auto& [name, n] : kNumbers)
    if (w == name) return n;
  return 0;
}

bool IsNonPlaceWord(std::string_view w) {
  static const std::unordered_set<std::string_view> kWords = {
      "the", "a", "an", "in", "on", "at", "of", "and", "or", "but", "this", "that", "these", "those", "it", "its",
      "le", "la", "les", "de", "du", "des", "un", "une", "et", "en", "au", "aux", "ce", "cette", "il", "elle",
      "mali", "malian", "niger", "burkina", "faso", "senegal", "mauritania", "guinea", "algeria", "africa",
      "african", "west", "western", "east", "eastern", "north", "northern", "south", "southern", "central",
      "region", "regions", "cercle", "commune", "province", "village", "town", "city", "capital",
      "jnim", "gsim", "fama", "isgs", "eigs", "csp", "mnla", "vdp", "mplj", "aes", "asa", "rn22", "national",
      "route", "indian", "indians", "chinese", "french", "russian", "russia", "france", "china", "india", "beijing",
      "new", "delhi", "bamako's", "overview", "conclusion", "when", "location", "topic", "stamp", "share",
      "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "lundi", "mardi",
      "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "hier", "yesterday", "islam", "muslims", "islamic", "state", "group",
      "army", "military", "government", "junta", "forces", "sahel", "sahelian", "gulf", "coast", "ivory",
      "dakar", "nouakchott", "somalia", "yemen", "benin", "sudan", "drc", "uganda", "ituri", "darfur",
      "some", "many", "most", "several", "after", "before", "since", "while", "during", "following", "among",
      "however", "meanwhile", "today", "yesterday", "there", "here", "they", "we", "our", "their", "his", "her",
      "recent", "recently", "other", "others", "all", "both", "each", "more", "less", "first", "second", "third",
      "implications", "landscape", "crisis", "attacks", "attack", "strategic", "economic", "political",
      "territorial", "local", "governance", "control", "disruption", "villagers", "mayor", "president",
  };
  return kWords.count(w) > 0 || MonthNumber(w) > 0;
}

}  // namespace vigil::text

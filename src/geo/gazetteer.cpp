#include "geo/gazetteer.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "core/csv.h"
#include "core/event.h"
#include "core/strings.h"
#include "geo/normalize.h"

namespace vigil::geo {

using core::Result;
using core::Status;

namespace {

constexpr int64_t kAliasIdBase = 9'000'000'000;

std::string StripRegionWord(std::string_view name) {
  std::string s(core::Trim(name));
  for (std::string_view suffix : {" Region", " region", " Province", " province"})
    if (s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0)
      s.resize(s.size() - suffix.size());
  return s;
}

std::string StripRegionFolded(std::string s) {
  for (std::string_view prefix :
       {"region de ", "region du ", "region of ", "regions de ", "province de ", "province of "})
    if (core::StartsWith(s, prefix)) s = s.substr(prefix.size());
  for (std::string_view suffix : {" region", " province", " governorate"})
    if (s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0)
      s.resize(s.size() - suffix.size());
  return s;
}

struct Columns {
  std::map<std::string, size_t, std::less<>> idx;
  Status Need(std::initializer_list<std::string_view> names, const std::string& path) const {
    for (auto n : names)
      if (!idx.count(n)) return core::ParseError(path + ": missing column '" + std::string(n) + "' in the header");
    return Status::Ok();
  }
  size_t operator()(std::string_view n) const { return idx.find(n)->second; }
};

Result<Columns> ReadHeader(core::CsvReader& r, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(bool any, r.Next());
  if (!any) return core::ParseError(path + " is empty");
  Columns c;
  for (size_t i = 0; i < r.size(); ++i) c.idx[std::string(core::Trim(r[i]))] = i;
  return c;
}

double FeatureWeight(const Place& p) {
  if (p.feature_class == 'P') {
    if (p.feature_code == "PPLC") return 0.5;
    if (p.feature_code == "PPLA") return 0.45;
    if (p.feature_code == "PPLA2") return 0.4;
    if (p.feature_code == "PPLA3") return 0.35;
    return 0.3;
  }
  if (p.feature_class == 'A') return p.feature_code == "ADM1" ? 0.35 : (p.feature_code == "ADM2" ? 0.25 : 0.2);
  if (p.feature_class == 'S') return 0.1;
  return 0.0;
}

int64_t GridKey(double lat, double lon) {
  return static_cast<int64_t>(std::floor(lat * 2)) * 10000 + static_cast<int64_t>(std::floor(lon * 2));
}

}  // namespace

const char* MatchKindName(MatchKind k) {
  switch (k) {
    case MatchKind::kName:
      return "name";
    case MatchKind::kAlternate:
      return "alternate";
    case MatchKind::kAlias:
      return "alias";
    case MatchKind::kFuzzy:
      return "fuzzy";
  }
  return "name";
}

std::string CountryName(std::string_view iso2) {
  if (iso2 == "ML") return "Mali";
  if (iso2 == "BF") return "Burkina Faso";
  if (iso2 == "NE") return "Niger";
  if (iso2 == "SN") return "Senegal";
  if (iso2 == "MR") return "Mauritania";
  if (iso2 == "GN") return "Guinea";
  if (iso2 == "CI") return "Ivory Coast";
  if (iso2 == "DZ") return "Algeria";
  return std::string(iso2);
}

std::string CountryIso2(std::string_view name) {
  const std::string f = FoldName(name);
  static const std::pair<const char*, const char*> kNames[] = {
      {"mali", "ML"},    {"ml", "ML"},          {"mli", "ML"},           {"burkina faso", "BF"},
      {"burkina", "BF"}, {"bf", "BF"},          {"bfa", "BF"},           {"niger", "NE"},
      {"ne", "NE"},      {"ner", "NE"},         {"senegal", "SN"},       {"mauritania", "MR"},
      {"guinea", "GN"},  {"ivory coast", "CI"}, {"cote d ivoire", "CI"}, {"algeria", "DZ"}};
  for (const auto& [n, iso] : kNames)
    if (f == n) return iso;
  return {};
}

void Gazetteer::Index(uint32_t place, const std::string& folded, MatchKind kind) {
  if (folded.empty()) return;
  auto& sp = spellings_[SpellingKey(folded)];
  if (std::find(sp.begin(), sp.end(), place) == sp.end()) sp.push_back(place);
  auto& v = names_[folded];
  for (auto& e : v)
    if (e.place == place) {
      if (static_cast<int>(kind) < static_cast<int>(e.kind)) e.kind = kind;
      return;
    }
  v.push_back({place, kind});
}

Result<Gazetteer> Gazetteer::Load(const std::string& data_dir) {
  Gazetteer g;
  const std::string dir = data_dir + "/gazetteer";
  // Admin1 code -> canonical name.
  std::map<std::string, std::string> admin1_by_code;  // "ML.05" -> "Ségou"
  {
    const std::string path = dir + "/geonames_admin_codes.csv";
    VIGIL_ASSIGN_OR_RETURN(core::CsvReader r, core::CsvReader::Open(path));
    VIGIL_ASSIGN_OR_RETURN(Columns c, ReadHeader(r, path));
    VIGIL_RETURN_IF_ERROR(c.Need({"level", "code", "name"}, path));
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool row, r.Next());
      if (!row) break;
      if (r[c("level")] != "admin1") continue;
      const std::string name = StripRegionWord(r[c("name")]);
      const std::string code(r[c("code")]);
      admin1_by_code[code] = name;
      g.admin1_names_.emplace_back(name, code.substr(0, 2));
      g.admin1_aliases_[FoldName(name)] = name;
    }
  }
  for (const char* cc : {"ML", "BF", "NE"}) {
    const std::string path = dir + "/geonames_" + cc + ".csv";
    VIGIL_ASSIGN_OR_RETURN(core::CsvReader r, core::CsvReader::Open(path));
    VIGIL_ASSIGN_OR_RETURN(Columns c, ReadHeader(r, path));
    VIGIL_RETURN_IF_ERROR(
        c.Need({"geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude", "feature_class",
                "feature_code", "country_code", "admin1_code", "population", "admin1_name", "admin2_name"},
               path));
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool row, r.Next());
      if (!row) break;
      Place p;
      if (!core::ParseInt64(r[c("geonameid")], &p.id) || !core::ParseDouble(r[c("latitude")], &p.lat) ||
          !core::ParseDouble(r[c("longitude")], &p.lon))
        return core::ParseError(path + ":" + std::to_string(r.line()) + ": bad geonameid or coordinates");
      p.name = r[c("name")];
      p.asciiname = r[c("asciiname")];
      p.alternatenames = r[c("alternatenames")];
      p.feature_class = r[c("feature_class")].empty() ? '?' : r[c("feature_class")][0];
      p.feature_code = r[c("feature_code")];
      p.country_code = r[c("country_code")];
      auto code = admin1_by_code.find(std::string(cc) + "." + std::string(r[c("admin1_code")]));
      p.admin1 = code != admin1_by_code.end() ? code->second : StripRegionWord(r[c("admin1_name")]);
      p.admin2 = r[c("admin2_name")];
      core::ParseInt64(r[c("population")], &p.population);
      // A feature on a border can appear in two countries' dumps: keep one.
      if (!g.by_id_.emplace(p.id, static_cast<uint32_t>(g.places_.size())).second) continue;
      g.places_.push_back(std::move(p));
    }
  }
  // Aliases: extra names for GeoNames places, and places GeoNames lacks.
  {
    const std::string path = dir + "/aliases.csv";
    VIGIL_ASSIGN_OR_RETURN(core::CsvReader r, core::CsvReader::Open(path));
    VIGIL_ASSIGN_OR_RETURN(Columns c, ReadHeader(r, path));
    VIGIL_RETURN_IF_ERROR(c.Need(
        {"names", "geonameid", "latitude", "longitude", "country_code", "admin1", "admin2", "feature_code", "note"},
        path));
    std::vector<std::pair<std::vector<std::string>, int64_t>> extra_names;
    int64_t next_id = kAliasIdBase + 1;
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool row, r.Next());
      if (!row) break;
      std::vector<std::string> names;
      for (auto n : core::Split(r[c("names")], '|'))
        if (!core::Trim(n).empty()) names.emplace_back(core::Trim(n));
      if (names.empty()) continue;
      int64_t id = 0;
      if (core::ParseInt64(r[c("geonameid")], &id) && id > 0) {
        extra_names.emplace_back(std::move(names), id);
        continue;
      }
      Place p;
      p.id = next_id++;
      if (!core::ParseDouble(r[c("latitude")], &p.lat) || !core::ParseDouble(r[c("longitude")], &p.lon) ||
          !core::ValidLatLon(p.lat, p.lon))
        return core::ParseError(path + ":" + std::to_string(r.line()) +
                                ": an alias without geonameid needs valid "
                                "latitude and longitude");
      p.name = names.front();
      p.asciiname = FoldName(p.name);
      for (size_t i = 1; i < names.size(); ++i) p.alternatenames += (i > 1 ? "," : "") + names[i];
      p.feature_class = 'P';
      p.feature_code = r[c("feature_code")].empty() ? "PPL" : std::string(r[c("feature_code")]);
      p.country_code = r[c("country_code")];
      p.admin1 = r[c("admin1")];
      p.admin2 = r[c("admin2")];
      p.from_aliases = true;
      p.note = r[c("note")];
      g.places_.push_back(std::move(p));
    }
    for (uint32_t i = 0; i < g.places_.size(); ++i) g.by_id_[g.places_[i].id] = i;
    for (auto& [names, id] : extra_names) {
      auto it = g.by_id_.find(id);
      if (it == g.by_id_.end()) return core::ParseError(path + ": alias for unknown geonameid " + std::to_string(id));
      for (const auto& n : names) g.Index(it->second, FoldName(n), MatchKind::kAlias);
    }
  }
  for (uint32_t i = 0; i < g.places_.size(); ++i) {
    const Place& p = g.places_[i];
    g.by_id_[p.id] = i;
    g.Index(i, FoldName(p.name), p.from_aliases ? MatchKind::kAlias : MatchKind::kName);
    g.Index(i, FoldName(p.asciiname), p.from_aliases ? MatchKind::kAlias : MatchKind::kName);
    for (auto alt : core::Split(p.alternatenames, ','))
      g.Index(i, FoldName(alt), p.from_aliases ? MatchKind::kAlias : MatchKind::kAlternate);
    // A village written without the qualifier its gazetteer name carries
    // ("Koulogon" for Koulogon-Habe, "Sobane" for Sobane-Da): the part
    // before the hyphen, ranked as an alternate name (an exact name wins).
    if (const size_t dash = p.name.find('-'); p.feature_class == 'P' && dash != std::string::npos) {
      const std::string base = FoldName(p.name.substr(0, dash));
      if (base.size() >= 4) g.Index(i, base, MatchKind::kAlternate);
    }
    if (p.feature_class == 'P') g.populated_grid_[GridKey(p.lat, p.lon)].push_back(i);
    if (p.feature_code == "ADM1" && !p.admin1.empty()) {
      g.admin1_aliases_[StripRegionFolded(FoldName(p.name))] = p.admin1;
      for (auto alt : core::Split(p.alternatenames, ',')) {
        const std::string f = StripRegionFolded(FoldName(alt));
        if (!f.empty() && !g.admin1_aliases_.count(f)) g.admin1_aliases_[f] = p.admin1;
      }
    }
  }
  // Regional capitals name their region too ("Timbuktu" -> Tombouctou).
  for (const auto& p : g.places_)
    if (p.feature_code == "PPLA" && !p.admin1.empty())
      for (auto n : {p.name, p.asciiname}) g.admin1_aliases_.try_emplace(FoldName(n), p.admin1);
  for (const auto& p : g.places_)
    if (p.feature_code == "PPLA" && !p.admin1.empty())
      for (auto alt : core::Split(p.alternatenames, ',')) {
        const std::string f = FoldName(alt);
        if (!f.empty()) g.admin1_aliases_.try_emplace(f, p.admin1);
      }
  return g;
}

std::string Gazetteer::CanonicalAdmin1(std::string_view name) const {
  const std::string f = StripRegionFolded(FoldName(name));
  auto it = admin1_aliases_.find(f);
  return it == admin1_aliases_.end() ? std::string() : it->second;
}

const Place* Gazetteer::ById(int64_t id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &places_[it->second];
}

const Place* Gazetteer::NearestPopulated(double lat, double lon, double max_km) const {
  const Place* best = nullptr;
  double best_d = max_km;
  const int64_t r0 = static_cast<int64_t>(std::floor(lat * 2)), c0 = static_cast<int64_t>(std::floor(lon * 2));
  for (int64_t dr = -1; dr <= 1; ++dr)
    for (int64_t dc = -1; dc <= 1; ++dc) {
      auto it = populated_grid_.find((r0 + dr) * 10000 + (c0 + dc));
      if (it == populated_grid_.end()) continue;
      for (uint32_t i : it->second) {
        const double d = core::HaversineKm(lat, lon, places_[i].lat, places_[i].lon);
        if (d <= best_d) {
          best_d = d;
          best = &places_[i];
        }
      }
    }
  return best;
}

std::vector<Candidate> Gazetteer::Geocode(std::string_view name, const GeocodeOptions& opt) const {
  const std::string key = FoldName(name);
  std::vector<Candidate> out;
  if (key.empty()) return out;
  const std::string admin1 = opt.admin1.empty() ? std::string() : CanonicalAdmin1(opt.admin1);
  const std::string admin1_folded = FoldName(admin1.empty() ? opt.admin1 : admin1);
  const std::string country = opt.country.empty() ? std::string() : CountryIso2(opt.country);

  std::unordered_map<uint32_t, size_t> seen;
  auto add = [&](uint32_t pi, MatchKind kind, const std::string& matched, int distance) {
    const Place& p = places_[pi];
    if (!country.empty() && p.country_code != country) return;
    double s = kind == MatchKind::kAlternate ? 0.85 : (kind == MatchKind::kFuzzy ? 0.65 - 0.1 * distance : 1.0);
    s += FeatureWeight(p);
    s += 0.1 * std::min(1.0, std::log10(1.0 + static_cast<double>(p.population)) / 6.0);
    if (!admin1_folded.empty()) s += FoldName(p.admin1) == admin1_folded ? 1.0 : -0.6;
    double d = -1;
    if (opt.near) {
      d = core::HaversineKm(opt.near->first, opt.near->second, p.lat, p.lon);
      s += 0.8 * std::exp(-d / 75.0);
    }
    auto it = seen.find(pi);
    if (it != seen.end()) {
      if (s > out[it->second].score) out[it->second] = {&p, s, kind, matched, d};
      return;
    }
    seen[pi] = out.size();
    out.push_back({&p, s, kind, matched, d});
  };

  if (auto it = names_.find(key); it != names_.end())
    for (const auto& e : it->second) add(e.place, e.kind, key, 0);
  // French transliterations alternate a final -y and -i (Diabaly/Diabali,
  // Dogofry/Dogofri): try the other spelling before any fuzzy match.
  if (out.empty() && key.size() >= 4 && (key.back() == 'y' || key.back() == 'i')) {
    std::string alt = key;
    alt.back() = key.back() == 'y' ? 'i' : 'y';
    if (auto it = names_.find(alt); it != names_.end())
      for (const auto& e : it->second) add(e.place, MatchKind::kAlternate, alt, 0);
  }
  // Another transliteration of the same name (Banibangou / Bani Bangou).
  if (out.empty() && key.size() >= 5)
    if (auto it = spellings_.find(SpellingKey(key)); it != spellings_.end())
      for (uint32_t pi : it->second) add(pi, MatchKind::kAlternate, key, 0);
  if (out.empty() && opt.fuzzy && key.size() >= 4) {
    const int cap = key.size() >= 8 ? 2 : 1;
    for (const auto& [k, entries] : names_) {
      if (k.empty() || k[0] != key[0]) continue;
      const int d = EditDistance(key, k, cap);
      if (d > cap || d == 0) continue;
      for (const auto& e : entries) add(e.place, MatchKind::kFuzzy, k, d);
    }
  }
  std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.place->id < b.place->id;
  });
  if (out.size() > opt.limit) out.resize(opt.limit);
  return out;
}

}  // namespace vigil::geo

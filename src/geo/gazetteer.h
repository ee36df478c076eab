// vigil::geo — the gazetteer and the geocoder.
//
// Places come from the bundled GeoNames dumps for Mali, Burkina Faso and
// Niger (data/gazetteer/geonames_*.csv) with their alternate names, plus
// data/gazetteer/aliases.csv: press spellings GeoNames lacks ("Nioro du
// Sahel" for Nioro, "Dogofry" for Dogofri) and places it misses (Boulkessi,
// Gouroundapé), each with a note on its source.
//
// Names are matched after FoldName (accents, case, apostrophes), so
// Ségou/Segou/SEGOU agree; English/French variants come from GeoNames'
// alternate names (Tombouctou/Timbuktu). Candidates are ranked by match kind,
// feature class (towns before rivers), population, the admin1 hint and
// distance to a `near` point; see docs/geography.md for the weights.
//
// Thread-safety: immutable after Load(); const methods are safe from any
// thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace vigil::geo {

struct Place {
  int64_t id = 0;  // GeoNames id; aliases-only places use 9'000'000'000 + n
  std::string name;
  std::string asciiname;
  std::string alternatenames;  // as in GeoNames, comma-separated
  double lat = 0, lon = 0;
  char feature_class = 'P';
  std::string feature_code;
  std::string country_code;  // ISO 3166-1 alpha-2: ML, BF, NE
  std::string admin1;        // canonical admin1 name ("Ségou", "Tillabéri")
  std::string admin2;
  int64_t population = 0;
  bool from_aliases = false;
  std::string note;  // aliases.csv note
};

enum class MatchKind { kName, kAlternate, kAlias, kFuzzy };
const char* MatchKindName(MatchKind k);

struct Candidate {
  const Place* place = nullptr;
  double score = 0;  // higher is better; comparable within one query
  MatchKind match = MatchKind::kName;
  std::string matched_name;  // folded name that matched
  double distance_km = -1;   // to `near`, when given
};

struct GeocodeOptions {
  std::string admin1;                             // hint: candidates in it rank first
  std::string country;                            // ISO2 or name; filters when set
  std::optional<std::pair<double, double>> near;  // (lat, lon)
  size_t limit = 10;
  bool fuzzy = true;  // try edit distance 1-2 when nothing matches exactly
};

std::string CountryName(std::string_view iso2);  // "ML" -> "Mali"
std::string CountryIso2(std::string_view name);  // "Mali"/"ml"/"MLI" -> "ML"; "" if unknown

class Gazetteer {
 public:
  // Loads data_dir/gazetteer/{geonames_ML,geonames_BF,geonames_NE,
  // geonames_admin_codes,aliases}.csv. Fails with kNotFound (naming the file
  // and --data-dir) or kParse (wrong header).
  static core::Result<Gazetteer> Load(const std::string& data_dir);

  std::vector<Candidate> Geocode(std::string_view name, const GeocodeOptions& opt) const;
  const Place* ById(int64_t id) const;
  // Nearest populated place (feature class P) within max_km, or nullptr.
  const Place* NearestPopulated(double lat, double lon, double max_km) const;
  // Canonical admin1 name for a spelling ("Segou", "ségou region",
  // "Timbuktu" -> "Ségou"/"Tombouctou"), or "" if unknown.
  std::string CanonicalAdmin1(std::string_view name) const;
  // Every canonical admin1 name with its country (ISO2).
  const std::vector<std::pair<std::string, std::string>>& Admin1Names() const { return admin1_names_; }
  const std::vector<Place>& places() const { return places_; }

 private:
  struct Entry {
    uint32_t place;
    MatchKind kind;
  };
  void Index(uint32_t place, const std::string& folded, MatchKind kind);

  std::vector<Place> places_;
  std::unordered_map<int64_t, uint32_t> by_id_;
  std::unordered_map<std::string, std::vector<Entry>> names_;
  std::unordered_map<std::string, std::vector<uint32_t>> spellings_;  // SpellingKey -> places
  std::unordered_map<std::string, std::string> admin1_aliases_;       // folded -> canonical
  std::vector<std::pair<std::string, std::string>> admin1_names_;
  std::unordered_map<int64_t, std::vector<uint32_t>> populated_grid_;  // 0.5° buckets
};

}  // namespace vigil::geo

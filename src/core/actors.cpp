#include "core/actors.h"

#include <array>
#include <utility>

#include "core/strings.h"

namespace vigil::core {

namespace {

// (lower-case alias or prefix, canonical name). An alias ending in ':' or
// '(' matches as a prefix; others match the whole (suffix-stripped) name.
constexpr std::array<std::pair<std::string_view, std::string_view>, 56> kAliases = {{
    {"jnim", "JNIM"},
    {"jnim:", "JNIM"},
    {"gsim", "JNIM"},
    {"jama'at nusrat al-islam wal-muslimin", "JNIM"},
    {"jama'at nusrat al-islam wa-l-muslimin", "JNIM"},
    {"jamaat nusrat al-islam wal-muslimin", "JNIM"},
    {"group for support of islam and muslims", "JNIM"},
    {"group for supporting islam and muslims", "JNIM"},
    {"katiba macina", "JNIM"},
    {"katiba macina:", "JNIM"},
    {"macina liberation front", "JNIM"},
    {"front de liberation du macina", "JNIM"},
    {"flm: macina liberation front", "JNIM"},
    {"ansar dine", "Ansar Dine"},
    {"ansar dine:", "Ansar Dine"},
    {"islamic state (sahel)", "IS Sahel"},
    {"islamic state sahel province", "IS Sahel"},
    {"islamic state (greater sahara)", "IS Sahel"},
    {"islamic state in the greater sahara", "IS Sahel"},
    {"is sahel", "IS Sahel"},
    {"is", "IS Sahel"},
    {"isgs", "IS Sahel"},
    {"isgs:", "IS Sahel"},
    {"eigs", "IS Sahel"},
    {"iss", "IS Sahel"},
    {"military forces of mali", "Military Forces of Mali"},
    {"government of mali", "Military Forces of Mali"},
    {"fama", "Military Forces of Mali"},
    {"malian army", "Military Forces of Mali"},
    {"military forces of burkina faso", "Military Forces of Burkina Faso"},
    {"government of burkina faso", "Military Forces of Burkina Faso"},
    {"military forces of niger", "Military Forces of Niger"},
    {"government of niger", "Military Forces of Niger"},
    {"police forces of mali", "Police Forces of Mali"},
    {"wagner group", "Wagner Group"},
    {"wagner", "Wagner Group"},
    {"africa corps", "Africa Corps"},
    {"civilians", "Civilians"},
    {"dozo communal militia", "Dozo militia"},
    {"dozo militia", "Dozo militia"},
    {"dan na ambassagou", "Dan Na Ambassagou"},
    {"unidentified armed group", "Unidentified armed group"},
    {"unidentified armed group (mali)", "Unidentified armed group"},
    {"csp-psd:", "CSP"},
    {"csp-dpa:", "CSP"},
    {"csp", "CSP"},
    {"csp-psd", "CSP"},
    {"mnla:", "MNLA"},
    {"mnla", "MNLA"},
    {"national movement for the liberation of azawad", "MNLA"},
    {"mplj", "MPLJ"},
    {"mplj:", "MPLJ"},
    {"vdp: volunteers for the defense of the homeland", "VDP"},
    {"vdp", "VDP"},
    {"rioters", "Rioters"},
    {"protesters", "Protesters"},
}};

// Removes trailing parentheticals: "(2021-)", "(Mali)", "(International)".
std::string_view StripSuffix(std::string_view s) {
  s = Trim(s);
  while (!s.empty() && s.back() == ')') {
    const size_t open = s.rfind('(');
    if (open == std::string_view::npos || open == 0) break;
    s = Trim(s.substr(0, open));
  }
  return s;
}

}  // namespace

std::string NormaliseActor(std::string_view name) {
  const std::string_view trimmed = Trim(name);
  if (trimmed.empty()) return {};
  const std::string_view base = StripSuffix(trimmed);
  const std::string lower_full = AsciiLower(trimmed);
  const std::string lower = AsciiLower(base);
  for (const auto& [alias, canonical] : kAliases) {
    if (alias.back() == ':' || alias.back() == '(') {
      if (StartsWith(lower_full, alias)) return std::string(canonical);
    } else if (lower == alias || lower_full == alias) {
      return std::string(canonical);
    }
  }
  return std::string(base.empty() ? trimmed : base);
}

}  // namespace vigil::core

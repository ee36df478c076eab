// libFuzzer target: the site file readers (CSV and GeoJSON from users).
// Every input gets sites or a Status; every site they accept passes the
// same checks as `vigil site add`.
#include <cstddef>
#include <cstdint>
#include <string>

#include "geo/sites.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (auto sites : {vigil::geo::ParseSitesCsvText(text), vigil::geo::ParseSitesGeoJson(text)}) {
    if (!sites.ok()) continue;
    for (auto s : *sites)
      if (!vigil::geo::ValidateSite(&s).ok()) __builtin_trap();
  }
  return 0;
}

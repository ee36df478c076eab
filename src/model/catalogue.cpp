#include "model/catalogue.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "core/strings.h"

namespace vigil::model {

EventClass ClassOf(const std::string& t) {
  if (t == "Battles") return kBattles;
  if (t == "Explosions/Remote violence") return kRemoteViolence;
  if (t == "Violence against civilians") return kViolenceCivilians;
  return kOtherClass;
}

const char* ClassName(int c) {
  switch (c) {
    case kBattles:
      return "battles";
    case kRemoteViolence:
      return "remote_violence";
    case kViolenceCivilians:
      return "violence_against_civilians";
    default:
      return "other";
  }
}

double LocationScaleKm(int geo_precision) { return geo_precision <= 1 ? 2.0 : geo_precision == 2 ? 10.0 : 50.0; }

bool IsPoliticalViolence(const core::Event& e) {
  if (e.source == "ucdp") return true;
  const int c = ClassOf(e.event_type);
  return c == kBattles || c == kRemoteViolence || c == kViolenceCivilians;
}

std::vector<ModelEvent> PrepareCatalogue(const std::vector<core::Event>& events, core::Date origin, core::Date from,
                                         core::Date to) {
  std::vector<ModelEvent> out;
  std::set<std::tuple<int32_t, int64_t, int64_t, int>> seen;
  out.reserve(events.size());
  for (const auto& e : events) {
    if (e.date_start < from || !(e.date_start < to)) continue;
    const int cls = ClassOf(e.event_type);
    const auto key =
        std::make_tuple(e.date_start.days(), std::llround(e.latitude * 1e4), std::llround(e.longitude * 1e4), cls);
    if (!seen.insert(key).second) continue;  // duplicate report
    ModelEvent m;
    // Position within the day from a hash of the event's identity: stable
    // across runs, spread uniformly.
    // FNV-1a's high bits barely change between ids that differ in their
    // last characters; a splitmix64 finaliser spreads them.
    uint64_t h = core::Fnv1a64(e.source + "\x1f" + e.source_id);
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    h ^= h >> 31;
    const double frac = (static_cast<double>(h >> 11) + 0.5) / 9007199254740992.0;
    m.t = static_cast<double>(e.date_start - origin) + frac;
    m.lat = e.latitude;
    m.lon = e.longitude;
    m.cls = cls;
    m.precise = e.date_precision == core::DatePrecision::kDay && e.geo_precision < 3;
    m.loc_km = static_cast<float>(LocationScaleKm(e.geo_precision));
    m.gid = e.gid;
    m.admin1 = e.admin1;
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(), [](const ModelEvent& a, const ModelEvent& b) { return a.t < b.t; });
  return out;
}

}  // namespace vigil::model

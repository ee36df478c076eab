#include "core/event.h"

#include <cctype>
#include <cmath>
#include <map>

#include "core/strings.h"

namespace vigil::core {

namespace {

struct Taxonomy {
  std::vector<std::string> types;
  std::map<std::string, std::vector<std::string>, std::less<>> subtypes;
};

const Taxonomy& Tax() {
  static const Taxonomy kTax = [] {
    Taxonomy t;
    t.subtypes = {
        {"Battles", {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}},
        {"Explosions/Remote violence",
         {"Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
          "Remote explosive/landmine/IED", "Grenade"}},
        {"Violence against civilians", {"Sexual violence", "Attack", "Abduction/forced disappearance"}},
        {"Protests", {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}},
        {"Riots", {"Violent demonstration", "Mob violence"}},
        {"Strategic developments",
         {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
          "Headquarters or base established", "Looting/property destruction", "Non-violent transfer of territory",
          "Other"}},
    };
    t.types = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
               "Riots",   "Strategic developments"};
    return t;
  }();
  return kTax;
}

}  // namespace

const std::vector<std::string>& EventTypes() { return Tax().types; }

const std::vector<std::string>& SubEventTypes(std::string_view event_type) {
  static const std::vector<std::string> kEmpty;
  auto it = Tax().subtypes.find(event_type);
  return it == Tax().subtypes.end() ? kEmpty : it->second;
}

std::string_view EventTypeOfSubType(std::string_view sub) {
  for (const auto& [type, subs] : Tax().subtypes)
    for (const auto& s : subs)
      if (s == sub) return type;
  return {};
}

namespace {
bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}
}  // namespace

const std::string* FindEventType(std::string_view name) {
  name = Trim(name);
  for (const auto& t : EventTypes())  // exports spell them exactly: compare bytes first
    if (t == name) return &t;
  for (const auto& t : EventTypes())
    if (EqualsIgnoreCase(t, name)) return &t;
  return nullptr;
}

const std::string* FindSubEventType(std::string_view name) {
  name = Trim(name);
  for (const auto& [type, subs] : Tax().subtypes)
    for (const auto& s : subs)
      if (s == name) return &s;
  for (const auto& [type, subs] : Tax().subtypes)
    for (const auto& s : subs)
      if (EqualsIgnoreCase(s, name)) return &s;
  return nullptr;
}

std::string CanonicalEventType(std::string_view name) {
  const std::string* t = FindEventType(name);
  return t ? *t : std::string();
}

std::string CanonicalSubEventType(std::string_view name) {
  const std::string* t = FindSubEventType(name);
  return t ? *t : std::string();
}

// ResetEvent lists every field: a field added to Event changes its size,
// and this reminds whoever adds it to reset it there too.
#if defined(__x86_64__) && defined(__GLIBCXX__)
static_assert(sizeof(Event) == 776, "a field was added to Event: reset it in ResetEvent, then update this size");
#endif

void ResetEvent(Event* e) {
  e->id = 0;
  e->source.clear();
  e->source_id.clear();
  e->revision = 1;
  e->date_start = Date();
  e->date_end = Date();
  e->date_precision = DatePrecision::kDay;
  e->latitude = e->longitude = 0;
  e->geo_precision = kGeoPrecisionTown;
  e->place_id = 0;
  for (std::string* s : {&e->location, &e->country, &e->admin1, &e->admin2, &e->admin1_pcode, &e->admin2_pcode,
                         &e->event_type, &e->sub_event_type, &e->actor1, &e->actor2, &e->actor1_original,
                         &e->actor2_original, &e->assoc_actor1, &e->assoc_actor2, &e->notes, &e->evidence_doc})
    s->clear();
  e->gid = 0;
  e->fatalities.reset();
  e->fatalities_low.reset();
  e->fatalities_high.reset();
  e->hostages.reset();
  e->tags.clear();
  e->evidence_start = e->evidence_end = -1;
  e->confidence = 1.0;
  e->sources.clear();
}

bool CompatibleEventTypes(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty() || a == b) return true;
  auto pair = [&](std::string_view x, std::string_view y) { return (a == x && b == y) || (a == y && b == x); };
  return pair("Battles", "Explosions/Remote violence") ||
         pair("Violence against civilians", "Explosions/Remote violence") || pair("Protests", "Riots");
}

bool ValidLatLon(double lat, double lon) {
  return std::isfinite(lat) && std::isfinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 &&
         !(lat == 0 && lon == 0);
}

Status ValidateEvent(const Event& e) {
  if (e.source.empty()) return InvalidArgument("event has no source");
  if (e.source_id.empty()) return InvalidArgument("event has no source_id");
  if (!ValidLatLon(e.latitude, e.longitude))
    return InvalidArgument("coordinates out of range: latitude " + std::to_string(e.latitude) + ", longitude " +
                           std::to_string(e.longitude) + " (latitude -90..90, longitude -180..180, not 0,0)");
  if (e.date_end < e.date_start)
    return InvalidArgument("date_end " + e.date_end.ToIso() + " is before date_start " + e.date_start.ToIso());
  if (e.geo_precision < 1 || e.geo_precision > 3)
    return InvalidArgument("geo_precision " + std::to_string(e.geo_precision) + " out of range (1, 2 or 3)");
  if (!e.event_type.empty() && SubEventTypes(e.event_type).empty())
    return InvalidArgument("unknown event_type '" + e.event_type +
                           "' (expected one of ACLED's six: Battles, Explosions/Remote violence, Violence against "
                           "civilians, Protests, Riots, Strategic developments)");
  if (e.event_type.empty()) return InvalidArgument("event has no event_type");
  if (!e.sub_event_type.empty() && EventTypeOfSubType(e.sub_event_type) != e.event_type)
    return InvalidArgument("sub_event_type '" + e.sub_event_type + "' is not a sub-type of '" + e.event_type + "'");
  for (auto [name, v] : {std::pair{"fatalities", &e.fatalities},
                         {"fatalities_low", &e.fatalities_low},
                         {"fatalities_high", &e.fatalities_high},
                         {"hostages", &e.hostages}}) {
    if (v->has_value() && **v < 0) return InvalidArgument(std::string(name) + " is negative");
    if (v->has_value() && **v > kMaxCount)
      return InvalidArgument(std::string(name) + " " + std::to_string(**v) + " exceeds " + std::to_string(kMaxCount) +
                             " (check the value)");
  }
  if (e.revision < 1 || e.revision > kMaxRevision)
    return InvalidArgument("revision must be from 1 to " + std::to_string(kMaxRevision));
  return Status::Ok();
}

double HaversineKm(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kRad = M_PI / 180.0;
  const double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * 6371.0088 * std::asin(std::min(1.0, std::sqrt(a)));
}

}  // namespace vigil::core

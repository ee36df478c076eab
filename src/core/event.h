// vigil::core — the event: one incident at one place on one date, whatever
// its source (DESIGN.md, "The event").
//
// Thread-safety: values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"

namespace vigil::core {

// Geographic precision, as ACLED's geo_precision: 1 the town itself,
// 2 near a town or part of a region, 3 an admin-unit centroid or larger.
constexpr int kGeoPrecisionTown = 1;
constexpr int kGeoPrecisionNear = 2;
constexpr int kGeoPrecisionRegion = 3;

// One provenance link: a row of a source dataset or a span of a document.
struct SourceRef {
  std::string source;     // "acled", "ucdp", "report", kSimulatedSource, ...
  std::string source_id;  // id within that source
  int revision = 1;
  bool operator==(const SourceRef&) const = default;
};

// The source of every event vigil's simulator writes (model/simulate.h):
// a database holding it is shown as SIMULATED wherever its data appears.
inline constexpr const char* kSimulatedSource = "simulated";

struct Event {
  int64_t id = 0;  // database id; 0 until stored
  std::string source;
  std::string source_id;
  int revision = 1;

  Date date_start;
  Date date_end;
  DatePrecision date_precision = DatePrecision::kDay;

  double latitude = 0;
  double longitude = 0;
  int geo_precision = kGeoPrecisionTown;
  int64_t place_id = 0;  // GeoNames id when known
  std::string location;  // place name as the source writes it

  std::string country;
  std::string admin1;
  std::string admin2;
  std::string admin1_pcode;  // OCHA p-code (Mali) when the point falls in one
  std::string admin2_pcode;
  int64_t gid = 0;  // PRIO-GRID cell

  std::string event_type;      // ACLED's six types
  std::string sub_event_type;  // ACLED's 25 sub-types

  std::string actor1;  // normalised names
  std::string actor2;
  std::string actor1_original;  // as the source wrote them
  std::string actor2_original;
  std::string assoc_actor1;  // "; "-separated, as ACLED writes them
  std::string assoc_actor2;

  std::optional<int64_t> fatalities;  // best estimate
  std::optional<int64_t> fatalities_low;
  std::optional<int64_t> fatalities_high;
  std::optional<int64_t> hostages;

  std::vector<std::string> tags;
  std::string notes;

  std::string evidence_doc;     // document an extracted event came from
  int64_t evidence_start = -1;  // character offsets of the evidence span
  int64_t evidence_end = -1;
  double confidence = 1.0;

  // All provenance links, the event's own (source, source_id) first.
  std::vector<SourceRef> sources;
};

// Gives every field its default value, keeping the strings' buffers: an
// importer refills the same events row after row without allocating.
// (Lists every field of Event: add new ones here; event_test checks it.)
void ResetEvent(Event* e);

// Checks the invariants every stored event keeps: coordinates in range,
// date_end >= date_start, a known event type (and a sub-type of it when
// given), counts from 0 to kMaxCount, geo_precision 1..3, a revision from 1
// to kMaxRevision. The message names the field and the allowed values.
Status ValidateEvent(const Event& e);

// Largest fatality or hostage count accepted for one event (far above any
// recorded incident; anything larger is a typing or overflow error).
inline constexpr int64_t kMaxCount = 1000000;
inline constexpr int64_t kMaxRevision = 1000000000;

// Bounds for coordinates; (0, 0) is rejected as the classic "missing" value.
bool ValidLatLon(double lat, double lon);

// ACLED's taxonomy.
const std::vector<std::string>& EventTypes();
// Sub-types of one event type; empty for an unknown type.
const std::vector<std::string>& SubEventTypes(std::string_view event_type);
// The event type a sub-type belongs to, or "" if unknown.
std::string_view EventTypeOfSubType(std::string_view sub_event_type);
// Case-insensitive lookup of an event type; returns the canonical spelling
// or "" if unknown ("battles" -> "Battles").
std::string CanonicalEventType(std::string_view name);
std::string CanonicalSubEventType(std::string_view name);
// The same, as a pointer to the taxonomy's spelling (nullptr if unknown):
// no copy for callers that fill an existing string.
const std::string* FindEventType(std::string_view name);
const std::string* FindSubEventType(std::string_view name);

// Whether two event types can describe the same incident when two sources
// report it (dedupe). Equal types are compatible; Battles is compatible with
// Explosions/Remote violence; Violence against civilians with Explosions/
// Remote violence; Protests with Riots. An empty type is compatible with
// anything.
bool CompatibleEventTypes(std::string_view a, std::string_view b);

// Distance on the sphere (WGS84 mean radius 6371.0088 km).
double HaversineKm(double lat1, double lon1, double lat2, double lon2);

}  // namespace vigil::core

// vigil::model — the road operations on an event store: corridor status,
// segment risk, routes. What `vigil corridors`, `vigil roads risk`, `vigil
// route` and /api/v1/{corridors,roads,route} call.
//
// Thread-safety: one call at a time per store; the Roads value is immutable.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "geo/corridors.h"
#include "geo/gazetteer.h"
#include "geo/roads.h"
#include "model/road_risk.h"
#include "store/store.h"

namespace vigil::model {

struct Roads {
  geo::RoadNetwork net;
  geo::RoadIncidentLexicon lexicon;
};

// The bundled network and the on-road lexicon under data_dir.
core::Result<std::shared_ptr<const Roads>> LoadRoads(const std::string& data_dir);
// The network imported into the database at db_url (vigil roads import) when
// there is one, else the bundled network; a database that does not exist or
// predates the road table counts as none.
core::Result<std::shared_ptr<const Roads>> LoadRoadsFor(const std::string& data_dir, const std::string& db_url);

struct CorridorReport {
  core::Date as_of;
  std::vector<core::Event> events;  // what the evidence indices point into
  std::vector<geo::RoadHit> hits;
  std::vector<geo::CorridorStatus> statuses;
};

// Status of every corridor as of D, from the stored events of the year and a
// half before it.
core::Result<CorridorReport> AssessCorridorsFromStore(store::EventStore* store, const Roads& roads, core::Date as_of,
                                                      const geo::CorridorConfig& config = {});

struct RoadRiskReport {
  RoadRisk risk;
  CorridorReport recent;  // events and hits behind the on-road part
};

// Segment risk from the Hawkes model plus the on-road incidents: without
// `as_of`, the latest stored snapshot as of its own as_of (fails with
// kNotFound when there is none: "run vigil fit first"); with it, the model
// fitted at that date (a stored snapshot reused, else fitted and saved).
core::Result<RoadRiskReport> RoadRiskFromStore(store::EventStore* store, const Roads& roads,
                                               const RoadRiskConfig& config = {},
                                               std::optional<core::Date> as_of = std::nullopt);

// The recent events behind a segment's figure: those of `report` within
// `km` of the segment and `days` before its as_of, nearest first, as
// (index into report.events, distance km).
std::vector<std::pair<uint32_t, double>> SegmentEvidence(const geo::RoadNetwork& net, const CorridorReport& report,
                                                         uint32_t segment, double km, int days);

// A town of the network from a name (the network's own names first, then the
// gazetteer, snapped to the nearest town) or "LAT,LON" (snapped). `snap_km`
// receives the distance to the town. Fails with kNotFound naming the place.
core::Result<uint32_t> ResolveTown(const geo::RoadNetwork& net, const geo::Gazetteer* gazetteer,
                                   const std::string& spec, double* snap_km);

// Edges named by route ids, edge names "A–B" / "A-B", or "e<N>".
core::Result<std::vector<uint32_t>> ResolveAvoid(const geo::RoadNetwork& net, const std::vector<std::string>& specs);

}  // namespace vigil::model

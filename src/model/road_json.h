// vigil::model — the road figures as JSON and GeoJSON (RFC 7946), the same
// for `vigil roads|corridors|route --format json|geojson` and for
// /api/v1/{roads,corridors,route}.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/json.h"
#include "geo/roads.h"
#include "model/road_service.h"

namespace vigil::model {

// A Feature drawing `edges`: a LineString when they chain, else a
// MultiLineString.
core::Json LineFeature(const geo::RoadNetwork& net, const std::vector<uint32_t>& edges, core::Json props);
core::Json FeatureCollection(core::Json features);
// A hop: its towns, road km, where the km come from, routes, segments.
core::Json EdgeJson(const geo::RoadNetwork& net, uint32_t e);
// "Sandaré–Kayes, km 35-40 from Sandaré".
std::string SegmentLabel(const geo::RoadNetwork& net, uint32_t s);
// The recent events behind a segment (SegmentEvidence), at most `max`.
core::Json EvidenceJson(const geo::RoadNetwork& net, const RoadRiskReport& rep, uint32_t s, size_t max);
// A segment's figures at every horizon (P(any), expected, its two parts, per
// 100 km), with its evidence when asked.
core::Json SegmentRiskJson(const geo::RoadNetwork& net, const RoadRiskReport& rep, uint32_t s, bool evidence);
// A corridor's status, reason and evidence, in French when `fr`.
core::Json CorridorStatusJson(const CorridorReport& rep, const geo::CorridorStatus& s, bool fr);
// One route option: towns, km, expected incidents, P(any), worst segments.
core::Json RouteOptionJson(const geo::RoadNetwork& net, const RoadRiskReport& rep, const RouteOption& o,
                           size_t rank);

}  // namespace vigil::model

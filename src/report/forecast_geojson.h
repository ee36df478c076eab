// vigil::report — a forecast unit as a GeoJSON Feature (RFC 7946, lon/lat),
// one code for `vigil forecast --format geojson|json` and the server's
// GET /api/v1/forecast.
//
// Properties: unit, expected_count, p_any; with quantiles p10, p50, p90;
// observed_30d when the row counted it (events in the 30 days before).
// A PRIO-GRID cell adds gid and is drawn as its box; with admin_names, the
// admin1 and admin2 of its centre. A region or cercle adds the OCHA p-code
// most of its 0.1° boxes fall in, and is drawn as that unit's outline when
// `admin_geometry` has it (else as a point at its centre, e.g. a unit
// outside Mali's OCHA polygons). A point query is a point.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <map>
#include <string>

#include "core/json.h"
#include "geo/reference.h"
#include "model/forecast.h"

namespace vigil::report {

struct ForecastFeatureOptions {
  bool quantiles = false;
  bool admin_names = false;  // cells only
  // OCHA p-code -> geometry as GeoJSON text; null: admin units as points.
  const std::map<std::string, std::string>* admin_geometry = nullptr;
};

// The properties alone (no geometry), for JSON tables.
core::Json ForecastProperties(const model::Unit& u, const model::UnitForecast& f, model::Level level,
                              const geo::Reference& ref, const ForecastFeatureOptions& o);

core::Json ForecastFeature(const model::Unit& u, const model::UnitForecast& f, model::Level level,
                           const geo::Reference& ref, const ForecastFeatureOptions& o);

}  // namespace vigil::report

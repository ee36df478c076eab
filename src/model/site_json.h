// vigil::model — sites and their exposure as JSON and GeoJSON (RFC 7946),
// the same for `vigil site list|show --format json|geojson` and for
// /api/v1/sites.
//
// Thread-safety: pure functions.
#pragma once

#include "core/event_json.h"
#include "geo/sites.h"
#include "model/site_exposure.h"

namespace vigil::model {

// name, type, owner, lat, lon, radius_km, added_at.
core::Json SiteJson(const geo::Site& s);
// A Point Feature of the site with `props`.
core::Json SiteFeature(const geo::Site& s, core::Json props);
// The site with its exposure: recent counts, trend, forecast per horizon,
// threats (distance, bearing), serving corridors with status. Corridor
// names and reasons in French when `fr`.
core::Json SiteExposureJson(const SiteReport& rep, const SiteExposure& x, bool fr);

}  // namespace vigil::model

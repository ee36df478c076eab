#include "model/site_exposure.h"

#include <algorithm>
#include <cmath>

#include "core/event.h"
#include "geo/corridors.h"
#include "model/service.h"

namespace vigil::model {

using core::Date;
using core::Result;

const char* TrendName(Trend t) {
  switch (t) {
    case Trend::kRising:
      return "rising";
    case Trend::kFalling:
      return "falling";
    case Trend::kSteady:
      return "steady";
  }
  return "steady";
}

namespace {

// P(X >= k) for X ~ Binomial(n, 1/2).
double HalfBinomialUpper(int k, int n) {
  if (k <= 0) return 1;
  if (k > n) return 0;
  double sum = 0;
  for (int i = k; i <= n; ++i)
    sum += std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) - n * std::log(2.0));
  return std::min(1.0, sum);
}

// The day after the newest stored event; kNotFound when there is none.
Result<Date> DayAfterNewest(store::EventStore* store) {
  store::EventFilter f;
  f.limit = 1;
  VIGIL_ASSIGN_OR_RETURN(auto newest, store->QueryEvents(f));
  if (newest.empty()) return core::NotFound("no events in the database: import some first (vigil ingest)");
  return newest.front().date_start + 1;
}

// Political violence in the boxes around every site, in [from, to).
Result<std::vector<core::Event>> NearbyEvents(store::EventStore* store, const std::vector<geo::Site>& sites,
                                              double reach_km, Date from, Date to) {
  store::BBox box{180, 90, -180, -90};
  for (const auto& s : sites) {
    const double km = std::max(reach_km, s.radius_km);
    const double dlat = km / 111.19492664455873;
    const double dlon = km / (111.19492664455873 * std::max(0.05, std::cos(s.lat * 3.14159265358979323846 / 180)));
    box.south = std::min(box.south, s.lat - dlat);
    box.north = std::max(box.north, s.lat + dlat);
    box.west = std::min(box.west, s.lon - dlon);
    box.east = std::max(box.east, s.lon + dlon);
  }
  store::EventFilter f;
  f.bbox = box;
  f.from = from;
  f.to = to - 1;  // inclusive
  f.newest_first = true;
  VIGIL_ASSIGN_OR_RETURN(auto events, store->QueryEvents(f));
  std::erase_if(events, [](const core::Event& e) { return !geo::IsPoliticalViolence(e); });
  return events;
}

void CountRecent(const SiteConfig& c, const std::vector<core::Event>& events, Date as_of, SiteExposure* x) {
  const geo::Site& s = x->site;
  for (uint32_t i = 0; i < events.size(); ++i) {
    const core::Event& e = events[i];
    const double km = core::HaversineKm(s.lat, s.lon, e.latitude, e.longitude);
    const int age = as_of - e.date_start;  // >= 1
    if (km <= s.radius_km) {
      if (age <= c.short_days) ++x->events_short;
      if (age <= c.long_days)
        ++x->events_long, x->fatalities_long += std::max<int64_t>(0, e.fatalities.value_or(0));
      else if (age <= 2 * c.long_days)
        ++x->events_before;
    }
    if (age <= c.threat_days && km <= c.threat_km)
      x->threats.push_back({i, km, geo::BearingDeg(s.lat, s.lon, e.latitude, e.longitude)});
  }
  std::stable_sort(x->threats.begin(), x->threats.end(),
                   [](const SiteThreat& a, const SiteThreat& b) { return a.km < b.km; });
  if (x->threats.size() > c.max_threats) x->threats.resize(c.max_threats);
  x->trend = TrendOf(x->events_long, x->events_before, c.trend_alpha, &x->trend_p);
}

void ServingCorridors(const SiteConfig& c, const Roads& roads, const CorridorReport& rep, SiteExposure* x) {
  const double reach = std::max(c.serve_km, x->site.radius_km);
  for (uint32_t i = 0; i < rep.statuses.size(); ++i) {
    double best = 1e300;
    for (uint32_t e : rep.statuses[i].corridor->edges)
      best = std::min(best, geo::DistanceToEdgeKm(roads.net, e, x->site.lat, x->site.lon));
    if (best <= reach) x->corridors.push_back({i, best});
  }
  std::stable_sort(x->corridors.begin(), x->corridors.end(),
                   [](const SiteCorridor& a, const SiteCorridor& b) { return a.km < b.km; });
}

}  // namespace

Trend TrendOf(int recent, int before, double alpha, double* p) {
  const int n = recent + before;
  const double up = HalfBinomialUpper(recent, n), down = 1 - HalfBinomialUpper(recent + 1, n);
  *p = std::min(up, down);
  if (recent > before && up < alpha) return Trend::kRising;
  if (recent < before && down < alpha) return Trend::kFalling;
  return Trend::kSteady;
}

Result<SiteReport> AssessSites(store::EventStore* store, std::shared_ptr<const Roads> network,
                               const std::vector<geo::Site>& sites, std::optional<Date> as_of,
                               const SiteConfig& config) {
  if (!network) return core::InvalidArgument("no road network");
  const Roads& roads = *network;
  SiteReport rep;
  rep.roads = std::move(network);
  rep.horizons = config.horizons;
  std::vector<Unit> units;
  for (const auto& s : sites) units.push_back(PointUnit({s.lat, s.lon, s.radius_km}));
  std::vector<std::vector<UnitForecast>> rows;
  if (!sites.empty() && !config.horizons.empty()) {
    auto forecast = ForecastUnitsAt(store, as_of, units, config.horizons);
    if (forecast.ok()) {
      rep.as_of = forecast->as_of;
      rep.snapshot_id = forecast->snapshot_id;
      rows = std::move(forecast->rows);
    } else if (forecast.status().code() == core::Code::kNotFound ||
               forecast.status().code() == core::Code::kInvalidArgument) {  // no snapshot, or too few events to fit
      rep.forecast_note = forecast.status().message();
    } else {
      return forecast.status();
    }
  }
  if (!rep.snapshot_id) {
    if (as_of) {
      rep.as_of = *as_of;
    } else {
      VIGIL_ASSIGN_OR_RETURN(rep.as_of, DayAfterNewest(store));
    }
  }
  VIGIL_ASSIGN_OR_RETURN(rep.corridors, AssessCorridorsFromStore(store, roads, rep.as_of));
  if (sites.empty()) return rep;
  const int back = std::max(2 * config.long_days, config.threat_days);
  VIGIL_ASSIGN_OR_RETURN(rep.events, NearbyEvents(store, sites, config.threat_km, rep.as_of - back, rep.as_of));
  for (size_t i = 0; i < sites.size(); ++i) {
    SiteExposure x;
    x.site = sites[i];
    CountRecent(config, rep.events, rep.as_of, &x);
    for (const auto& h : rows) x.forecast.push_back(h[i]);
    ServingCorridors(config, roads, rep.corridors, &x);
    rep.sites.push_back(std::move(x));
  }
  return rep;
}

}  // namespace vigil::model

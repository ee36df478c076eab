// GET /api/v1/regions/{admin1} (docs/http.md): a region page's numbers,
// computed on the server over all stored events relative to a stated date
// (`to`, default today UTC), not over the events a map happens to hold:
// the last 90 days against the 90 before, with the binomial trend test of
// docs/sites.md; fatalities with how many counts are known; and the
// region's highest-risk cercles from the latest model snapshot's forecast.
#include <algorithm>

#include "core/clock.h"
#include "core/json.h"
#include "model/service.h"
#include "model/site_exposure.h"
#include "query/filters.h"
#include "server/internal.h"

namespace vigil::server {

using core::Json;
using core::Status;

namespace {

constexpr int kWindowDays = 90;

core::Result<core::Date> ToDate(const Request& req) {
  if (!req.has_param("to")) return core::Date::FromDays(static_cast<int32_t>(core::SystemClock::Get().Now() / 86400));
  auto d = core::Date::Parse(Param(req, "to"));
  if (!d.ok()) return core::InvalidArgument("to: " + d.status().message());
  return *d;
}

// Events, fatalities summed over known counts, and known counts of
// `region` with date_start in [from, to].
struct Window {
  int64_t events = 0, fatalities = 0, known = 0;
};
core::Result<Window> Count(store::EventStore* store, store::EventFilter f, core::Date from, core::Date to) {
  f.from = from;
  f.to = to;
  Window w;
  VIGIL_ASSIGN_OR_RETURN(auto rows, store->Stats(f));
  for (const auto& r : rows) w.events += r.events, w.fatalities += r.fatalities, w.known += r.fatalities_known;
  return w;
}

// The region's cercles by the latest snapshot's 30-day forecast, highest first.
core::Result<Json> TopPlaces(Ctx& c, const State& st, const std::string& region) {
  VIGIL_ASSIGN_OR_RETURN(auto snap, c.conn->store->LatestSnapshot("hawkes"));
  if (!snap) return Json(nullptr);
  VIGIL_ASSIGN_OR_RETURN(auto out,
                         model::ForecastFromSnapshot(c.conn->store.get(), *st.ref, *snap, model::Level::kAdmin2, 30));
  std::vector<size_t> mine;
  for (size_t i = 0; i < out.units.size(); ++i)
    if (st.ref->Reverse(out.units[i].lat, out.units[i].lon).admin1 == region) mine.push_back(i);
  std::stable_sort(mine.begin(), mine.end(), [&](size_t a, size_t b) { return out.rows[a].p_any > out.rows[b].p_any; });
  Json places = Json::array();
  for (size_t k = 0; k < mine.size() && k < 8; ++k)
    places.push_back({{"unit", out.units[mine[k]].id},
                      {"p_any", out.rows[mine[k]].p_any},
                      {"expected_count", out.rows[mine[k]].expected}});
  return Json{{"snapshot_id", snap->id}, {"as_of", snap->as_of.ToIso()}, {"horizon_days", 30}, {"places", places}};
}

Status GetRegion(Ctx& c, const State& st) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"to"}));
  VIGIL_ASSIGN_OR_RETURN(core::Date to, ToDate(c.req));
  query::FilterFlags flags;
  flags.admin1 = {c.req.matches.at(1)};
  VIGIL_ASSIGN_OR_RETURN(auto rf,
                         query::ResolveFilter(flags, c.conn->store.get(), query::InputNames::kQueryParameters));
  const std::string region = rf.filter.admin1.empty() ? c.req.matches.at(1) : rf.filter.admin1.front();
  VIGIL_ASSIGN_OR_RETURN(Window recent, Count(c.conn->store.get(), rf.filter, to - (kWindowDays - 1), to));
  VIGIL_ASSIGN_OR_RETURN(Window before,
                         Count(c.conn->store.get(), rf.filter, to - (2 * kWindowDays - 1), to - kWindowDays));
  double p = 1;
  const model::Trend trend = model::TrendOf(static_cast<int>(recent.events), static_cast<int>(before.events), 0.05, &p);
  VIGIL_ASSIGN_OR_RETURN(Json forecast, TopPlaces(c, st, region));
  SendJson(c.res, 200,
           Json{{"admin1", region},
                {"to", to.ToIso()},
                {"window_days", kWindowDays},
                {"events", recent.events},
                {"events_before", before.events},
                {"trend", model::TrendName(trend)},
                {"trend_p", p},
                {"fatalities", recent.known || !recent.events ? Json(recent.fatalities) : Json(nullptr)},
                {"fatalities_known", recent.known},
                {"forecast", forecast}});
  return Status::Ok();
}

}  // namespace

void AddRegionRoutes(State& st, const RouteFn& route) {
  // The regions (admin1) the stored events name, sorted: the dashboard's
  // region list, from the admin1 index rather than a scan of the events.
  route("GET", "/api/v1/regions", "/api/v1/regions", Access::kRead, [](Ctx& c) {
    VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {}));
    VIGIL_ASSIGN_OR_RETURN(auto names, c.conn->store->DistinctValues("admin1"));
    std::erase(names, std::string());
    SendJson(c.res, 200, Json{{"regions", names}});
    return Status::Ok();
  });
  route("GET", "/api/v1/regions/{name}", "/api/v1/regions/{name}", Access::kRead,
        [&st](Ctx& c) { return GetRegion(c, st); });
}

}  // namespace vigil::server

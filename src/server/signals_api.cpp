// GET /api/v1/signals/{name} (docs/http.md, docs/signals.md): coordinated
// waves, repeat targets, onsets and diffusion, centroid drift, territorial
// control — or all of them — for `area` (a region or cercle; default all)
// over [`from`, `to`] (default: the 90 days to the newest stored event).
#include "report/signals_json.h"
#include "server/internal.h"

namespace vigil::server {

using core::Json;
using core::Status;

namespace {

Status GetSignals(Ctx& c, const State& st) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"area", "from", "to"}));
  static const std::map<std::string, std::string> kKey = {{"all", ""},          {"waves", "waves"},
                                                          {"repeat", "repeat"}, {"onsets", "diffusion"},
                                                          {"drift", "drift"},   {"control", "control"}};
  const std::string name = c.req.matches.at(1);
  auto key = kKey.find(name);
  if (key == kKey.end()) return core::NotFound("no signal '" + name + "' (all, waves, repeat, onsets, drift, control)");
  store::EventStore* store = c.conn->store.get();
  VIGIL_ASSIGN_OR_RETURN(auto period,
                         report::ResolvePeriod(store, Param(c.req, "from"), Param(c.req, "to"), "from", "to"));
  report::SignalRequest req;
  req.area = Param(c.req, "area");
  std::tie(req.from, req.to) = period;
  VIGIL_ASSIGN_OR_RETURN(report::Signals s, report::ComputeSignals(store, *st.ref, req));
  Json all = report::SignalsJson(s);
  if (key->second.empty()) {
    SendJson(c.res, 200, all);
    return Status::Ok();
  }
  SendJson(c.res, 200,
           Json{{"area", all["area"]},
                {"area_level", all["area_level"]},
                {"from", all["from"]},
                {"to", all["to"]},
                {key->second, all[key->second]}});
  return Status::Ok();
}

}  // namespace

void AddSignalRoutes(State& st, const RouteFn& route) {
  route("GET", "/api/v1/signals/{name}", "/api/v1/signals/{name}", Access::kRead,
        [&st](Ctx& c) { return GetSignals(c, st); });
}

}  // namespace vigil::server

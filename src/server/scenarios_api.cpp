// Scenario results over HTTP (docs/http.md, docs/scenarios.md):
//   GET /api/v1/scenarios                    the stored results, newest first
//   GET /api/v1/scenarios/{id}?format=json|md|html&lang=en|fr   one of them
// Results are written by `vigil scenario run`; the server only reads them.
#include "core/strings.h"
#include "report/render.h"
#include "scenario/report.h"
#include "scenario/scenario_store.h"
#include "server/internal.h"

namespace vigil::server {

using core::Json;
using core::Status;

namespace {

Status ListScenarios(Ctx& c, const State& st) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {}));
  VIGIL_ASSIGN_OR_RETURN(auto ss, scenario::ScenarioStore::Open(st.opt.state_db));
  VIGIL_ASSIGN_OR_RETURN(auto list, ss->List());
  Json rows = Json::array();
  for (const auto& s : list)
    rows.push_back(Json{{"id", s.id},
                        {"title", s.title},
                        {"as_of", s.as_of},
                        {"runs", s.runs},
                        {"created_at", s.created_at},
                        {"links", {{"self", "/api/v1/scenarios/" + std::to_string(s.id)}}}});
  SendJson(c.res, 200, Json{{"scenarios", rows}});
  return Status::Ok();
}

Status GetScenario(Ctx& c, const State& st) {
  const std::string id_s = c.req.matches.at(1);
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"format", "lang"}));
  const std::string format = c.req.has_param("format") ? Param(c.req, "format") : "json";
  const std::string lang = c.req.has_param("lang") ? Param(c.req, "lang") : "en";
  if (format != "json" && format != "md" && format != "html")
    return core::InvalidArgument("format must be json, md or html");
  if (lang != "en" && lang != "fr") return core::InvalidArgument("lang must be en or fr");
  int64_t id = 0;
  if (!core::ParseInt64(id_s, &id) || id <= 0)
    return core::NotFound("no scenario '" + id_s + "'; GET /api/v1/scenarios lists them");
  VIGIL_ASSIGN_OR_RETURN(auto ss, scenario::ScenarioStore::Open(st.opt.state_db));
  VIGIL_ASSIGN_OR_RETURN(auto found, ss->Get(id));
  if (!found) return core::NotFound("no scenario " + id_s + "; GET /api/v1/scenarios lists them");
  Json j = std::move(found->result);
  j["id"] = id;
  if (format == "json") {
    SendJson(c.res, 200, j);
    return Status::Ok();
  }
  VIGIL_ASSIGN_OR_RETURN(auto phrases, report::LoadPhrases(st.ref->data_dir() + "/report/scenario.tsv"));
  const report::Doc doc = scenario::ComposeScenario(j, phrases, lang);
  if (format == "md") {
    c.res.set_content(report::RenderMarkdown(doc), "text/markdown; charset=utf-8");
    return Status::Ok();
  }
  report::PageSetup page;
  page.title = j.value("title", std::string("scenario"));
  c.res.set_content(report::RenderHtml(doc, {}, page), "text/html; charset=utf-8");
  return Status::Ok();
}

}  // namespace

void AddScenarioRoutes(State& st, const RouteFn& route) {
  route("GET", "/api/v1/scenarios", "/api/v1/scenarios", Access::kRead,
        [&st](Ctx& c) { return ListScenarios(c, st); });
  route("GET", "/api/v1/scenarios/{id}", "/api/v1/scenarios/{id}", Access::kRead,
        [&st](Ctx& c) { return GetScenario(c, st); });
}

}  // namespace vigil::server

// Situation reports over HTTP (docs/http.md, docs/sitrep.md):
//   GET /api/v1/sitreps?area=&limit=          the briefs kept (the weekly ones), newest first
//   GET /api/v1/sitreps/{id}?format=html|pdf|md  one of them
//   GET /api/v1/sitreps/render?area=&from=&to=&lang=&format=   a brief written now
//     (format=png: its map with the legend and its weekly chart, for slides)
#include <cctype>

#include "alert/alert_store.h"
#include "core/clock.h"
#include "core/strings.h"
#include "model/site_store.h"
#include "report/sitrep.h"
#include "report/sitrep_store.h"
#include "server/internal.h"

namespace vigil::server {

using core::Json;
using core::Status;

namespace {

Status SendBrief(Ctx& c, const std::string& format, const std::string& name, std::string md, std::string html,
                 std::string pdf) {
  if (format == "md") c.res.set_content(std::move(md), "text/markdown; charset=utf-8");
  if (format == "html") c.res.set_content(std::move(html), "text/html; charset=utf-8");
  if (format == "pdf") {
    c.res.set_content(std::move(pdf), "application/pdf");
    c.res.set_header("Content-Disposition", "attachment; filename=\"" + name + ".pdf\"");
  }
  return Status::Ok();
}

// html, pdf or md; with `figures_too`, png (the map and the chart alone).
core::Result<std::string> FormatParam(const Request& req, bool figures_too = false) {
  const std::string f = req.has_param("format") ? Param(req, "format") : "html";
  if (figures_too && f == "png") return f;
  if (f != "html" && f != "pdf" && f != "md")
    return core::InvalidArgument(figures_too ? "format must be html, pdf, md or png" : "format must be html, pdf or md");
  return f;
}

// A file name from the area and period, ASCII letters and digits only.
std::string FileName(const std::string& area, core::Date from, core::Date to, const std::string& lang) {
  std::string a;
  for (char ch : area.empty() ? std::string("all") : area) a += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '-';
  return "sitrep-" + a + "-" + from.ToIso() + "-" + to.ToIso() + "." + lang;
}

Status ListSitreps(Ctx& c, const State& st) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"area", "limit"}));
  VIGIL_ASSIGN_OR_RETURN(int64_t limit, IntParam(c.req, "limit", 50, 1, 1000));
  VIGIL_ASSIGN_OR_RETURN(auto briefs, report::SitrepStore::Open(st.opt.state_db));
  std::string area = Param(c.req, "area");
  if (!area.empty()) {
    VIGIL_ASSIGN_OR_RETURN(report::Area a, report::ResolveArea(c.conn->store.get(), area));
    area = a.name;
  }
  VIGIL_ASSIGN_OR_RETURN(auto list, briefs->List(area, static_cast<int>(limit)));
  Json rows = Json::array();
  for (const auto& s : list) {
    const std::string base = "/api/v1/sitreps/" + std::to_string(s.id);
    rows.push_back(
        Json{{"id", s.id},
             {"area", s.area},
             {"from", s.from.ToIso()},
             {"to", s.to.ToIso()},
             {"lang", s.lang},
             {"generated_at", s.generated_at},
             {"links", {{"html", base + "?format=html"}, {"pdf", base + "?format=pdf"}, {"md", base + "?format=md"}}}});
  }
  SendJson(c.res, 200, Json{{"sitreps", rows}});
  return Status::Ok();
}

Status RenderNow(Ctx& c, const State& st) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"area", "from", "to", "lang", "format"}));
  VIGIL_ASSIGN_OR_RETURN(std::string format, FormatParam(c.req, true));
  const std::string lang = c.req.has_param("lang") ? Param(c.req, "lang") : "en";
  if (lang != "en" && lang != "fr") return core::InvalidArgument("lang must be en or fr");
  store::EventStore* store = c.conn->store.get();
  VIGIL_ASSIGN_OR_RETURN(auto period,
                         report::ResolvePeriod(store, Param(c.req, "from"), Param(c.req, "to"), "from", "to"));
  report::SignalRequest req;
  req.area = Param(c.req, "area");
  std::tie(req.from, req.to) = period;
  VIGIL_ASSIGN_OR_RETURN(auto phrases, report::LoadPhrases(st.ref->data_dir() + "/report/sitrep.tsv"));
  auto alerts = alert::AlertStore::Open(st.opt.state_db);
  auto sites = model::SiteStore::Open(st.opt.state_db);
  const report::BriefSources more{alerts.ok() ? alerts->get() : nullptr, sites.ok() ? sites->get() : nullptr};
  VIGIL_ASSIGN_OR_RETURN(report::Sitrep s, report::BuildSitrep(store, *st.ref, req, more));
  const core::Clock& clock = st.opt.clock ? *st.opt.clock : core::SystemClock::Get();
  const core::Date today = core::Date::FromDays(static_cast<int32_t>(clock.Now() / 86400));
  const report::Doc doc = report::ComposeSitrep(s, phrases, lang, today);
  const std::string name = FileName(s.signals.area.name, req.from, req.to, lang);
  if (format == "md") return SendBrief(c, format, name, report::RenderMarkdown(doc), "", "");
  const report::Figures figures = report::SitrepFigures(s, *st.ref, phrases, lang);
  const report::PageSetup page = report::SitrepPage(s, phrases, lang, today);
  if (format == "html") return SendBrief(c, format, name, "", report::RenderHtml(doc, figures, page), "");
  if (format == "png") {
    VIGIL_ASSIGN_OR_RETURN(std::string png, report::RenderFiguresPng(figures, {"map", "trend"},
                                                                page.title + ", " + report::LongDate(req.from, lang) +
                                                                    " – " + report::LongDate(req.to, lang)));
    c.res.set_content(std::move(png), "image/png");
    c.res.set_header("Content-Disposition", "attachment; filename=\"" + name + ".png\"");
    return Status::Ok();
  }
  VIGIL_ASSIGN_OR_RETURN(std::string pdf, report::RenderPdf(doc, figures, page));
  return SendBrief(c, format, name, "", "", std::move(pdf));
}

Status GetSitrep(Ctx& c, const State& st) {
  const std::string id_s = c.req.matches.at(1);
  if (id_s == "render") return RenderNow(c, st);
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"format"}));
  VIGIL_ASSIGN_OR_RETURN(std::string format, FormatParam(c.req));
  int64_t id = 0;
  if (!core::ParseInt64(id_s, &id) || id <= 0)
    return core::NotFound("no brief '" + id_s + "'; GET /api/v1/sitreps lists them");
  VIGIL_ASSIGN_OR_RETURN(auto briefs, report::SitrepStore::Open(st.opt.state_db));
  VIGIL_ASSIGN_OR_RETURN(auto s, briefs->Get(id));
  if (!s) return core::NotFound("no brief " + id_s + "; GET /api/v1/sitreps lists them");
  return SendBrief(c, format, FileName(s->area, s->from, s->to, s->lang), std::move(s->markdown), std::move(s->html),
                   std::move(s->pdf));
}

}  // namespace

void AddSitrepRoutes(State& st, const RouteFn& route) {
  route("GET", "/api/v1/sitreps", "/api/v1/sitreps", Access::kRead, [&st](Ctx& c) { return ListSitreps(c, st); });
  route("GET", "/api/v1/sitreps/{id}", "/api/v1/sitreps/{id}", Access::kRead,
        [&st](Ctx& c) { return GetSitrep(c, st); });
}

}  // namespace vigil::server

// /api/v1 for the early-warning loop: community reports (web form, phone
// app, SMS gateways), triage, alerts, acknowledgement, CAP 1.2 and Atom.
// docs/http.md lists each endpoint; docs/warnings.md the workflow.
//
// What leaves here never holds a reporter's contact: reports come back
// with `has_contact` only; viewers get report counts per 0.1-degree cell,
// never a report's text or point.
#include <algorithm>
#include <map>
#include <set>

#include "alert/cap.h"
#include "alert/delivery.h"
#include "alert/service.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/strings.h"
#include "server/internal.h"

namespace vigil::server {

using core::Json;
using core::Result;
using core::Status;

namespace {

alert::Actor ActorOf(const Ctx& c) {
  alert::Actor a;
  if (c.who) {
    a.user = c.who->name;
    a.role = auth::RoleName(c.who->role);
  }
  a.client = c.client;
  return a;
}

Json OptNumber(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }
Json OptTime(const std::optional<int64_t>& v) { return v ? Json(core::FormatUtc(*v)) : Json(nullptr); }

// A report as a responder sees it: everything but the contact.
Json ReportJson(const alert::Report& r) {
  return Json{{"reference", r.Reference()},
              {"received_at", core::FormatUtc(r.received_at)},
              {"observed_at", OptTime(r.observed_at)},
              {"channel", alert::Name(r.channel)},
              {"lang", r.lang},
              {"text", r.text},
              {"place", r.place_text},
              {"latitude", OptNumber(r.lat)},
              {"longitude", OptNumber(r.lon)},
              {"geo_source", r.geo_source},
              {"location", r.location},
              {"admin1", r.admin1},
              {"admin2", r.admin2},
              {"country", r.country},
              {"cell", {r.cell_lat, r.cell_lon}},
              {"state", alert::Name(r.state)},
              {"cluster", r.cluster_id ? Json("C-" + std::to_string(r.cluster_id)) : Json(nullptr)},
              {"credibility", r.credibility},
              {"credibility_why", r.credibility_why},
              {"signs", r.signs},
              {"event_id", r.event_id ? Json(r.event_id) : Json(nullptr)},
              {"has_contact", !r.contact_box.empty()},
              {"submitted_by", r.submitted_by},
              {"state_note", r.state_note},
              {"state_by", r.state_by}};
}

Json AreaJson(const alert::CapArea& a) {
  Json j{{"description", a.description}};
  if (a.circle) j["circle"] = {{"lat", a.circle->lat}, {"lon", a.circle->lon}, {"radius_km", a.circle->radius_km}};
  if (!a.polygon.empty()) {
    Json p = Json::array();
    for (const auto& [lat, lon] : a.polygon) p.push_back({lat, lon});
    j["polygon"] = p;
  }
  return j;
}

Json AlertJson(const alert::Alert& a, bool evidence) {
  Json j{{"reference", a.Reference()},
         {"identifier", a.identifier},
         {"rule", a.rule},
         {"kind", a.kind},
         {"area_id", a.area_id},
         {"state", alert::Name(a.state)},
         {"urgency", alert::Name(a.urgency)},
         {"severity", alert::Name(a.severity)},
         {"certainty", alert::Name(a.certainty)},
         {"headline_en", a.headline_en},
         {"headline_fr", a.headline_fr},
         {"description_en", a.description_en},
         {"description_fr", a.description_fr},
         {"area", AreaJson(a.area)},
         {"created_at", core::FormatUtc(a.created_at)},
         {"updated_at", core::FormatUtc(a.updated_at)},
         {"version", a.version},
         {"tier", a.tier + 1},
         {"next_escalation", OptTime(a.deadline)},
         {"acknowledged_by", a.ack_by.empty() ? Json(nullptr) : Json(a.ack_by)},
         {"acknowledged_at", a.ack_at ? Json(core::FormatUtc(a.ack_at)) : Json(nullptr)},
         {"disposition", a.disposition ? Json(alert::Name(*a.disposition)) : Json(nullptr)},
         {"note", a.ack_note},
         {"resolved_by", a.resolved_by.empty() ? Json(nullptr) : Json(a.resolved_by)}};
  if (evidence) j["evidence"] = a.evidence;
  return j;
}

bool AtLeast(const Ctx& c, auth::Role r) { return c.who && static_cast<int>(c.who->role) >= static_cast<int>(r); }

Status NeedAlerts(const State& st) {
  if (!st.alerts)
    return core::NotFound(
        "early warning is not configured on this server (start it with --alerts FILE; see "
        "docs/warnings.md)");
  return Status::Ok();
}

Result<alert::ReportInput> ReportFromJson(const Json& j, const Ctx& c) {
  if (!j.is_object()) return core::InvalidArgument("send a JSON object {\"text\": ..., \"place\": ...}");
  static const char* kAllowed[] = {"text", "place", "lat", "lon", "observed_at", "contact", "lang", "channel"};
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool ok = false;
    for (const char* k : kAllowed) ok = ok || it.key() == k;
    if (!ok) return core::InvalidArgument("unknown field '" + it.key().substr(0, 40) + "' in the report");
  }
  alert::ReportInput in;
  for (auto [name, out] :
       {std::pair{"text", &in.text}, {"place", &in.place}, {"contact", &in.contact}, {"lang", &in.lang}}) {
    if (!j.contains(name) || j[name].is_null()) continue;
    if (!j[name].is_string()) return core::InvalidArgument(std::string(name) + " must be a string");
    *out = j[name].get<std::string>();
  }
  for (auto [name, out] : {std::pair{"lat", &in.lat}, {"lon", &in.lon}}) {
    if (!j.contains(name) || j[name].is_null()) continue;
    if (!j[name].is_number()) return core::InvalidArgument(std::string(name) + " must be a number (decimal degrees)");
    *out = j[name].get<double>();
  }
  if (j.contains("observed_at") && !j["observed_at"].is_null()) {
    if (!j["observed_at"].is_string()) return core::InvalidArgument("observed_at must be a time string");
    VIGIL_ASSIGN_OR_RETURN(int64_t t, core::ParseUtc(j["observed_at"].get<std::string>()));
    in.observed_at = t;
  }
  in.channel = alert::Channel::kWeb;
  if (j.contains("channel")) {
    if (!j["channel"].is_string()) return core::InvalidArgument("channel must be web or app");
    VIGIL_ASSIGN_OR_RETURN(in.channel, alert::ParseChannel(j["channel"].get<std::string>()));
    if (in.channel != alert::Channel::kWeb && in.channel != alert::Channel::kApp)
      return core::InvalidArgument("channel must be web or app (SMS arrive through /api/v1/sms/inbound)");
  }
  in.submitted_by = c.who ? c.who->name : "";
  return in;
}

Result<int64_t> AlertIdOf(const Ctx& c, std::string* suffix) {
  std::string id = c.req.matches[1];
  if (suffix && id.size() > 4 && id.substr(id.size() - 4) == ".cap") {
    *suffix = ".cap";
    id.resize(id.size() - 4);
  }
  return alert::ParseAlertReference(id);
}

// ---------------------------------------------------------------- handlers

Status PostReport(Ctx& c, State& st) {
  VIGIL_RETURN_IF_ERROR(NeedAlerts(st));
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {}));
  if (!core::StartsWith(c.req.get_header_value("Content-Type"), "application/json"))
    return core::InvalidArgument("send the report as application/json");
  if (!core::IsValidUtf8(c.req.body)) return core::InvalidArgument("the body is not valid UTF-8");
  VIGIL_ASSIGN_OR_RETURN(Json j, core::ParseJson(c.req.body, {.max_depth = 8, .max_bytes = 64 << 10}));
  VIGIL_ASSIGN_OR_RETURN(alert::ReportInput in, ReportFromJson(j, c));
  const std::string key = c.req.get_header_value("Idempotency-Key");
  VIGIL_ASSIGN_OR_RETURN(alert::Submitted s,
                         st.alerts->SubmitReport(in, "user:" + (c.who ? c.who->name : std::string()), key, ActorOf(c)));
  c.audit_written = true;
  if (s.replayed) c.res.set_header("Idempotent-Replayed", "true");
  c.res.status = s.status;
  c.res.set_content(s.body, "application/json");
  return Status::Ok();
}

Status PostSms(Ctx& c, State& st) {
  VIGIL_RETURN_IF_ERROR(NeedAlerts(st));
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"gateway"}));
  if (c.req.body.size() > (64 << 10)) return core::TooLarge("an SMS webhook body over 64 KiB is refused");
  VIGIL_ASSIGN_OR_RETURN(alert::Submitted s,
                         st.alerts->SubmitSms(Param(c.req, "gateway"), c.req.get_header_value("X-Vigil-Timestamp"),
                                              c.req.get_header_value("X-Vigil-Signature"), c.req.body, ActorOf(c)));
  c.res.status = s.status;
  c.res.set_content(s.body, "application/json");
  return Status::Ok();
}

Status ListReports(Ctx& c, State& st) {
  VIGIL_RETURN_IF_ERROR(NeedAlerts(st));
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"state", "since", "cluster", "limit"}));
  alert::ReportFilter f;
  VIGIL_ASSIGN_OR_RETURN(f.limit, IntParam(c.req, "limit", 100, 1, 1000));
  if (c.req.has_param("state")) {
    VIGIL_ASSIGN_OR_RETURN(f.state, alert::ParseReportState(Param(c.req, "state")));
  }
  if (c.req.has_param("since")) {
    VIGIL_ASSIGN_OR_RETURN(f.since, core::ParseUtc(Param(c.req, "since")));
  }
  if (c.req.has_param("cluster")) {
    std::string v = Param(c.req, "cluster");
    if (core::StartsWith(v, "C-")) v = v.substr(2);
    if (!core::ParseInt64(v, &f.cluster_id) || f.cluster_id <= 0)
      return core::InvalidArgument("cluster must be C-<number>");
  }
  alert::AlertStore* store = c.conn->alerts.get();
  VIGIL_ASSIGN_OR_RETURN(auto rows, store->ListReports(f));
  Json arr = Json::array();
  for (const auto& r : rows) arr.push_back(ReportJson(r));
  SendJson(c.res, 200, Json{{"reports", arr}});
  return Status::Ok();
}

Status GetReport(Ctx& c, State& st) {
  VIGIL_RETURN_IF_ERROR(NeedAlerts(st));
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {}));
  VIGIL_ASSIGN_OR_RETURN(int64_t id, alert::ParseReportReference(c.req.matches[1]));
  alert::AlertStore* store = c.conn->alerts.get();
  VIGIL_ASSIGN_OR_RETURN(auto r, store->GetReport(id));
  SendJson(c.res, 200, ReportJson(r));
  return Status::Ok();
}

// Report counts per public 0.1-degree cell over the last `days`: what a
// viewer may see of community reports (no text, no point, no time of day).
Status ReportCells(Ctx& c, State& st) {
  VIGIL_RETURN_IF_ERROR(NeedAlerts(st));
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"days"}));
  VIGIL_ASSIGN_OR_RETURN(int64_t days, IntParam(c.req, "days", 30, 1, 365));
  alert::ReportFilter f;
  f.since = st.alerts->clock().Now() - days * 86400;
  f.limit = 100000;
  alert::AlertStore* store = c.conn->alerts.get();
  VIGIL_ASSIGN_OR_RETURN(auto rows, store->ListReports(f));
  std::map<std::pair<double, double>, std::pair<int, std::set<std::string>>> cells;
  for (const auto& r : rows) {
    if (!r.lat || r.state == alert::ReportState::kDismissed || r.state == alert::ReportState::kDuplicate) continue;
    auto& cell = cells[{r.cell_lat, r.cell_lon}];
    ++cell.first;
    cell.second.insert(r.signs.begin(), r.signs.end());
  }
  Json feats = Json::array();
  for (const auto& [ll, v] : cells)
    feats.push_back({{"type", "Feature"},
                     {"geometry", {{"type", "Point"}, {"coordinates", {ll.second, ll.first}}}},
                     {"properties",
                      {{"reports", v.first}, {"signs", std::vector<std::string>(v.second.begin(), v.second.end())}}}});
  SendJson(c.res, 200, Json{{"type", "FeatureCollection"}, {"days", days}, {"cell_deg", 0.1}, {"features", feats}},
           "application/geo+json");
  return Status::Ok();
}

Status TriageReport(Ctx& c, State& st) {
  VIGIL_RETURN_IF_ERROR(NeedAlerts(st));
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {}));
  VIGIL_ASSIGN_OR_RETURN(int64_t id, alert::ParseReportReference(c.req.matches[1]));
  VIGIL_ASSIGN_OR_RETURN(Json j, core::ParseJson(c.req.body, {.max_depth = 4, .max_bytes = 16 << 10}));
  if (!j.is_object() || !j.contains("state") || !j["state"].is_string())
    return core::InvalidArgument("send {\"state\": \"verified\"|\"dismissed\"|\"duplicate\", \"note\": ...}");
  VIGIL_ASSIGN_OR_RETURN(auto state, alert::ParseReportState(j["state"].get<std::string>()));
  const std::string note = j.contains("note") && j["note"].is_string() ? j["note"].get<std::string>() : "";
  VIGIL_RETURN_IF_ERROR(st.alerts->SetReportState(id, state, note, ActorOf(c), c.conn->store.get()));
  c.audit_written = true;
  alert::AlertStore* store = c.conn->alerts.get();
  VIGIL_ASSIGN_OR_RETURN(auto r, store->GetReport(id));
  SendJson(c.res, 200, ReportJson(r));
  return Status::Ok();
}

Status ListAlerts(Ctx& c, State& st) {
  VIGIL_RETURN_IF_ERROR(NeedAlerts(st));
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"state", "area", "limit"}));
  alert::AlertFilter f;
  VIGIL_ASSIGN_OR_RETURN(f.limit, IntParam(c.req, "limit", 100, 1, 1000));
  const std::string states = Param(c.req, "state");  // Split returns views into it
  if (!states.empty())
    for (auto s : core::Split(states, ',')) {
      VIGIL_ASSIGN_OR_RETURN(auto v, alert::ParseAlertState(s));
      f.states.push_back(v);
    }
  f.area_id = Param(c.req, "area");
  alert::AlertStore* store = c.conn->alerts.get();
  VIGIL_ASSIGN_OR_RETURN(auto rows, store->ListAlerts(f));
  const bool evidence = AtLeast(c, auth::Role::kResponder);
  Json arr = Json::array();
  for (const auto& a : rows) arr.push_back(AlertJson(a, evidence));
  SendJson(c.res, 200, Json{{"alerts", arr}});
  return Status::Ok();
}

Status GetAlert(Ctx& c, State& st) {
  VIGIL_RETURN_IF_ERROR(NeedAlerts(st));
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {}));
  std::string suffix;
  VIGIL_ASSIGN_OR_RETURN(int64_t id, AlertIdOf(c, &suffix));
  alert::AlertStore* store = c.conn->alerts.get();
  VIGIL_ASSIGN_OR_RETURN(auto a, store->GetAlert(id));
  VIGIL_ASSIGN_OR_RETURN(auto messages, store->CapMessages(id));
  if (suffix == ".cap") {
    if (messages.empty()) return core::NotFound("no CAP message for " + a.Reference() + " yet");
    c.res.set_content(messages.back().xml, "application/cap+xml; charset=utf-8");
    return Status::Ok();
  }
  const bool responder = AtLeast(c, auth::Role::kResponder);
  Json j = AlertJson(a, responder);
  Json caps = Json::array();
  for (const auto& m : messages)
    caps.push_back({{"msg_type", m.msg_type}, {"identifier", m.identifier}, {"sent", core::FormatUtc(m.sent)}});
  j["cap_messages"] = caps;
  if (responder) {
    Json sent = Json::array();
    VIGIL_ASSIGN_OR_RETURN(auto outbox, store->Messages(id, 200));
    for (const auto& m : outbox)
      sent.push_back({{"kind", alert::Name(m.kind)},
                      {"purpose", m.purpose},
                      {"state", m.state},
                      {"attempts", m.attempts},
                      {"idempotency_key", m.idempotency_key},
                      {"last_error", m.last_error},
                      {"sent_at", m.sent_at ? Json(core::FormatUtc(m.sent_at)) : Json(nullptr)}});
    j["deliveries"] = sent;
    // The alert's audit trail (rows whose target is this alert).
    VIGIL_ASSIGN_OR_RETURN(auto audit, c.conn->accounts->ListAudit(5000));
    Json trail = Json::array();
    for (auto it = audit.rbegin(); it != audit.rend(); ++it)
      if (it->target == a.Reference())
        trail.push_back({{"at", it->at}, {"user", it->user}, {"action", it->action}, {"detail", it->detail}});
    j["audit"] = trail;
  }
  SendJson(c.res, 200, j);
  return Status::Ok();
}

Status AlertsAtom(Ctx& c, State& st) {
  VIGIL_RETURN_IF_ERROR(NeedAlerts(st));
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {}));
  alert::AlertFilter f;
  f.states = {alert::AlertState::kOpen, alert::AlertState::kAcknowledged};
  f.limit = 500;
  alert::AlertStore* store = c.conn->alerts.get();
  VIGIL_ASSIGN_OR_RETURN(auto rows, store->ListAlerts(f));
  c.res.set_content(alert::RenderAtom(rows, st.alerts->clock().Now(), st.alerts->cap_context()),
                    "application/atom+xml; charset=utf-8");
  return Status::Ok();
}

Status AckAlert(Ctx& c, State& st) {
  VIGIL_RETURN_IF_ERROR(NeedAlerts(st));
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {}));
  VIGIL_ASSIGN_OR_RETURN(int64_t id, AlertIdOf(c, nullptr));
  VIGIL_ASSIGN_OR_RETURN(Json j, core::ParseJson(c.req.body, {.max_depth = 4, .max_bytes = 16 << 10}));
  if (!j.is_object() || !j.contains("disposition") || !j["disposition"].is_string())
    return core::InvalidArgument(
        "send {\"disposition\": \"no_impact\"|\"some_impact\"|\"significant_impact\"|\"duplicate\"|"
        "\"false_positive\", \"note\": ...}");
  VIGIL_ASSIGN_OR_RETURN(auto d, alert::ParseDisposition(j["disposition"].get<std::string>()));
  const std::string note = j.contains("note") && j["note"].is_string() ? j["note"].get<std::string>() : "";
  VIGIL_RETURN_IF_ERROR(st.alerts->Acknowledge(id, d, note, ActorOf(c)));
  c.audit_written = true;
  alert::AlertStore* store = c.conn->alerts.get();
  VIGIL_ASSIGN_OR_RETURN(auto a, store->GetAlert(id));
  SendJson(c.res, 200, AlertJson(a, true));
  return Status::Ok();
}

Status ResolveAlert(Ctx& c, State& st) {
  VIGIL_RETURN_IF_ERROR(NeedAlerts(st));
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {}));
  VIGIL_ASSIGN_OR_RETURN(int64_t id, AlertIdOf(c, nullptr));
  std::string note;
  if (!c.req.body.empty()) {
    VIGIL_ASSIGN_OR_RETURN(Json j, core::ParseJson(c.req.body, {.max_depth = 4, .max_bytes = 16 << 10}));
    if (j.is_object() && j.contains("note") && j["note"].is_string()) note = j["note"].get<std::string>();
  }
  VIGIL_RETURN_IF_ERROR(st.alerts->Resolve(id, note, ActorOf(c)));
  c.audit_written = true;
  alert::AlertStore* store = c.conn->alerts.get();
  VIGIL_ASSIGN_OR_RETURN(auto a, store->GetAlert(id));
  SendJson(c.res, 200, AlertJson(a, true));
  return Status::Ok();
}

Status PostCap(Ctx& c, State& st) {
  VIGIL_RETURN_IF_ERROR(NeedAlerts(st));
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {}));
  const std::string ct = c.req.get_header_value("Content-Type");
  if (!core::StartsWith(ct, "application/cap+xml") && !core::StartsWith(ct, "application/xml") &&
      !core::StartsWith(ct, "text/xml"))
    return core::InvalidArgument("send a CAP 1.2 Ack as application/cap+xml");
  VIGIL_ASSIGN_OR_RETURN(int64_t id, st.alerts->AcknowledgeCap(c.req.body, ActorOf(c)));
  c.audit_written = true;
  alert::AlertStore* store = c.conn->alerts.get();
  VIGIL_ASSIGN_OR_RETURN(auto a, store->GetAlert(id));
  SendJson(c.res, 200, AlertJson(a, true));
  return Status::Ok();
}

// What this responder must act on: open alerts of areas whose tiers name
// them (all open alerts for analysts and admins), soonest deadline first.
Status Inbox(Ctx& c, State& st) {
  VIGIL_RETURN_IF_ERROR(NeedAlerts(st));
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {}));
  alert::AlertFilter f;
  f.states = {alert::AlertState::kOpen, alert::AlertState::kAcknowledged};
  f.limit = 1000;
  alert::AlertStore* store = c.conn->alerts.get();
  VIGIL_ASSIGN_OR_RETURN(auto rows, store->ListAlerts(f));
  const bool everyone = AtLeast(c, auth::Role::kAnalyst);
  const auto& cfg = st.alerts->config();
  Json open = Json::array(), acked = Json::array();
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.deadline.value_or(INT64_MAX) < b.deadline.value_or(INT64_MAX);
  });
  for (const auto& a : rows) {
    const alert::AreaConfig* area = cfg.AreaById(a.area_id);
    bool mine = everyone;
    int my_tier = -1;
    for (size_t t = 0; area && t < area->tiers.size(); ++t)
      for (const auto& u : area->tiers[t].users)
        if (c.who && u == c.who->name && my_tier < 0) my_tier = static_cast<int>(t);
    // A responder sees an alert once it has reached their tier.
    mine = mine || (my_tier >= 0 && my_tier <= a.tier);
    if (!mine) continue;
    Json j = AlertJson(a, true);
    if (area) {
      j["area_name_en"] = area->name_en;
      j["area_name_fr"] = area->name_fr;
      const size_t next = static_cast<size_t>(a.tier + 1);
      j["next_tier"] = next < area->tiers.size() ? Json(area->tiers[next].name) : Json(nullptr);
    }
    (a.state == alert::AlertState::kOpen ? open : acked).push_back(j);
  }
  SendJson(c.res, 200,
           Json{{"now", core::FormatUtc(st.alerts->clock().Now())}, {"open", open}, {"acknowledged", acked}});
  return Status::Ok();
}

}  // namespace

void AddAlertRoutes(State& st, const RouteFn& route) {
  route("POST", "/api/v1/reports", "/api/v1/reports", Access::kReport, [&st](Ctx& c) { return PostReport(c, st); });
  route("GET", "/api/v1/reports", "/api/v1/reports", Access::kRespond, [&st](Ctx& c) { return ListReports(c, st); });
  route("GET", "/api/v1/reports/cells", "/api/v1/reports/cells", Access::kRead,
        [&st](Ctx& c) { return ReportCells(c, st); });
  route("GET", "/api/v1/reports/{id}", "/api/v1/reports/{id}", Access::kRespond,
        [&st](Ctx& c) { return GetReport(c, st); });
  route("POST", "/api/v1/reports/{id}/triage", "/api/v1/reports/{id}/triage", Access::kRespond,
        [&st](Ctx& c) { return TriageReport(c, st); });
  route("POST", "/api/v1/sms/inbound", "/api/v1/sms/inbound", Access::kOpen, [&st](Ctx& c) { return PostSms(c, st); });
  route("GET", "/api/v1/alerts", "/api/v1/alerts", Access::kRead, [&st](Ctx& c) { return ListAlerts(c, st); });
  route("GET", "/api/v1/alerts.atom", "/api/v1/alerts.atom", Access::kRead,
        [&st](Ctx& c) { return AlertsAtom(c, st); });
  route("GET", "/api/v1/alerts/{id}", "/api/v1/alerts/{id}", Access::kRead, [&st](Ctx& c) { return GetAlert(c, st); });
  route("POST", "/api/v1/alerts/{id}/ack", "/api/v1/alerts/{id}/ack", Access::kRespond,
        [&st](Ctx& c) { return AckAlert(c, st); });
  route("POST", "/api/v1/alerts/{id}/resolve", "/api/v1/alerts/{id}/resolve", Access::kRespond,
        [&st](Ctx& c) { return ResolveAlert(c, st); });
  route("POST", "/api/v1/cap", "/api/v1/cap", Access::kRespond, [&st](Ctx& c) { return PostCap(c, st); });
  route("GET", "/api/v1/inbox", "/api/v1/inbox", Access::kRespond, [&st](Ctx& c) { return Inbox(c, st); });
}

}  // namespace vigil::server

// /api/v1: events, stats, forecast, extraction, boundaries, sessions, audit.
#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "core/json.h"
#include "core/strings.h"
#include "geo/normalize.h"
#include "ingest/importer.h"
#include "ingest/reports.h"
#include "model/service.h"
#include "query/filters.h"
#include "report/event_rows.h"
#include "report/forecast_geojson.h"
#include "server/internal.h"
#include "text/extractor.h"

namespace vigil::server {

using core::Json;
using core::Result;
using core::Status;

namespace {

const std::vector<std::string> kFilterParams = {"country", "admin1", "admin2", "bbox",     "near",  "radius_km",
                                                "from",    "to",     "type",   "sub_type", "actor", "min_fatalities"};

std::vector<std::string> ListParam(const Request& req, const char* name) {
  std::vector<std::string> out;
  if (!req.has_param(name)) return out;
  const std::string value = req.get_param_value(name);  // Split returns views into it
  for (auto part : core::Split(value, ','))
    if (!core::Trim(part).empty()) out.emplace_back(core::Trim(part));
  return out;
}

Result<query::ResolvedFilter> FilterFromParams(const Request& req, store::EventStore* store,
                                               const std::string& data_dir) {
  query::FilterFlags f;
  f.country = ListParam(req, "country");
  f.admin1 = ListParam(req, "admin1");
  f.admin2 = ListParam(req, "admin2");
  f.type = ListParam(req, "type");
  f.sub_type = ListParam(req, "sub_type");
  f.bbox = Param(req, "bbox");
  f.near = Param(req, "near");
  f.from = Param(req, "from");
  f.to = Param(req, "to");
  f.actor = Param(req, "actor");
  f.radius_given = req.has_param("radius_km");
  if (f.radius_given && !core::ParseDouble(Param(req, "radius_km"), &f.radius_km))
    return core::InvalidArgument("radius_km must be a number of kilometres");
  VIGIL_ASSIGN_OR_RETURN(f.min_fatalities, IntParam(req, "min_fatalities", -1, 0, 1000000));
  if (f.actor.size() > 200) return core::InvalidArgument("actor must have at most 200 characters");
  std::shared_ptr<const query::ActorAliases> aliases;
  if (!f.actor.empty()) {
    VIGIL_ASSIGN_OR_RETURN(aliases, query::ActorAliases::Cached(data_dir));
  }
  f.aliases = aliases.get();
  return query::ResolveFilter(f, store, query::InputNames::kQueryParameters);
}

// A CSV or HXL page: a download (Content-Disposition), the next page's
// cursor in X-Next-Cursor (a CSV has no room for it).
Status SendTable(Ctx& c, const std::string& format, const std::string& next, std::string body) {
  c.res.body = std::move(body);
  c.res.set_header("Content-Type", "text/csv; charset=utf-8");
  c.res.set_header("Content-Disposition",
                   "attachment; filename=\"vigil-events" + std::string(format == "hxl" ? "-hxl" : "") + ".csv\"");
  if (!next.empty()) c.res.set_header("X-Next-Cursor", next);
  return Status::Ok();
}

// The map's compact form of an event list (format=columns): one array per
// column, the event type as an index into `types`, coordinates to 4
// decimals (11 m), fatalities null when unknown. A 2,000-event page is a
// fifth of its GeoJSON; popups read the full event by id.
class ColumnWriter {
 public:
  void Add(int64_t id, const core::Event& e) {
    Sep();
    ids_ += std::to_string(id);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", e.longitude);
    lon_ += buf;
    std::snprintf(buf, sizeof buf, "%.4f", e.latitude);
    lat_ += buf;
    date_ += "\"" + e.date_start.ToIso() + "\"";
    const auto& types = core::EventTypes();
    const auto it = std::find(types.begin(), types.end(), e.event_type);
    type_ += std::to_string(it == types.end() ? -1 : it - types.begin());
    fatal_ += e.fatalities ? std::to_string(*e.fatalities) : "null";
  }
  void AppendTo(std::string* out) const {
    Json types = core::EventTypes();
    *out += "{\"types\":" + types.dump() + ",\"columns\":{\"id\":[" + ids_ + "],\"lon\":[" + lon_ + "],\"lat\":[" +
            lat_ + "],\"date\":[" + date_ + "],\"type\":[" + type_ + "],\"fatalities\":[" + fatal_ + "]}";
  }

 private:
  void Sep() {
    if (ids_.empty()) return;
    for (std::string* col : {&ids_, &lon_, &lat_, &date_, &type_, &fatal_}) *col += ',';
  }
  std::string ids_, lon_, lat_, date_, type_, fatal_;
};

// GET /api/v1/events
Status ListEvents(Ctx& c, State& st) {
  auto allowed = kFilterParams;
  for (const char* p : {"limit", "cursor", "format"}) allowed.emplace_back(p);
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, allowed));
  const std::string format = c.req.has_param("format") ? Param(c.req, "format") : "geojson";
  if (format != "geojson" && format != "json" && format != "csv" && format != "hxl" && format != "columns")
    return core::InvalidArgument("format must be geojson, json, csv, hxl or columns");
  VIGIL_ASSIGN_OR_RETURN(int64_t limit, IntParam(c.req, "limit", 100, 1, 10000));
  VIGIL_ASSIGN_OR_RETURN(auto rf, FilterFromParams(c.req, c.conn->store.get(), st.ref->data_dir()));
  if (c.req.has_param("cursor")) {
    VIGIL_ASSIGN_OR_RETURN(rf.filter.after_key, ParseCursor(Param(c.req, "cursor")));
  }
  // One more than asked tells whether there is a next page. With `near`
  // the exact distance test runs here, so the store is read in chunks.
  rf.filter.limit = rf.near ? 0 : limit + 1;
  const bool geojson = format == "geojson";
  const bool table = format == "csv" || format == "hxl";
  const bool columnar = format == "columns";
  ColumnWriter columns;
  // Written as the rows arrive, without a Json tree: the hot path.
  std::string body;
  body.reserve(static_cast<size_t>(std::min<int64_t>(limit, 1000)) * 1100 + 256);
  if (format == "csv") report::AppendCsvLine(&body, report::EventCsvHeader());
  if (format == "hxl") {
    report::AppendCsvLine(&body, report::EventHxlHeader());
    report::AppendCsvLine(&body, report::EventHxlTags());
  }
  if (!table && !columnar) body += geojson ? "{\"type\":\"FeatureCollection\",\"features\":[" : "{\"events\":[";
  int64_t n = 0;
  std::string next, last_date;
  int64_t last_id = 0;
  const bool cached = geojson && st.features.enabled();
  if (cached) VIGIL_RETURN_IF_ERROR(st.features.Revalidate(c.conn));
  Status inner;
  auto emit = [&](int64_t id, std::string_view date, const core::Event* e) {
    if (rf.near && e && core::HaversineKm(rf.near->first, rf.near->second, e->latitude, e->longitude) > rf.radius_km)
      return true;
    if (n == limit) {  // one more than asked: there is a next page
      next = MakeCursor(last_date, last_id);
      return false;
    }
    if (columnar) {
      ++n;
      columns.Add(id, *e);
    } else if (table) {
      ++n;
      report::AppendCsvLine(&body, format == "csv" ? report::EventCsvRow(*e) : report::EventHxlRow(*e));
    } else if (n++) {
      body += ',';
    }
    if (table || columnar) {
    } else if (!geojson) {
      core::AppendEventJson(&body, *e);
    } else if (!e) {
      if (!st.features.AppendTo(id, &body)) {  // evicted meanwhile: read it
        auto got = c.conn->store->GetEvent(id);
        if (!got.ok()) {
          inner = got.status();
          return false;
        }
        core::AppendEventFeature(&body, *got);
      }
    } else {
      const size_t at = body.size();
      core::AppendEventFeature(&body, *e);
      if (cached) st.features.Put(id, std::string_view(body).substr(at));
    }
    last_date.assign(date);
    last_id = id;
    return true;
  };
  // `near` needs each event's coordinates: no cache shortcut then.
  auto want = [&](int64_t id) { return !cached || rf.near || !st.features.Contains(id); };
  VIGIL_RETURN_IF_ERROR(c.conn->store->ForEachEventLazy(rf.filter, want, emit));
  VIGIL_RETURN_IF_ERROR(inner);
  if (table) return SendTable(c, format, next, std::move(body));
  if (columnar) {
    columns.AppendTo(&body);  // the object stays open for the fields below
  } else {
    body += "]";
  }
  body += ",\"numberReturned\":" + std::to_string(n);
  body += ",\"next_cursor\":" + (next.empty() ? std::string("null") : "\"" + next + "\"");
  body += "}";
  c.res.body = std::move(body);  // set_content would copy it
  c.res.set_header("Content-Type", geojson ? "application/geo+json" : "application/json");
  return Status::Ok();
}

Json ProvenanceJson(const std::vector<store::SourceRecord>& recs) {
  Json arr = Json::array();
  for (const auto& r : recs) {
    Json j{{"source", r.source}, {"source_id", r.source_id}, {"revision", r.revision}};
    if (!r.file_path.empty()) j["file"] = r.file_path;
    if (r.line > 0) j["line"] = r.line;
    if (!r.header.empty()) j["header"] = r.header;
    j["raw"] = r.raw;
    arr.push_back(std::move(j));
  }
  return arr;
}

// GET /api/v1/events/{id}
Status GetEvent(Ctx& c) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {}));
  int64_t id = 0;
  if (!core::ParseInt64(c.req.matches[1], &id) || id <= 0)
    return core::InvalidArgument("event id must be a positive integer");
  VIGIL_ASSIGN_OR_RETURN(core::Event e, c.conn->store->GetEvent(id));
  VIGIL_ASSIGN_OR_RETURN(auto recs, c.conn->store->Provenance(id));
  Json j = EventFeature(e);
  j["properties"]["provenance"] = ProvenanceJson(recs);
  SendJson(c.res, 200, j, "application/geo+json");
  return Status::Ok();
}

Status RequireJson(const Request& req) {
  const std::string ct = req.get_header_value("Content-Type");
  if (!core::StartsWith(ct, "application/json") && !core::StartsWith(ct, "application/x-ndjson"))
    return core::InvalidArgument("send the body as application/json (or application/x-ndjson)");
  if (!core::IsValidUtf8(req.body)) return core::InvalidArgument("the body is not valid UTF-8");
  return Status::Ok();
}

// POST /api/v1/events: one event, {"events": [...]}, or JSON Lines; all or nothing.
Status PostEvents(Ctx& c, State& st) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {}));
  VIGIL_RETURN_IF_ERROR(RequireJson(c.req));
  std::string lines;
  int64_t n = 0;
  if (core::StartsWith(c.req.get_header_value("Content-Type"), "application/x-ndjson")) {
    for (auto line : core::Split(c.req.body, '\n')) {
      if (core::Trim(line).empty()) continue;
      auto j = core::ParseJson(line);
      if (!j.ok())
        return core::Status(j.status().code(), "line " + std::to_string(n + 1) + ": " + j.status().message());
      if (!j->is_object()) return core::InvalidArgument("line " + std::to_string(n + 1) + " is not a JSON object");
      lines += std::string(line) + "\n";
      ++n;
    }
  } else {
    VIGIL_ASSIGN_OR_RETURN(Json body, core::ParseJson(c.req.body));
    Json list = body.is_object() && body.contains("events") ? body["events"] : Json::array({body});
    if (!list.is_array()) return core::InvalidArgument("'events' must be an array");
    for (const auto& e : list) {
      if (!e.is_object()) return core::InvalidArgument("each event must be a JSON object");
      lines += e.dump() + "\n";
      ++n;
    }
  }
  if (n == 0) return core::InvalidArgument("no events in the body");
  if (n > 10000) return core::InvalidArgument("at most 10000 events per request");
  ingest::Importer importer(c.conn->store.get(), st.ref);
  ingest::ImportOptions io;
  io.strict = true;
  auto summary_json = [n](const store::FileSummary& s) {
    return Json{{"received", n},
                {"new", s.rows_new},
                {"revised", s.rows_revised},
                {"unchanged", s.rows_unchanged},
                {"merged", s.rows_merged},
                {"linked", s.rows_linked}};
  };
  c.audit_target = "events";
  io.audit = [&](const ingest::ImportReport& r) {
    c.audit_detail = summary_json(r.summary).dump();
    return AuditInTransaction(c, 201);
  };
  VIGIL_ASSIGN_OR_RETURN(
      auto rep, importer.ImportJsonlContent("api:" + (c.who ? c.who->name : std::string("?")), lines, "jsonl", io));
  SendJson(c.res, 201, summary_json(rep.summary));
  return Status::Ok();
}

// GET /api/v1/stats
// The rows summed over places: one per period, oldest first.
std::vector<store::StatsRow> SumByPeriod(const std::vector<store::StatsRow>& rows) {
  std::map<std::string, store::StatsRow> by;
  for (const auto& r : rows) {
    auto& s = by[r.period];
    s.period = r.period;
    s.events += r.events;
    s.fatalities += r.fatalities;
    s.fatalities_known += r.fatalities_known;
  }
  std::vector<store::StatsRow> out;
  out.reserve(by.size());
  for (auto& [p, r] : by) out.push_back(std::move(r));
  return out;
}

Status GetStats(Ctx& c, State& st) {
  auto allowed = kFilterParams;
  for (const char* p : {"by", "period"}) allowed.emplace_back(p);
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, allowed));
  store::EventStore::StatsGrouping g;
  const std::string by = c.req.has_param("by") ? Param(c.req, "by") : "admin1";
  const std::string period = c.req.has_param("period") ? Param(c.req, "period") : "month";
  if (by != "admin1" && by != "admin2" && by != "none")
    return core::InvalidArgument("by must be admin1, admin2 or none");
  if (period != "month" && period != "week") return core::InvalidArgument("period must be month or week");
  g.by_admin2 = by == "admin2";
  g.weekly = period == "week";
  VIGIL_ASSIGN_OR_RETURN(const int64_t generation, c.conn->store->DataVersion());
  if (auto hit = st.stats_cache.Get(c.req.target, generation)) {
    c.res.set_content(*hit, "application/json");
    return Status::Ok();
  }
  VIGIL_ASSIGN_OR_RETURN(auto rf, FilterFromParams(c.req, c.conn->store.get(), st.ref->data_dir()));
  if (rf.near) return core::InvalidArgument("stats take bbox, not near");
  VIGIL_ASSIGN_OR_RETURN(auto rows, c.conn->store->Stats(rf.filter, g));
  if (by == "none") rows = SumByPeriod(rows);
  // fatalities: summed over the events with a known count, null when a
  // row's events have none (an unknown count is not zero).
  auto fatal = [](int64_t sum, int64_t known, int64_t n) { return known || !n ? Json(sum) : Json(nullptr); };
  Json arr = Json::array();
  int64_t events = 0, fatalities = 0, known = 0;
  for (const auto& r : rows) {
    Json j = Json::object();
    if (by != "none") j["country"] = r.country, j["admin1"] = r.admin1;
    if (g.by_admin2) j["admin2"] = r.admin2;
    j[period] = r.period;
    j["events"] = r.events;
    j["fatalities"] = fatal(r.fatalities, r.fatalities_known, r.events);
    j["fatalities_known"] = r.fatalities_known;
    events += r.events;
    fatalities += r.fatalities;
    known += r.fatalities_known;
    arr.push_back(std::move(j));
  }
  SendJson(c.res, 200,
           Json{{"by", by},
                {"period", period},
                {"rows", arr},
                {"total",
                 {{"events", events}, {"fatalities", fatal(fatalities, known, events)}, {"fatalities_known", known}}}});
  st.stats_cache.Put(c.req.target, generation, c.res.body);
  return Status::Ok();
}

// GET /api/v1/forecast. Each unit carries the 80 % range of its count
// (p10, p50, p90 from Monte Carlo runs of the snapshot's process, fixed
// seed); the answer is cached per snapshot, level and horizon.
constexpr int kForecastQuantileRuns = 200;

Status GetForecast(Ctx& c, State& st) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"level", "horizon"}));
  const std::string level_name = c.req.has_param("level") ? Param(c.req, "level") : "admin1";
  if (level_name != "cell" && level_name != "admin1" && level_name != "admin2")
    return core::InvalidArgument("level must be cell, admin1 or admin2");
  VIGIL_ASSIGN_OR_RETURN(int64_t horizon, IntParam(c.req, "horizon", 30, 1, 366));
  VIGIL_ASSIGN_OR_RETURN(auto snap, c.conn->store->LatestSnapshot("hawkes"));
  if (!snap)
    return core::NotFound("no model snapshot yet: fit one with 'vigil fit' (the dashboard shows events meanwhile)");
  const auto key = std::make_tuple(snap->id, level_name, static_cast<int>(horizon));
  std::shared_ptr<const std::string> hit;
  {
    std::lock_guard<std::mutex> lock(st.forecast_mu);
    auto it = st.forecast_cache.find(key);
    if (it != st.forecast_cache.end()) hit = it->second;
  }
  if (hit) {  // copied outside the lock
    c.res.set_content(*hit, "application/geo+json");
    return Status::Ok();
  }
  VIGIL_ASSIGN_OR_RETURN(model::Level level, model::ParseLevel(level_name));
  VIGIL_ASSIGN_OR_RETURN(auto out, model::ForecastFromSnapshot(c.conn->store.get(), *st.ref, *snap, level,
                                                               static_cast<int>(horizon), kForecastQuantileRuns));
  Json feats = Json::array();
  report::ForecastFeatureOptions fo;
  fo.admin_geometry = &st.admin_geometry;
  fo.quantiles = true;
  for (size_t i = 0; i < out.units.size(); ++i)
    feats.push_back(report::ForecastFeature(out.units[i], out.rows[i], level, *st.ref, fo));
  // What the forecast rests on, for the banner a reader needs: events,
  // window, and the fit's warnings (thin data, a bound).
  const Json summary = Json::parse(snap->params, nullptr, false);
  const bool known = summary.is_object();
  Json fit{{"events", known ? summary.value("events_precise", int64_t{0}) : int64_t{0}},
           {"window_start", snap->window_start.ToIso()},
           {"warnings", known ? summary.value("warnings", Json::array()) : Json::array()},
           {"at_bound", known ? summary.value("at_bound", Json::array()) : Json::array()}};
  Json doc{{"type", "FeatureCollection"},
           {"snapshot_id", snap->id},
           {"as_of", snap->as_of.ToIso()},
           {"fit", fit},
           {"horizon_days", horizon},
           {"level", level_name},
           {"model", "hawkes"},
           // The units are Mali's (model::MakeUnits): elsewhere is "no
           // forecast", never "low risk".
           {"coverage", {{"countries", {"Mali"}}}},
           {"features", feats}};
  const std::string body = doc.dump(-1, ' ', false, Json::error_handler_t::replace);
  {
    std::lock_guard<std::mutex> lock(st.forecast_mu);
    if (st.forecast_cache.size() > 64) st.forecast_cache.clear();
    st.forecast_cache[key] = std::make_shared<const std::string>(body);
  }
  c.res.set_content(body, "application/geo+json");
  return Status::Ok();
}

// POST /api/v1/extract
Status PostExtract(Ctx& c, State& st) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"doc_date", "lang", "doc", "store"}));
  text::ExtractOptions xo;
  xo.doc = c.req.has_param("doc") ? Param(c.req, "doc") : "api-report";
  xo.lang = c.req.has_param("lang") ? Param(c.req, "lang") : "auto";
  if (xo.lang != "auto" && xo.lang != "en" && xo.lang != "fr")
    return core::InvalidArgument("lang must be auto, en or fr");
  if (xo.doc.size() > 200) return core::InvalidArgument("doc must have at most 200 characters");
  if (c.req.has_param("doc_date")) {
    auto d = core::Date::Parse(Param(c.req, "doc_date"));
    if (!d.ok()) return core::InvalidArgument("doc_date: " + d.status().message());
    xo.doc_date = *d;
  }
  const std::string store_flag = Param(c.req, "store");
  if (!store_flag.empty() && store_flag != "true" && store_flag != "false")
    return core::InvalidArgument("store must be true or false");
  std::string text = c.req.body;
  const std::string ct = c.req.get_header_value("Content-Type");
  if (core::StartsWith(ct, "application/json")) {
    if (!core::IsValidUtf8(c.req.body)) return core::InvalidArgument("the body is not valid UTF-8");
    VIGIL_ASSIGN_OR_RETURN(Json j, core::ParseJson(c.req.body));
    if (!j.is_object() || !j.contains("text") || !j["text"].is_string())
      return core::InvalidArgument("a JSON body must be an object with a string 'text'");
    text = j["text"].get<std::string>();
  } else if (!core::StartsWith(ct, "text/plain")) {
    return core::InvalidArgument("send the report as text/plain, or application/json {\"text\": ...}");
  }
  if (!core::IsValidUtf8(text)) return core::InvalidArgument("the report is not valid UTF-8");
  Json arr = Json::array();
  Json out;
  if (store_flag == "true") {
    ingest::Importer importer(c.conn->store.get(), st.ref);
    ingest::ImportOptions io;
    io.strict = true;
    c.audit_target = "report:" + xo.doc;
    io.audit = [&](const ingest::ImportReport& r) {
      c.audit_detail =
          std::to_string(text.size()) + " bytes, " + std::to_string(r.summary.rows_read) + " events stored";
      return AuditInTransaction(c, 200);
    };
    VIGIL_ASSIGN_OR_RETURN(auto r, ingest::ImportReportText(importer, *st.ref, "api:" + xo.doc, text, xo, io));
    for (const auto& e : r.events) arr.push_back(text::ToJson(e));
    out = {{"events", arr},
           {"stored",
            {{"new", r.report.summary.rows_new},
             {"merged", r.report.summary.rows_merged},
             {"linked", r.report.summary.rows_linked},
             {"unchanged", r.report.summary.rows_unchanged},
             {"undated", r.undated},
             {"unknown_place", r.unlocated}}}};
    c.audit_target = "report:" + xo.doc;
  } else {
    VIGIL_ASSIGN_OR_RETURN(auto lex, text::Lexicon::Cached(st.ref->data_dir()));
    VIGIL_ASSIGN_OR_RETURN(auto events, text::Extract(text, st.ref->gazetteer(), *lex, xo));
    for (const auto& e : events) arr.push_back(text::ToJson(e));
    out = {{"events", arr}};
    c.audit_target = "extract:" + xo.doc;
  }
  c.audit_detail = std::to_string(text.size()) + " bytes, " + std::to_string(arr.size()) + " events";
  SendJson(c.res, 200, out);
  return Status::Ok();
}

// POST /api/v1/session {name, password}
Status Login(Ctx& c, State& st) {
  VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {}));
  VIGIL_RETURN_IF_ERROR(RequireJson(c.req));
  VIGIL_ASSIGN_OR_RETURN(Json j, core::ParseJson(c.req.body));
  if (!j.is_object() || !j.contains("name") || !j.contains("password") || !j["name"].is_string() ||
      !j["password"].is_string())
    return core::InvalidArgument("send {\"name\": ..., \"password\": ...}");
  VIGIL_ASSIGN_OR_RETURN(auto p, c.conn->accounts->CheckPassword(j["name"], j["password"]));
  VIGIL_ASSIGN_OR_RETURN(auto s, c.conn->accounts->CreateSession(p.user_id, st.opt.session_max_age_s));
  std::string cookie =
      "vigil_session=" + s.id + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(s.max_age_s);
  if (st.opt.secure_cookies || c.req.get_header_value("X-Forwarded-Proto") == "https") cookie += "; Secure";
  c.res.set_header("Set-Cookie", cookie);
  SendJson(c.res, 200, Json{{"user", p.name}, {"role", auth::RoleName(p.role)}, {"csrf_token", s.csrf}});
  return Status::Ok();
}

// DELETE /api/v1/session
Status Logout(Ctx& c) {
  if (const std::string id = SessionCookie(c.req); !id.empty()) {
    // Signing out is a write: a page on another site must not do it for the
    // user (CSRF). An expired or unknown session just gets its cookie cleared.
    auto who = c.conn->accounts->CheckSession(id);
    if (who.ok()) {
      const std::string csrf = c.req.get_header_value("X-CSRF-Token");
      if (csrf.empty() || !auth::SecureEquals(csrf, who->csrf))
        return core::PermissionDenied("missing or wrong X-CSRF-Token header (from /api/v1/me)");
      VIGIL_RETURN_IF_ERROR(c.conn->accounts->EndSession(id));
    }
  }
  c.res.set_header("Set-Cookie", "vigil_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  SendJson(c.res, 200, Json{{"signed_out", true}});
  return Status::Ok();
}

}  // namespace

void AddApiRoutes(State& st, const RouteFn& route) {
  route("GET", "/api/v1/events", "/api/v1/events", Access::kRead, [&st](Ctx& c) { return ListEvents(c, st); });
  route("GET", "/api/v1/events/{id}", "/api/v1/events/{id}", Access::kRead, GetEvent);
  route("POST", "/api/v1/events", "/api/v1/events", Access::kWrite, [&st](Ctx& c) { return PostEvents(c, st); });
  route("GET", "/api/v1/stats", "/api/v1/stats", Access::kRead, [&st](Ctx& c) { return GetStats(c, st); });
  // The sources of the stored events, and whether any is simulated: the
  // dashboard says SIMULATED whenever it is.
  route("GET", "/api/v1/sources", "/api/v1/sources", Access::kRead, [](Ctx& c) {
    VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {}));
    VIGIL_ASSIGN_OR_RETURN(auto sources, c.conn->store->DistinctValues("source"));
    const bool simulated = std::find(sources.begin(), sources.end(), core::kSimulatedSource) != sources.end();
    SendJson(c.res, 200, Json{{"sources", sources}, {"simulated", simulated}});
    return Status::Ok();
  });
  route("GET", "/api/v1/forecast", "/api/v1/forecast", Access::kRead, [&st](Ctx& c) { return GetForecast(c, st); });
  route("POST", "/api/v1/extract", "/api/v1/extract", Access::kWrite, [&st](Ctx& c) { return PostExtract(c, st); });
  route("GET", "/api/v1/boundaries/{level}", "/api/v1/boundaries/{level}", Access::kRead, [&st](Ctx& c) {
    VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {}));
    auto it = st.boundaries.find(c.req.matches[1]);
    if (it == st.boundaries.end()) return core::NotFound("boundaries are admin0, admin1, admin2 or towns");
    c.res.set_content(it->second, "application/geo+json");
    c.res.set_header("Cache-Control", "private, max-age=3600");  // and an ETag (caching.h)
    return Status::Ok();
  });
  route("POST", "/api/v1/session", "/api/v1/session", Access::kOpen, [&st](Ctx& c) { return Login(c, st); });
  route("DELETE", "/api/v1/session", "/api/v1/session", Access::kOpen, Logout);
  // Any signed-in user, reporters included; anonymous only with --public-read.
  route("GET", "/api/v1/me", "/api/v1/me", Access::kOpen, [&st](Ctx& c) {
    VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {}));
    if (!c.who && !st.opt.public_read) return core::Unauthenticated("sign in or send 'Authorization: Bearer <token>'");
    Json j{{"public_read", st.opt.public_read}};
    if (c.who) {
      j["user"] = c.who->name;
      j["role"] = auth::RoleName(c.who->role);
      j["via"] = c.who->via;
      if (!c.who->csrf.empty()) j["csrf_token"] = c.who->csrf;
    } else {
      j["user"] = nullptr;
    }
    SendJson(c.res, 200, j);
    return Status::Ok();
  });
  route("GET", "/api/v1/audit", "/api/v1/audit", Access::kAdmin, [](Ctx& c) {
    VIGIL_RETURN_IF_ERROR(CheckParams(c.req, {"limit"}));
    VIGIL_ASSIGN_OR_RETURN(int64_t limit, IntParam(c.req, "limit", 100, 1, 10000));
    VIGIL_ASSIGN_OR_RETURN(auto rows, c.conn->accounts->ListAudit(limit));
    Json arr = Json::array();
    for (const auto& a : rows)
      arr.push_back({{"id", a.id},
                     {"at", a.at},
                     {"user", a.user},
                     {"role", a.role},
                     {"action", a.action},
                     {"target", a.target},
                     {"detail", a.detail},
                     {"client", a.client},
                     {"status", a.status}});
    SendJson(c.res, 200, Json{{"entries", arr}});
    return Status::Ok();
  });
}

}  // namespace vigil::server

// The SQLite backend of AlertStore (tables of migration 12).
#include <cmath>

#include "alert/alert_store.h"
#include "alert/triage.h"
#include "core/json.h"
#include "core/strings.h"
#include "store/sqlite.h"
#include "store/store.h"

namespace vigil::alert {

namespace {

using core::Result;
using core::Status;
using store::Db;
using store::Stmt;

constexpr const char* kReportColumns =
    "id, received_at, observed_at, channel, lang, text, place_text, latitude, longitude, geo_source, location, "
    "admin1, admin2, country, cell_lat, cell_lon, contact_hash, contact_box, submitted_by, state, cluster_id, "
    "credibility, credibility_why, signs, event_id, state_note, state_by, state_at";

constexpr const char* kAlertColumns =
    "id, identifier, rule, kind, dedupe_key, area_id, state, urgency, severity, certainty, headline_en, headline_fr, "
    "description_en, description_fr, area, evidence, created_at, updated_at, version, tier, deadline, ack_by, "
    "ack_at, disposition, ack_note, resolved_by, resolved_at";

constexpr const char* kOutboxColumns =
    "id, alert_id, report_id, kind, purpose, recipient, recipient_box, subject, body, idempotency_key, state, "
    "attempts, next_attempt_at, last_error, created_at, sent_at";

std::optional<double> OptDouble(const Stmt& st, int c) {
  return st.IsNull(c) ? std::nullopt : std::optional<double>(st.Double(c));
}

Report ReadReport(const Stmt& st) {
  Report r;
  r.id = st.Int(0);
  r.received_at = st.Int(1);
  if (!st.IsNull(2)) r.observed_at = st.Int(2);
  r.channel = ParseChannel(st.Text(3)).ok() ? *ParseChannel(st.Text(3)) : Channel::kWeb;
  r.lang = st.Text(4);
  r.text = st.Text(5);
  r.place_text = st.Text(6);
  r.lat = OptDouble(st, 7);
  r.lon = OptDouble(st, 8);
  r.geo_source = st.Text(9);
  r.location = st.Text(10);
  r.admin1 = st.Text(11);
  r.admin2 = st.Text(12);
  r.country = st.Text(13);
  r.cell_lat = st.Double(14);
  r.cell_lon = st.Double(15);
  r.contact_hash = st.Text(16);
  r.contact_box = st.Blob(17);
  r.submitted_by = st.Text(18);
  r.state = ParseReportState(st.Text(19)).ok() ? *ParseReportState(st.Text(19)) : ReportState::kReceived;
  r.cluster_id = st.Int(20);
  r.credibility = st.Double(21);
  r.credibility_why = st.Text(22);
  for (auto s : core::Split(st.Text(23), ','))
    if (!s.empty()) r.signs.emplace_back(s);
  r.event_id = st.Int(24);
  r.state_note = st.Text(25);
  r.state_by = st.Text(26);
  r.state_at = st.Int(27);
  return r;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

core::Json AreaToJson(const CapArea& a) {
  core::Json j{{"description", a.description}};
  if (a.circle) j["circle"] = {a.circle->lat, a.circle->lon, a.circle->radius_km};
  if (!a.polygon.empty()) {
    core::Json p = core::Json::array();
    for (const auto& [lat, lon] : a.polygon) p.push_back({lat, lon});
    j["polygon"] = p;
  }
  return j;
}

CapArea AreaFromJson(std::string_view text) {
  CapArea a;
  auto j = core::ParseJson(text);
  if (!j.ok() || !j->is_object()) return a;
  a.description = j->value("description", "");
  if (j->contains("circle") && (*j)["circle"].is_array() && (*j)["circle"].size() == 3)
    a.circle =
        Circle{(*j)["circle"][0].get<double>(), (*j)["circle"][1].get<double>(), (*j)["circle"][2].get<double>()};
  if (j->contains("polygon") && (*j)["polygon"].is_array())
    for (const auto& p : (*j)["polygon"])
      if (p.is_array() && p.size() == 2) a.polygon.emplace_back(p[0].get<double>(), p[1].get<double>());
  return a;
}

Alert ReadAlert(const Stmt& st) {
  Alert a;
  a.id = st.Int(0);
  a.identifier = st.Text(1);
  a.rule = st.Text(2);
  a.kind = st.Text(3);
  a.dedupe_key = st.Text(4);
  a.area_id = st.Text(5);
  a.state = ParseAlertState(st.Text(6)).ok() ? *ParseAlertState(st.Text(6)) : AlertState::kOpen;
  a.urgency = ParseUrgency(st.Text(7)).ok() ? *ParseUrgency(st.Text(7)) : Urgency::kUnknown;
  a.severity = ParseSeverity(st.Text(8)).ok() ? *ParseSeverity(st.Text(8)) : Severity::kUnknown;
  a.certainty = ParseCertainty(st.Text(9)).ok() ? *ParseCertainty(st.Text(9)) : Certainty::kUnknown;
  a.headline_en = st.Text(10);
  a.headline_fr = st.Text(11);
  a.description_en = st.Text(12);
  a.description_fr = st.Text(13);
  a.area = AreaFromJson(st.Text(14));
  auto ev = core::ParseJson(st.Text(15));
  a.evidence = ev.ok() ? *ev : core::Json::object();
  a.created_at = st.Int(16);
  a.updated_at = st.Int(17);
  a.version = static_cast<int>(st.Int(18));
  a.tier = static_cast<int>(st.Int(19));
  if (!st.IsNull(20)) a.deadline = st.Int(20);
  a.ack_by = st.Text(21);
  a.ack_at = st.Int(22);
  if (!st.IsNull(23) && ParseDisposition(st.Text(23)).ok()) a.disposition = *ParseDisposition(st.Text(23));
  a.ack_note = st.Text(24);
  a.resolved_by = st.Text(25);
  a.resolved_at = st.Int(26);
  return a;
}

OutboxMessage ReadMessage(const Stmt& st) {
  OutboxMessage m;
  m.id = st.Int(0);
  m.alert_id = st.Int(1);
  m.report_id = st.Int(2);
  m.kind = ParseMessageKind(st.Text(3)).ok() ? *ParseMessageKind(st.Text(3)) : MessageKind::kWebhook;
  m.purpose = st.Text(4);
  m.recipient = st.Text(5);
  m.recipient_box = st.Blob(6);
  m.subject = st.Text(7);
  m.body = st.Text(8);
  m.idempotency_key = st.Text(9);
  m.state = st.Text(10);
  m.attempts = static_cast<int>(st.Int(11));
  m.next_attempt_at = st.Int(12);
  m.last_error = st.Text(13);
  m.created_at = st.Int(14);
  m.sent_at = st.Int(15);
  return m;
}

template <typename T, typename Read>
Result<std::vector<T>> All(Stmt& st, Read read) {
  std::vector<T> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(read(st));
  }
  return out;
}

template <typename T, typename Read>
Result<T> One(Stmt& st, Read read, const std::string& missing) {
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return core::NotFound(missing);
  return read(st);
}

// Binds consecutive parameters, one statement per value.
class Binder {
 public:
  Binder(Stmt& st, int first) : st_(st), i_(first) {}
  template <typename T>
  Binder& Put(const T& v) {
    st_.Bind(i_++, v);
    return *this;
  }
  Binder& Text(std::string_view v) {  // "" as NULL
    st_.BindText(i_++, v);
    return *this;
  }
  Binder& Blob(std::string_view v) {  // "" as NULL; must outlive the step
    if (v.empty())
      st_.BindNull(i_++);
    else
      st_.BindBlobStatic(i_++, v);
    return *this;
  }
  template <typename T>
  Binder& Opt(const std::optional<T>& v) {
    if (v)
      st_.Bind(i_++, *v);
    else
      st_.BindNull(i_++);
    return *this;
  }
  Binder& NonZero(int64_t v) {  // 0 as NULL
    return v ? Put(v) : Opt(std::optional<int64_t>());
  }

 private:
  Stmt& st_;
  int i_;
};

void BindReport(Stmt& st, const Report& r, int first) {
  Binder b(st, first);
  b.Put(r.received_at);
  b.Opt(r.observed_at);
  b.Put(r.observed_at.value_or(r.received_at));
  b.Put(Name(r.channel));
  b.Put(r.lang);
  b.Put(r.text);
  b.Text(r.place_text);
  b.Opt(r.lat);
  b.Opt(r.lon);
  b.Put(r.geo_source);
  b.Text(r.location);
  b.Text(r.admin1);
  b.Text(r.admin2);
  b.Text(r.country);
  b.Put(r.cell_lat);
  b.Put(r.cell_lon);
  b.Opt(r.lat ? std::optional<int64_t>(CellKey(*r.lat, *r.lon)) : std::nullopt);
  b.Text(r.contact_hash);
  b.Blob(r.contact_box);
  b.Put(r.submitted_by);
  b.Put(Name(r.state));
  b.NonZero(r.cluster_id);
  b.Put(r.credibility);
  b.Text(r.credibility_why);
  b.Text(Join(r.signs));
  b.NonZero(r.event_id);
  b.Text(r.state_note);
  b.Text(r.state_by);
  b.Put(r.state_at);
}

void BindAlert(Stmt& st, const Alert& a, int first) {
  Binder b(st, first);
  b.Put(a.identifier);
  b.Put(a.rule);
  b.Put(a.kind);
  b.Put(a.dedupe_key);
  b.Put(a.area_id);
  b.Put(Name(a.state));
  b.Put(Name(a.urgency));
  b.Put(Name(a.severity));
  b.Put(Name(a.certainty));
  b.Put(a.headline_en);
  b.Put(a.headline_fr);
  b.Put(a.description_en);
  b.Put(a.description_fr);
  b.Put(AreaToJson(a.area).dump());
  b.Put(a.evidence.dump(-1, ' ', false, core::Json::error_handler_t::replace));
  b.Put(a.created_at);
  b.Put(a.updated_at);
  b.Put(a.version);
  b.Put(a.tier);
  b.Opt(a.deadline);
  b.Text(a.ack_by);
  b.Put(a.ack_at);
  if (a.disposition)
    b.Put(Name(*a.disposition));
  else
    b.Text("");
  b.Text(a.ack_note);
  b.Text(a.resolved_by);
  b.Put(a.resolved_at);
}

void BindMessage(Stmt& st, const OutboxMessage& m, int first) {
  Binder b(st, first);
  b.NonZero(m.alert_id);
  b.NonZero(m.report_id);
  b.Put(Name(m.kind));
  b.Put(m.purpose);
  b.Text(m.recipient);
  b.Blob(m.recipient_box);
  b.Text(m.subject);
  b.Put(m.body);
  b.Put(m.idempotency_key);
  b.Put(m.state);
  b.Put(m.attempts);
  b.Put(m.next_attempt_at);
  b.Text(m.last_error);
  b.Put(m.created_at);
  b.Put(m.sent_at);
}

std::string Placeholders(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s;
}

// Reads shared by the transaction and the store (same connection).
class Reads {
 public:
  explicit Reads(Db* db) : db_(db) {}

  Result<Report> GetReport(int64_t id) {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_->Cached(std::string("SELECT ") + kReportColumns + " FROM reports WHERE id=?"));
    Stmt& st = lease.get();
    st.Bind(1, id);
    return One<Report>(st, ReadReport, "no report R-" + std::to_string(id));
  }
  Result<Alert> GetAlert(int64_t id) {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_->Cached(std::string("SELECT ") + kAlertColumns + " FROM alerts WHERE id=?"));
    Stmt& st = lease.get();
    st.Bind(1, id);
    return One<Alert>(st, ReadAlert, "no alert A-" + std::to_string(id));
  }

 protected:
  Db* db_;
};

class SqliteAlertTxn final : public AlertTxn, private Reads {
 public:
  explicit SqliteAlertTxn(Db* db) : Reads(db), tx_(db) {}
  const Status& begin_status() const { return tx_.begin_status(); }

  Result<std::optional<StoredResponse>> FindResponse(const std::string& scope, const std::string& key) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_->Cached("SELECT status, body FROM idempotency WHERE scope=? AND key=?"));
    Stmt& st = lease.get();
    st.Bind(1, scope).Bind(2, key);
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<StoredResponse>();
    return std::optional<StoredResponse>(StoredResponse{static_cast<int>(st.Int(0)), std::string(st.Text(1))});
  }
  Status SaveResponse(const std::string& scope, const std::string& key, const StoredResponse& r, int64_t now) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_->Cached("INSERT INTO idempotency(scope, key, status, body, created_at) "
                                       "VALUES (?,?,?,?,?)"));
    Stmt& st = lease.get();
    st.Bind(1, scope).Bind(2, key).Bind(3, r.status).Bind(4, r.body).Bind(5, now);
    return st.Run();
  }
  Result<bool> MarkSmsSeen(const std::string& gateway, const std::string& id, int64_t now) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_->Cached("INSERT OR IGNORE INTO sms_seen(gateway, message_id, received_at) "
                                       "VALUES (?,?,?)"));
    Stmt& st = lease.get();
    st.Bind(1, gateway).Bind(2, id).Bind(3, now);
    VIGIL_RETURN_IF_ERROR(st.Run());
    return db_->Changes() > 0;
  }

  Result<int64_t> InsertReport(const Report& r, const std::string& reporter_key) override {
    VIGIL_ASSIGN_OR_RETURN(
        store::CachedStmt lease,
        db_->Cached("INSERT INTO reports(received_at, observed_at, seen_at, channel, lang, text, place_text, "
                    "latitude, longitude, geo_source, location, admin1, admin2, country, cell_lat, cell_lon, "
                    "cell_key, contact_hash, contact_box, submitted_by, state, cluster_id, credibility, "
                    "credibility_why, signs, event_id, state_note, state_by, state_at, reporter_key) VALUES (" +
                    Placeholders(30) + ")"));
    Stmt& st = lease.get();
    BindReport(st, r, 1);
    st.Bind(30, reporter_key);
    VIGIL_RETURN_IF_ERROR(st.Run());
    return db_->LastInsertRowid();
  }
  Status UpdateReport(const Report& r) override {
    VIGIL_ASSIGN_OR_RETURN(
        store::CachedStmt lease,
        db_->Cached("UPDATE reports SET received_at=?, observed_at=?, seen_at=?, channel=?, lang=?, text=?, "
                    "place_text=?, latitude=?, longitude=?, geo_source=?, location=?, admin1=?, admin2=?, "
                    "country=?, cell_lat=?, cell_lon=?, cell_key=?, contact_hash=?, contact_box=?, "
                    "submitted_by=?, state=?, cluster_id=?, credibility=?, credibility_why=?, signs=?, "
                    "event_id=?, state_note=?, state_by=?, state_at=? WHERE id=?"));
    Stmt& st = lease.get();
    BindReport(st, r, 1);
    st.Bind(30, r.id);
    return st.Run();
  }
  Result<Report> GetReport(int64_t id) override { return Reads::GetReport(id); }

  Result<std::vector<Report>> ReportsNear(double lat, double lon, double km, int64_t from, int64_t to) override {
    // The 0.1-degree cells covering the box, row by row, through the
    // (cell_key, seen_at) index.
    const double dlat = km / 111.0, dlon = km / (111.0 * std::max(0.1, std::cos(lat * M_PI / 180.0)));
    const int64_t k0 = CellKey(lat - dlat, lon - dlon), k1 = CellKey(lat + dlat, lon + dlon);
    const int64_t r0 = k0 / 3600, r1 = k1 / 3600, c0 = k0 % 3600, c1 = k1 % 3600;
    std::string where;
    for (int64_t r = r0; r <= r1; ++r)
      where += std::string(where.empty() ? "" : " OR ") + "cell_key BETWEEN " + std::to_string(r * 3600 + c0) +
               " AND " + std::to_string(r * 3600 + c1);
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_->Prepare(std::string("SELECT ") + kReportColumns + " FROM reports WHERE (" +
                                                 where + ") AND seen_at BETWEEN ? AND ? ORDER BY id"));
    st.Bind(1, from).Bind(2, to);
    return All<Report>(st, ReadReport);
  }
  Result<bool> ClusterHasReporter(int64_t cluster_id, const std::string& key, int64_t except) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_->Cached("SELECT EXISTS (SELECT 1 FROM reports WHERE reporter_key=? AND "
                                       "cluster_id=? AND id<>? AND state NOT IN ('dismissed', "
                                       "'duplicate'))"));
    Stmt& st = lease.get();
    st.Bind(1, key).Bind(2, cluster_id).Bind(3, except);
    return One<bool>(
        st, [](const Stmt& x) { return x.Int(0) != 0; }, "");
  }
  Result<std::vector<std::string>> ReportersOfCluster(int64_t cluster_id, int limit) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_->Cached("SELECT DISTINCT reporter_key FROM reports WHERE cluster_id=? AND "
                                       "state NOT IN ('dismissed', 'duplicate') LIMIT ?"));
    Stmt& st = lease.get();
    st.Bind(1, cluster_id).Bind(2, limit);
    return All<std::string>(st, [](const Stmt& x) { return std::string(x.Text(0)); });
  }
  Result<std::vector<int64_t>> ReportIdsOfCluster(int64_t cluster_id, int limit) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_->Cached("SELECT id FROM reports WHERE cluster_id=? AND state NOT IN "
                                       "('dismissed', 'duplicate') ORDER BY id LIMIT ?"));
    Stmt& st = lease.get();
    st.Bind(1, cluster_id).Bind(2, limit);
    return All<int64_t>(st, [](const Stmt& x) { return x.Int(0); });
  }
  Result<std::vector<Report>> ReportsOfCluster(int64_t cluster_id) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease, db_->Cached(std::string("SELECT ") + kReportColumns +
                                                                " FROM reports WHERE cluster_id=? ORDER BY id"));
    Stmt& st = lease.get();
    st.Bind(1, cluster_id);
    return All<Report>(st, ReadReport);
  }
  Result<ReporterRecord> RecordOf(const std::string& key, int64_t cluster_id) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_->Cached("SELECT coalesce(sum(state='verified'),0), "
                                       "coalesce(sum(state='dismissed'),0), count(*) FROM reports WHERE "
                                       "reporter_key=? AND coalesce(cluster_id,0)<>?"));
    Stmt& st = lease.get();
    st.Bind(1, key).Bind(2, cluster_id);
    return One<ReporterRecord>(
        st,
        [](const Stmt& s) {
          return ReporterRecord{static_cast<int>(s.Int(0)), static_cast<int>(s.Int(1)), static_cast<int>(s.Int(2))};
        },
        "no record");
  }
  Result<std::string> ReporterKeyOf(int64_t id) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease, db_->Cached("SELECT reporter_key FROM reports WHERE id=?"));
    Stmt& st = lease.get();
    st.Bind(1, id);
    return One<std::string>(
        st, [](const Stmt& s) { return std::string(s.Text(0)); }, "no report");
  }

  Result<int64_t> InsertCluster(const Cluster& c) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_->Cached("INSERT INTO report_clusters(latitude, longitude, first_seen, "
                                       "last_seen, n_reports, n_reporters, location, admin1, admin2, "
                                       "country, n_located, signs) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"));
    Stmt& st = lease.get();
    BindCluster(st, c);
    VIGIL_RETURN_IF_ERROR(st.Run());
    return db_->LastInsertRowid();
  }
  Status UpdateCluster(const Cluster& c) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_->Cached("UPDATE report_clusters SET latitude=?, longitude=?, first_seen=?, "
                                       "last_seen=?, n_reports=?, n_reporters=?, location=?, admin1=?, "
                                       "admin2=?, country=?, n_located=?, signs=? WHERE id=?"));
    Stmt& st = lease.get();
    BindCluster(st, c);
    st.Bind(13, c.id);
    return st.Run();
  }
  static constexpr const char* kClusterColumns =
      "id, latitude, longitude, first_seen, last_seen, n_reports, n_reporters, location, admin1, admin2, country, "
      "n_located, coalesce(signs, '')";
  Result<std::vector<Cluster>> ClustersNear(double lat, double lon, double km, int64_t from, int64_t to) override {
    const double dlat = km / 111.0, dlon = km / (111.0 * std::max(0.1, std::cos(lat * M_PI / 180.0)));
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_->Cached(std::string("SELECT ") + kClusterColumns +
                                       " FROM report_clusters WHERE last_seen >= ? AND first_seen <= ? "
                                       "AND latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?"));
    Stmt& st = lease.get();
    st.Bind(1, from).Bind(2, to).Bind(3, lat - dlat).Bind(4, lat + dlat).Bind(5, lon - dlon).Bind(6, lon + dlon);
    return All<Cluster>(st, ReadCluster);
  }
  Result<Cluster> GetCluster(int64_t id) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_->Cached(std::string("SELECT ") + kClusterColumns + " FROM report_clusters WHERE id=?"));
    Stmt& st = lease.get();
    st.Bind(1, id);
    return One<Cluster>(st, ReadCluster, "no cluster " + std::to_string(id));
  }
  static Cluster ReadCluster(const Stmt& s) {
    Cluster c;
    c.id = s.Int(0);
    c.lat = s.Double(1);
    c.lon = s.Double(2);
    c.first_seen = s.Int(3);
    c.last_seen = s.Int(4);
    c.n_reports = static_cast<int>(s.Int(5));
    c.n_reporters = static_cast<int>(s.Int(6));
    c.location = s.Text(7);
    c.admin1 = s.Text(8);
    c.admin2 = s.Text(9);
    c.country = s.Text(10);
    c.n_located = static_cast<int>(s.Int(11));
    for (auto g : core::Split(s.Text(12), ','))
      if (!g.empty()) c.signs.emplace_back(g);
    return c;
  }

  Result<std::optional<Alert>> FindLiveAlert(const std::string& rule, const std::string& key) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_->Cached(std::string("SELECT ") + kAlertColumns +
                                       " FROM alerts WHERE rule=? AND dedupe_key=? AND state IN ('open', "
                                       "'acknowledged') ORDER BY id DESC LIMIT 1"));
    Stmt& st = lease.get();
    st.Bind(1, rule).Bind(2, key);
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<Alert>();
    return std::optional<Alert>(ReadAlert(st));
  }
  Result<int64_t> InsertAlert(const Alert& a) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_->Cached("INSERT INTO alerts(identifier, rule, kind, dedupe_key, area_id, "
                                       "state, urgency, severity, certainty, headline_en, headline_fr, "
                                       "description_en, description_fr, area, evidence, created_at, "
                                       "updated_at, version, tier, deadline, ack_by, ack_at, disposition, "
                                       "ack_note, resolved_by, resolved_at) VALUES (" +
                                       Placeholders(26) + ")"));
    Stmt& st = lease.get();
    BindAlert(st, a, 1);
    VIGIL_RETURN_IF_ERROR(st.Run());
    return db_->LastInsertRowid();
  }
  Status UpdateAlert(const Alert& a, int reminders) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_->Cached("UPDATE alerts SET identifier=?, rule=?, kind=?, dedupe_key=?, "
                                       "area_id=?, state=?, urgency=?, severity=?, certainty=?, "
                                       "headline_en=?, headline_fr=?, description_en=?, description_fr=?, "
                                       "area=?, evidence=?, created_at=?, updated_at=?, version=?, tier=?, "
                                       "deadline=?, ack_by=?, ack_at=?, disposition=?, ack_note=?, "
                                       "resolved_by=?, resolved_at=?, reminders=? WHERE id=?"));
    Stmt& st = lease.get();
    BindAlert(st, a, 1);
    st.Bind(27, reminders).Bind(28, a.id);
    return st.Run();
  }
  Result<Alert> GetAlert(int64_t id) override { return Reads::GetAlert(id); }
  Result<int> RemindersOf(int64_t id) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease, db_->Cached("SELECT reminders FROM alerts WHERE id=?"));
    Stmt& st = lease.get();
    st.Bind(1, id);
    return One<int>(
        st, [](const Stmt& s) { return static_cast<int>(s.Int(0)); }, "no alert");
  }
  Status AddCapMessage(const CapMessage& m) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_->Cached("INSERT INTO alert_messages(alert_id, msg_type, identifier, sent, "
                                       "xml) VALUES (?,?,?,?,?)"));
    Stmt& st = lease.get();
    st.Bind(1, m.alert_id).Bind(2, m.msg_type).Bind(3, m.identifier).Bind(4, m.sent).Bind(5, m.xml);
    return st.Run();
  }

  Result<int64_t> Enqueue(const OutboxMessage& m) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_->Cached("INSERT INTO outbox(alert_id, report_id, kind, purpose, recipient, "
                                       "recipient_box, subject, body, idempotency_key, state, attempts, "
                                       "next_attempt_at, last_error, created_at, sent_at) VALUES (" +
                                       Placeholders(15) + ")"));
    Stmt& st = lease.get();
    BindMessage(st, m, 1);
    VIGIL_RETURN_IF_ERROR(st.Run());
    return db_->LastInsertRowid();
  }
  Status UpdateOutbox(const OutboxMessage& m) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_->Cached("UPDATE outbox SET alert_id=?, report_id=?, kind=?, purpose=?, "
                                       "recipient=?, recipient_box=?, subject=?, body=?, "
                                       "idempotency_key=?, state=?, attempts=?, next_attempt_at=?, "
                                       "last_error=?, created_at=?, sent_at=? WHERE id=?"));
    Stmt& st = lease.get();
    BindMessage(st, m, 1);
    st.Bind(16, m.id);
    return st.Run();
  }

  Status Audit(const store::AuditRecord& r) override { return store::AppendAudit(db_, r); }
  Status Savepoint() override { return db_->Exec("SAVEPOINT work"); }
  Status ReleaseSavepoint() override { return db_->Exec("RELEASE work"); }
  Status RollbackToSavepoint() override { return db_->Exec("ROLLBACK TO work; RELEASE work"); }
  Status Commit() override { return tx_.Commit(); }

 private:
  static void BindCluster(Stmt& st, const Cluster& c) {
    st.Bind(1, c.lat).Bind(2, c.lon).Bind(3, c.first_seen).Bind(4, c.last_seen).Bind(5, c.n_reports);
    st.Bind(6, c.n_reporters).BindText(7, c.location).BindText(8, c.admin1).BindText(9, c.admin2);
    st.BindText(10, c.country).Bind(11, c.n_located).BindText(12, Join(c.signs));
  }
  store::Transaction tx_;
};

class SqliteAlertStore final : public AlertStore, private Reads {
 public:
  explicit SqliteAlertStore(Db db) : Reads(&db_), db_(std::move(db)) {}

  Result<std::unique_ptr<AlertTxn>> Begin() override {
    auto t = std::make_unique<SqliteAlertTxn>(&db_);
    VIGIL_RETURN_IF_ERROR(t->begin_status());
    return std::unique_ptr<AlertTxn>(std::move(t));
  }

  Result<std::vector<Report>> ListReports(const ReportFilter& f) override {
    std::string sql = std::string("SELECT ") + kReportColumns + " FROM reports WHERE seen_at >= ?";
    if (f.state) sql += " AND state = ?";
    if (f.cluster_id) sql += " AND cluster_id = ?";
    sql += " ORDER BY id DESC LIMIT ?";
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease, db_.Cached(sql));
    Stmt& st = lease.get();
    int i = 1;
    st.Bind(i++, f.since);
    if (f.state) st.Bind(i++, Name(*f.state));
    if (f.cluster_id) st.Bind(i++, f.cluster_id);
    st.Bind(i++, f.limit);
    return All<Report>(st, ReadReport);
  }
  Result<Report> GetReport(int64_t id) override { return Reads::GetReport(id); }
  Result<std::vector<Alert>> ListAlerts(const AlertFilter& f) override {
    std::string sql = std::string("SELECT ") + kAlertColumns + " FROM alerts WHERE 1=1";
    if (!f.states.empty()) {
      sql += " AND state IN (";
      for (size_t i = 0; i < f.states.size(); ++i) sql += std::string(i ? "," : "") + "'" + Name(f.states[i]) + "'";
      sql += ")";
    }
    if (!f.area_id.empty()) sql += " AND area_id = ?";
    sql += " ORDER BY id DESC LIMIT ?";
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease, db_.Cached(sql));
    Stmt& st = lease.get();
    int i = 1;
    if (!f.area_id.empty()) st.Bind(i++, f.area_id);
    st.Bind(i++, f.limit);
    return All<Alert>(st, ReadAlert);
  }
  Result<Alert> GetAlert(int64_t id) override { return Reads::GetAlert(id); }
  Result<std::vector<CapMessage>> CapMessages(int64_t alert_id) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_.Cached("SELECT id, alert_id, msg_type, identifier, sent, xml FROM "
                                      "alert_messages WHERE alert_id=? ORDER BY id"));
    Stmt& st = lease.get();
    st.Bind(1, alert_id);
    return All<CapMessage>(st, [](const Stmt& s) {
      return CapMessage{s.Int(0), s.Int(1), std::string(s.Text(2)), std::string(s.Text(3)), std::string(s.Text(5)),
                        s.Int(4)};
    });
  }
  Result<std::vector<Alert>> DueEscalations(int64_t now) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_.Cached(std::string("SELECT ") + kAlertColumns +
                                      " FROM alerts WHERE state='open' AND deadline IS NOT NULL AND "
                                      "deadline <= ? ORDER BY deadline, id"));
    Stmt& st = lease.get();
    st.Bind(1, now);
    return All<Alert>(st, ReadAlert);
  }
  Result<std::vector<OutboxMessage>> DueMessages(int64_t now, int64_t limit) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_.Cached(std::string("SELECT ") + kOutboxColumns +
                                      " FROM outbox WHERE state='pending' AND next_attempt_at <= ? ORDER "
                                      "BY next_attempt_at, id LIMIT ?"));
    Stmt& st = lease.get();
    st.Bind(1, now).Bind(2, limit);
    return All<OutboxMessage>(st, ReadMessage);
  }
  Result<std::vector<OutboxMessage>> Messages(int64_t alert_id, int64_t limit) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_.Cached(std::string("SELECT ") + kOutboxColumns + " FROM outbox" +
                                      (alert_id ? " WHERE alert_id=?" : "") + " ORDER BY id DESC LIMIT ?"));
    Stmt& st = lease.get();
    int i = 1;
    if (alert_id) st.Bind(i++, alert_id);
    st.Bind(i++, limit);
    return All<OutboxMessage>(st, ReadMessage);
  }
  Result<std::string> GetMeta(const std::string& key) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease, db_.Cached("SELECT value FROM meta WHERE key=?"));
    Stmt& st = lease.get();
    st.Bind(1, "alert." + key);
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    return row ? std::string(st.Text(0)) : std::string();
  }
  Status SetMeta(const std::string& key, const std::string& value) override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_.Cached("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                                      "UPDATE SET value=excluded.value"));
    Stmt& st = lease.get();
    st.Bind(1, "alert." + key).Bind(2, value);
    return st.Run();
  }
  void SetBusyTimeout(int ms) override { sqlite3_busy_timeout(db_.raw(), ms); }
  void DeferCheckpoints() override { sqlite3_wal_autocheckpoint(db_.raw(), 0); }
  Status Checkpoint() override {
    int log = 0, done = 0;
    const int rc = sqlite3_wal_checkpoint_v2(db_.raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    return rc == SQLITE_OK || rc == SQLITE_BUSY ? Status::Ok() : db_.Error("checkpoint");
  }

 private:
  Db db_;
};

}  // namespace

Result<std::unique_ptr<AlertStore>> AlertStore::Open(const std::string& db_url) {
  VIGIL_ASSIGN_OR_RETURN(std::string path, store::SqlitePathFromUrl(db_url));
  VIGIL_ASSIGN_OR_RETURN(Db db, Db::Open(path, false));
  VIGIL_ASSIGN_OR_RETURN(int64_t v, db.QueryInt("PRAGMA user_version"));
  if (v < 12)
    return Status(core::Code::kConflict, "the database at " + path + " has no alert tables (schema " +
                                             std::to_string(v) + "); run 'vigil init' to upgrade it");
  // Group commit undoes a refused report with ROLLBACK TO its savepoint:
  // keep those small sub-journals in memory rather than a temporary file
  // created and unlinked for every report.
  VIGIL_RETURN_IF_ERROR(db.Exec("PRAGMA temp_store=MEMORY"));
  return std::unique_ptr<AlertStore>(new SqliteAlertStore(std::move(db)));
}

}  // namespace vigil::alert

#include "alert/service.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>

#include "alert/credibility.h"
#include "alert/sms.h"
#include "core/event.h"
#include "core/priogrid.h"
#include "core/strings.h"
#include "core/timing.h"
#include "geo/normalize.h"
#include "ingest/importer.h"
#include "model/catalogue.h"
#include "model/road_service.h"
#include "model/service.h"
#include "model/site_store.h"

namespace vigil::alert {

using core::Json;
using core::Result;
using core::Status;

namespace {

std::string Percent(double p) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100 * p);
  return buf;
}

std::string Km(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

std::string HumanDuration(int64_t s) {
  if (s % 86400 == 0) return std::to_string(s / 86400) + " d";
  if (s % 3600 == 0) return std::to_string(s / 3600) + " h";
  if (s % 60 == 0) return std::to_string(s / 60) + " min";
  return std::to_string(s) + " s";
}

store::AuditRecord AuditOf(const Actor& who, const std::string& action, const std::string& target,
                           const std::string& detail, int64_t now) {
  store::AuditRecord r;
  r.user = who.user;
  r.role = who.role;
  r.client = who.client;
  r.action = action;
  r.target = target;
  r.detail = detail;
  r.at = core::FormatUtc(now);
  return r;
}

// The reporter identity that makes reports independent of each other.
std::string ReporterKey(const Report& r) {
  return !r.contact_hash.empty() ? "contact:" + r.contact_hash : "account:" + r.submitted_by;
}

Json ReportSummary(const Report& r) {
  return Json{{"reference", r.Reference()},
              {"state", Name(r.state)},
              {"lang", r.lang},
              {"location", r.location},
              {"cluster", r.cluster_id ? Json("C-" + std::to_string(r.cluster_id)) : Json(nullptr)},
              {"credibility", r.credibility}};
}

}  // namespace

struct AlertService::Draft {
  Alert alert;
  int reporters = 0;  // for "did it grow?" (clusters)
};

Result<std::unique_ptr<AlertService>> AlertService::Create(ServiceOptions opt) {
  if (!opt.config) return core::InvalidArgument("no alert configuration (--alerts FILE; see docs/warnings.md)");
  if (!opt.ref) return core::InvalidArgument("no reference data");
  std::unique_ptr<AlertService> s(new AlertService(std::move(opt)));
  VIGIL_ASSIGN_OR_RETURN(s->lexicon_, TriageLexicon::Load(s->opt_.data_dir));
  VIGIL_ASSIGN_OR_RETURN(s->phrases_, Phrases::Load(s->opt_.data_dir));
  VIGIL_ASSIGN_OR_RETURN(s->store_, AlertStore::Open(s->opt_.db_url));
  VIGIL_ASSIGN_OR_RETURN(s->instance_, s->Instance());
  VIGIL_RETURN_IF_ERROR(s->LoadRoadsForRules());
  VIGIL_RETURN_IF_ERROR(s->CheckSitesForRules());
  return s;
}

// Every site a rule names (but "*") must be registered when the service
// starts; one removed later is no longer watched.
Status AlertService::CheckSitesForRules() {
  bool any = false;
  for (const auto& r : opt_.config->rules) any = any || !r.sites.empty();
  if (!any) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(auto sites, model::SiteStore::Open(opt_.db_url));
  for (const auto& r : opt_.config->rules)
    for (const auto& name : r.sites) {
      if (name == "*") continue;
      VIGIL_ASSIGN_OR_RETURN(auto found, sites->Find(name));
      if (!found)
        return core::InvalidArgument(opt_.config->path + ": rule '" + r.id + "' watches site '" + name +
                                     "', which is not registered (see `vigil site list`, docs/sites.md)");
    }
  return Status::Ok();
}

// What `rule` watches: the configured subscriptions it names (all of them
// when it names none and no sites), then the registered sites it names, each
// as a subscription "site:<id>" with the site's radius.
Result<std::vector<Subscription>> AlertService::Watched(const RuleConfig& rule) {
  auto names = [](const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  std::vector<Subscription> out;
  for (const auto& sub : opt_.config->subscriptions)
    if (rule.subscriptions.empty() ? rule.sites.empty() : names(rule.subscriptions, sub.id)) out.push_back(sub);
  if (rule.sites.empty()) return out;
  const bool every = names(rule.sites, "*");
  std::set<std::string> wanted;
  for (const auto& n : rule.sites) wanted.insert(geo::FoldName(n));
  VIGIL_ASSIGN_OR_RETURN(auto store, model::SiteStore::Open(opt_.db_url));
  VIGIL_ASSIGN_OR_RETURN(auto sites, store->List());
  for (const auto& site : sites) {
    const std::string id = std::to_string(site.id);
    if (!every && !wanted.count(id) && !wanted.count(geo::FoldName(site.name))) continue;
    out.push_back(Subscription{"site:" + id, site.name, site.lat, site.lon, site.radius_km, true});
  }
  return out;
}

// What each rule of `kind` watches, by the rule's index (empty for the others).
Result<std::vector<std::vector<Subscription>>> AlertService::WatchedByRule(const std::string& kind) {
  std::vector<std::vector<Subscription>> watched(opt_.config->rules.size());
  for (size_t i = 0; i < watched.size(); ++i)
    if (opt_.config->rules[i].kind == kind) {
      VIGIL_ASSIGN_OR_RETURN(watched[i], Watched(opt_.config->rules[i]));
    }
  return watched;
}

// The road network, when a corridor rule needs it; every corridor a rule
// names must exist.
Status AlertService::LoadRoadsForRules() {
  bool any = false;
  for (const auto& r : opt_.config->rules) any = any || r.kind == "corridor";
  if (!any) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(roads_, model::LoadRoadsFor(opt_.data_dir, opt_.db_url));
  for (const auto& r : opt_.config->rules)
    for (const auto& c : r.corridors)
      if (!roads_->net.FindCorridor(c))
        return core::InvalidArgument(opt_.config->path + ": rule '" + r.id + "' watches corridor '" + c +
                                     "', which the road network does not have (see `vigil roads list`)");
  return Status::Ok();
}

Result<std::string> AlertService::Instance() {
  VIGIL_ASSIGN_OR_RETURN(std::string v, store_->GetMeta("instance"));
  if (!v.empty()) return v;
  unsigned char b[4];
  randombytes_buf(b, sizeof b);
  char hex[9];
  sodium_bin2hex(hex, sizeof hex, b, sizeof b);
  VIGIL_RETURN_IF_ERROR(store_->SetMeta("instance", hex));
  return std::string(hex);
}

AlertStore& AlertService::reads() { return *store_; }

Status AlertService::CheckpointInTurn() {
  std::lock_guard<std::mutex> lock(mu_);
  return store_->Checkpoint();
}

Result<std::string> AlertService::ReadMeta(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  return store_->GetMeta(key);
}

void AlertService::DeferCheckpoints() {
  std::lock_guard<std::mutex> lock(mu_);
  store_->DeferCheckpoints();
}

CapContext AlertService::cap_context() const { return {opt_.config->sender, opt_.config->public_url}; }

// ------------------------------------------------------------------ intake

Result<Submitted> AlertService::SubmitReport(const ReportInput& in, const std::string& scope, const std::string& key,
                                             const Actor& who) {
  const int64_t now = opt_.clock->Now();
  VIGIL_RETURN_IF_ERROR(ValidateReportInput(in, now));
  if (key.size() > 200) return core::InvalidArgument("Idempotency-Key must have at most 200 characters");
  if (!in.contact.empty() && !opt_.keys)
    return core::Unavailable("this server cannot keep contacts safe yet: run 'vigil keys init' and set keys_dir");
  const Triage t = TriageReport(in, *opt_.ref, lexicon_);  // outside the lock: the slow part
  return Store(in, t, scope, key, who, "");
}

Result<Submitted> AlertService::SubmitSms(const std::string& gateway, std::string_view ts, std::string_view sig,
                                          std::string_view body, const Actor& who) {
  const int64_t now = opt_.clock->Now();
  const GatewayProfile* g = opt_.config->Gateway(gateway);
  if (!g && opt_.config->gateways.size() == 1 && gateway.empty()) g = &opt_.config->gateways[0];
  if (!g) return core::NotFound("no SMS gateway profile '" + gateway + "' in " + opt_.config->path);
  VIGIL_RETURN_IF_ERROR(VerifyGatewaySignature(*g, ts, sig, body, now));
  VIGIL_ASSIGN_OR_RETURN(InboundSms sms, ParseInboundSms(*g, body));
  if (!opt_.keys)
    return core::Unavailable("no keys: run 'vigil keys init' and set keys_dir in the alert configuration");
  ReportInput in;
  in.text = sms.text;
  in.contact = sms.from;
  in.channel = Channel::kSms;
  in.observed_at = sms.sent_at && *sms.sent_at <= now ? sms.sent_at : std::nullopt;
  in.submitted_by = "sms:" + g->name;
  VIGIL_RETURN_IF_ERROR(ValidateReportInput(in, now));
  const Triage t = TriageReport(in, *opt_.ref, lexicon_);
  // The gateway's message id is the idempotency key: a re-sent message gets
  // the first answer; a replayed one is refused in Store (sms_seen).
  return Store(in, t, "sms:" + g->name, sms.id, who, g->name);
}

// Group commit: each writer queues its work; whoever holds mu_ next runs
// every queued work in one transaction, each inside its own savepoint (a
// failing work is undone alone), commits once, and marks them done. A
// writer whose work another ran finds it done when it gets mu_. Under load
// the batches grow by themselves; alone, a writer commits its own work.
Status AlertService::GroupWrite(const std::function<Status(AlertTxn&)>& work) {
  PendingWrite me{&work, Status::Ok(), false};
  {
    std::lock_guard<std::mutex> q(queue_mu_);
    queue_.push_back(&me);
  }
  std::lock_guard<std::mutex> lead(mu_);
  std::vector<PendingWrite*> batch;
  {
    std::lock_guard<std::mutex> q(queue_mu_);
    if (me.done) return me.result;
    batch.assign(queue_.begin(), queue_.end());
    queue_.clear();
  }
  auto finish = [&](const Status* all) {
    std::lock_guard<std::mutex> q(queue_mu_);
    for (PendingWrite* p : batch) {
      if (all) p->result = *all;
      p->done = true;
    }
  };
  auto tx = store_->Begin();
  if (!tx.ok()) {
    finish(&tx.status());
    return me.result;
  }
  for (PendingWrite* p : batch) {
    Status sp = (*tx)->Savepoint();
    p->result = sp.ok() ? (*p->work)(**tx) : sp;
    Status end = p->result.ok() ? (*tx)->ReleaseSavepoint() : (*tx)->RollbackToSavepoint();
    if (!end.ok() && p->result.ok()) p->result = end;
  }
  const auto t0 = std::chrono::steady_clock::now();
  Status committed = (*tx)->Commit();
  if (core::TimingsEnabled()) {
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (ms > 50) std::fprintf(stderr, "timing: slow report commit: %zu reports, %.0f ms\n", batch.size(), ms);
  }
  finish(committed.ok() ? nullptr : &committed);
  return me.result;
}

Result<Submitted> AlertService::Store(const ReportInput& in, const Triage& t, const std::string& scope,
                                      const std::string& key, const Actor& who, const std::string& reply_gateway) {
  Submitted out;
  VIGIL_RETURN_IF_ERROR(GroupWrite([&](AlertTxn& tx) -> Status {
    VIGIL_ASSIGN_OR_RETURN(out, StoreIn(tx, in, t, scope, key, who, reply_gateway));
    return Status::Ok();
  }));
  return out;
}

Result<Submitted> AlertService::StoreIn(AlertTxn& txr, const ReportInput& in, const Triage& t, const std::string& scope,
                                        const std::string& key, const Actor& who, const std::string& reply_gateway) {
  AlertTxn* tx = &txr;
  const int64_t now = opt_.clock->Now();
  if (!key.empty()) {
    VIGIL_ASSIGN_OR_RETURN(auto first, tx->FindResponse(scope, key));
    if (first) {
      if (in.channel == Channel::kSms)  // the same gateway message id twice: a replay
        return core::Unauthenticated("this SMS message id was received before (replay refused)");
      Submitted s;
      s.status = first->status;
      s.body = first->body;
      s.replayed = true;
      return s;
    }
  }
  if (in.channel == Channel::kSms) {
    VIGIL_ASSIGN_OR_RETURN(bool fresh, tx->MarkSmsSeen(scope, key, now));
    if (!fresh) return core::Unauthenticated("this SMS message id was received before (replay refused)");
  }
  Report r;
  r.received_at = now;
  r.observed_at = in.observed_at;
  r.channel = in.channel;
  r.lang = t.lang;
  r.text = in.text;
  r.place_text = in.place;
  r.lat = t.lat;
  r.lon = t.lon;
  r.geo_source = t.geo_source;
  r.location = t.location;
  r.admin1 = t.admin1;
  r.admin2 = t.admin2;
  r.country = t.country;
  if (t.lat) std::tie(r.cell_lat, r.cell_lon) = FuzzedCell(*t.lat, *t.lon);
  if (!in.contact.empty()) {
    r.contact_hash = ContactHash(*opt_.keys, in.contact);
    r.contact_box = SealContact(*opt_.keys, in.contact);
  }
  r.submitted_by = in.submitted_by.empty() ? who.user : in.submitted_by;
  r.signs = t.signs;
  // Triaged (above, before the lock) and clustered, then stored once.
  r.state = ReportState::kTriaged;
  VIGIL_RETURN_IF_ERROR(Cluster(*tx, &r, now));
  VIGIL_ASSIGN_OR_RETURN(r.id, tx->InsertReport(r, ReporterKey(r)));
  if (r.cluster_id) VIGIL_RETURN_IF_ERROR(ClusterRules(*tx, r, now));
  if (!reply_gateway.empty() && !in.contact.empty()) {
    OutboxMessage m;
    m.report_id = r.id;
    m.kind = MessageKind::kSms;
    m.purpose = "reply";
    m.subject = reply_gateway;
    m.recipient_box = SealForDelivery(*opt_.keys, NormalizeContact(in.contact));
    m.body = phrases_.Get("reply.received", r.lang, {{"ref", r.Reference()}});
    m.idempotency_key = "vigil." + instance_ + ".reply." + r.Reference();
    m.next_attempt_at = now;
    m.created_at = now;
    VIGIL_RETURN_IF_ERROR(tx->Enqueue(m).status());
  }
  // The audit row names the report, never its text or contact.
  VIGIL_RETURN_IF_ERROR(tx->Audit(AuditOf(who, "report.receive", r.Reference(),
                                          std::string("channel ") + Name(r.channel) + ", place " + r.geo_source +
                                              (r.cluster_id ? ", cluster C-" + std::to_string(r.cluster_id) : ""),
                                          now)));
  Submitted s;
  s.report_id = r.id;
  s.body = ReportSummary(r).dump();
  if (!key.empty()) VIGIL_RETURN_IF_ERROR(tx->SaveResponse(scope, key, {201, s.body}, now));
  return s;
}

// Joins the report to the nearest cluster whose centre is within the
// clustering radius and window, or starts a cluster; updates the cluster's
// counts, centre, span and signs incrementally (constant work per report
// however large the cluster), then its credibility.
Status AlertService::Cluster(AlertTxn& tx, Report* r, int64_t now) {
  (void)now;
  if (!r->lat) return Status::Ok();
  const auto& cfg = *opt_.config;
  const int64_t seen = r->observed_at.value_or(r->received_at);
  // The nearest cluster whose centre is within the radius and whose span,
  // widened by the window, holds this report's time.
  VIGIL_ASSIGN_OR_RETURN(auto near, tx.ClustersNear(*r->lat, *r->lon, cfg.cluster_radius_km,
                                                    seen - cfg.cluster_window_s, seen + cfg.cluster_window_s));
  double best = cfg.cluster_radius_km + 1;
  for (const auto& o : near) {
    if (o.n_reports == 0) continue;
    const double d = core::HaversineKm(*r->lat, *r->lon, o.lat, o.lon);
    if (d <= cfg.cluster_radius_km && d < best) {
      best = d;
      r->cluster_id = o.id;
    }
  }
  alert::Cluster c;
  const std::string key = ReporterKey(*r);
  if (r->cluster_id) {
    VIGIL_ASSIGN_OR_RETURN(c, tx.GetCluster(r->cluster_id));
    VIGIL_ASSIGN_OR_RETURN(bool known, tx.ClusterHasReporter(c.id, key, 0));
    ++c.n_reports;
    if (!known) ++c.n_reporters;
    c.lat = (c.lat * c.n_located + *r->lat) / (c.n_located + 1);
    c.lon = (c.lon * c.n_located + *r->lon) / (c.n_located + 1);
    ++c.n_located;
    c.first_seen = std::min(c.first_seen, seen);
    c.last_seen = std::max(c.last_seen, seen);
    std::set<std::string> signs(c.signs.begin(), c.signs.end());
    signs.insert(r->signs.begin(), r->signs.end());
    c.signs.assign(signs.begin(), signs.end());
    VIGIL_RETURN_IF_ERROR(tx.UpdateCluster(c));
  } else {
    c.lat = *r->lat;
    c.lon = *r->lon;
    c.first_seen = c.last_seen = seen;
    c.n_reports = c.n_reporters = c.n_located = 1;
    c.signs = r->signs;
    c.location = r->location;
    c.admin1 = r->admin1;
    c.admin2 = r->admin2;
    c.country = r->country;
    VIGIL_ASSIGN_OR_RETURN(c.id, tx.InsertCluster(c));
    r->cluster_id = c.id;
  }
  // The record of (at most) the first 25 reporters: beyond that the
  // independent count dominates the score anyway. The report is not stored
  // yet: its reporter is added by hand.
  VIGIL_ASSIGN_OR_RETURN(auto keys, tx.ReportersOfCluster(c.id, 25));
  if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  std::vector<ReporterRecord> records;
  for (const auto& k : keys) {
    VIGIL_ASSIGN_OR_RETURN(auto rec, tx.RecordOf(k, c.id));
    records.push_back(rec);
  }
  const Credibility cred = ScoreCluster(c.n_reporters, records, PriorAt(c.lat, c.lon));
  r->credibility = cred.score;
  r->credibility_why = cred.why_en + " | " + cred.why_fr;
  return Status::Ok();
}

// Recounts a cluster from its live members (after a report is dismissed
// or marked a duplicate: the only way a cluster shrinks).
Status AlertService::RecountCluster(AlertTxn& tx, int64_t cluster_id) {
  VIGIL_ASSIGN_OR_RETURN(alert::Cluster c, tx.GetCluster(cluster_id));
  VIGIL_ASSIGN_OR_RETURN(auto members, tx.ReportsOfCluster(cluster_id));
  std::set<std::string> reporters, signs;
  c.n_reports = c.n_located = 0;
  double lat = 0, lon = 0;
  for (const auto& m : members) {
    if (m.state == ReportState::kDismissed || m.state == ReportState::kDuplicate) continue;
    ++c.n_reports;
    reporters.insert(ReporterKey(m));
    signs.insert(m.signs.begin(), m.signs.end());
    if (m.lat) lat += *m.lat, lon += *m.lon, ++c.n_located;
  }
  c.n_reporters = static_cast<int>(reporters.size());
  if (c.n_located) c.lat = lat / c.n_located, c.lon = lon / c.n_located;
  c.signs.assign(signs.begin(), signs.end());
  return tx.UpdateCluster(c);
}

Status AlertService::ClusterRules(AlertTxn& tx, const Report& r, int64_t now) {
  VIGIL_ASSIGN_OR_RETURN(alert::Cluster c, tx.GetCluster(r.cluster_id));
  const std::set<std::string> signs(c.signs.begin(), c.signs.end());
  for (const auto& rule : opt_.config->rules) {
    if (rule.kind != "report_cluster") continue;
    if (c.n_reporters < rule.min_reporters || c.last_seen - c.first_seen > rule.window_s) continue;
    VIGIL_ASSIGN_OR_RETURN(auto ids, tx.ReportIdsOfCluster(c.id, 50));
    Json refs = Json::array();
    for (int64_t id : ids) refs.push_back("R-" + std::to_string(id));
    Draft d;
    Alert& a = d.alert;
    a.kind = rule.kind;
    a.urgency = rule.urgency;
    a.severity = rule.severity;
    a.certainty = rule.certainty;
    const std::string sign_key = signs.empty() ? "sign.none" : "sign." + *signs.begin();
    const std::string place_en = c.location.empty() ? phrases_.Get("place.unknown", "en") : c.location;
    const std::string place_fr = c.location.empty() ? phrases_.Get("place.unknown", "fr") : c.location;
    const std::string admin = c.admin2.empty() ? c.admin1 : c.admin2 + ", " + c.admin1;
    std::string why_en = r.credibility_why, why_fr;
    if (const size_t bar = why_en.find(" | "); bar != std::string::npos) {
      why_fr = why_en.substr(bar + 3);
      why_en = why_en.substr(0, bar);
    }
    std::map<std::string, std::string> v = {{"n", std::to_string(c.n_reporters)},
                                            {"reports", std::to_string(c.n_reports)},
                                            {"first", core::FormatUtc(c.first_seen)},
                                            {"last", core::FormatUtc(c.last_seen)},
                                            {"radius", Km(rule.radius_km)},
                                            {"admin", admin},
                                            {"why", why_en},
                                            {"why_fr", why_fr}};
    v["sign"] = phrases_.Get(sign_key, "en");
    v["place"] = place_en;
    a.headline_en = phrases_.Get("cluster.headline", "en", v);
    a.description_en = phrases_.Get("cluster.description", "en", v);
    v["sign"] = phrases_.Get(sign_key, "fr");
    v["place"] = place_fr;
    a.headline_fr = phrases_.Get("cluster.headline", "fr", v);
    a.description_fr = phrases_.Get("cluster.description", "fr", v);
    // Public position: the cluster's 0.1-degree cell, never a report's point.
    const auto [clat, clon] = FuzzedCell(c.lat, c.lon);
    a.area.description = place_en + (admin.empty() ? "" : " (" + admin + ")");
    a.area.circle = Circle{clat, clon, std::max(rule.radius_km, 10.0)};
    const AreaConfig* area = opt_.config->AreaFor(c.lat, c.lon, c.admin1, c.admin2);
    if (!area) continue;  // no area covers it: nobody to tell (documented)
    a.area_id = area->id;
    a.evidence = Json{{"cluster", "C-" + std::to_string(c.id)},
                      {"reports", refs},
                      {"n_reports", c.n_reports},
                      {"reporters", c.n_reporters},
                      {"credibility", r.credibility},
                      {"signs", Json(std::vector<std::string>(signs.begin(), signs.end()))}};
    d.reporters = c.n_reporters;
    VIGIL_RETURN_IF_ERROR(RaiseOrUpdate(tx, rule, "cluster:" + std::to_string(c.id), std::move(d), now).status());
  }
  return Status::Ok();
}

// ----------------------------------------------------------------- alerts

Result<int64_t> AlertService::RaiseOrUpdate(AlertTxn& tx, const RuleConfig& rule, const std::string& key, Draft d,
                                            int64_t now) {
  VIGIL_ASSIGN_OR_RETURN(auto live, tx.FindLiveAlert(rule.id, key));
  if (!live) {
    Alert a = std::move(d.alert);
    a.rule = rule.id;
    a.dedupe_key = key;
    a.state = AlertState::kOpen;
    a.created_at = a.updated_at = now;
    a.version = 1;
    a.tier = 0;
    a.deadline = now + opt_.config->Deadline(a.severity);
    a.identifier = "pending";
    VIGIL_ASSIGN_OR_RETURN(a.id, tx.InsertAlert(a));
    a.identifier = "vigil." + instance_ + "." + a.Reference();
    VIGIL_RETURN_IF_ERROR(SendCap(tx, &a, "Alert", now, ""));
    VIGIL_RETURN_IF_ERROR(tx.UpdateAlert(a, 0));
    VIGIL_RETURN_IF_ERROR(Notify(tx, a, 0, "alert", now));
    VIGIL_RETURN_IF_ERROR(tx.Audit(AuditOf({"", "system", ""}, "alert.raise", a.Reference(),
                                           "rule " + rule.id + ", " + Name(a.severity) + ", area " + a.area_id, now)));
    return a.id;
  }
  Alert a = *live;
  // An Update when the evidence has grown by half since the last message
  // (3 -> 5 -> 8 -> 12 reporters...), not with every report.
  const int before = a.evidence.value("reporters", 0);
  if (d.reporters <= before || 2 * d.reporters < 3 * before) return a.id;
  a.evidence = d.alert.evidence;
  a.headline_en = d.alert.headline_en;
  a.headline_fr = d.alert.headline_fr;
  a.description_en = d.alert.description_en;
  a.description_fr = d.alert.description_fr;
  a.updated_at = now;
  ++a.version;
  VIGIL_RETURN_IF_ERROR(SendCap(tx, &a, "Update", now, "More reports: " + std::to_string(d.reporters) + " reporters"));
  VIGIL_ASSIGN_OR_RETURN(int reminders, tx.RemindersOf(a.id));
  VIGIL_RETURN_IF_ERROR(tx.UpdateAlert(a, reminders));
  VIGIL_RETURN_IF_ERROR(Notify(tx, a, a.tier, "update", now));
  VIGIL_RETURN_IF_ERROR(tx.Audit(
      AuditOf({"", "system", ""}, "alert.update", a.Reference(), std::to_string(d.reporters) + " reporters", now)));
  return a.id;
}

Status AlertService::SendCap(AlertTxn& tx, Alert* a, const std::string& msg_type, int64_t now,
                             const std::string& note) {
  std::vector<CapMessage> earlier;
  if (a->version > 1) {
    VIGIL_ASSIGN_OR_RETURN(earlier, store_->CapMessages(a->id));
  }
  CapMessage m;
  m.alert_id = a->id;
  m.msg_type = msg_type;
  m.identifier = a->identifier + "." + std::to_string(a->version);
  m.sent = now;
  m.xml = RenderCap(*a, msg_type, now, cap_context(), earlier, note);
  return tx.AddCapMessage(m);
}

// Queues one message per contact point of the tier (users see the alert in
// their inbox; no message needed).
Status AlertService::Notify(AlertTxn& tx, const Alert& a, int tier_index, const std::string& purpose, int64_t now) {
  const AreaConfig* area = opt_.config->AreaById(a.area_id);
  if (!area || tier_index < 0 || tier_index >= static_cast<int>(area->tiers.size())) return Status::Ok();
  const Tier& tier = area->tiers[static_cast<size_t>(tier_index)];
  const std::string cap_url = opt_.config->public_url + "/api/v1/alerts/" + a.Reference() + ".cap";
  VIGIL_ASSIGN_OR_RETURN(int reminders, tx.RemindersOf(a.id));
  for (size_t i = 0; i < tier.contacts.size(); ++i) {
    const ContactPoint& c = tier.contacts[i];
    if (purpose == "update" && c.kind != MessageKind::kWebhook) continue;  // updates: machines only
    OutboxMessage m;
    m.alert_id = a.id;
    m.kind = c.kind;
    m.purpose = purpose;
    m.recipient = c.to;
    m.idempotency_key = a.identifier + "." + std::to_string(a.version) + "." + purpose + ".t" +
                        std::to_string(tier_index) + ".c" + std::to_string(i) +
                        (purpose == "reminder" ? ".r" + std::to_string(reminders) : "");
    const std::string tag = "[vigil " + a.Reference() + "] " + Name(a.severity) + ": ";
    switch (c.kind) {
      case MessageKind::kWebhook:
        m.body = Json{{"purpose", purpose},
                      {"alert", a.Reference()},
                      {"identifier", a.identifier},
                      {"version", a.version},
                      {"state", Name(a.state)},
                      {"tier", tier.name},
                      {"urgency", Name(a.urgency)},
                      {"severity", Name(a.severity)},
                      {"certainty", Name(a.certainty)},
                      {"headline_en", a.headline_en},
                      {"headline_fr", a.headline_fr},
                      {"cap_url", cap_url},
                      {"acknowledge_url", opt_.config->public_url + "/api/v1/alerts/" + a.Reference() + "/ack"}}
                     .dump();
        break;
      case MessageKind::kSms:
        m.subject = opt_.config->gateways.empty() ? "" : opt_.config->gateways.front().name;
        m.body = core::TruncateUtf8(tag + a.headline_fr + " / " + a.headline_en, 320);
        break;
      case MessageKind::kEmail:
        m.subject = core::TruncateUtf8(tag + a.headline_en, 200);
        m.body = a.headline_en + "\n\n" + a.description_en + "\n\n---\n\n" + a.headline_fr + "\n\n" + a.description_fr +
                 "\n\nCAP: " + cap_url + "\n";
        break;
    }
    m.next_attempt_at = now;
    m.created_at = now;
    VIGIL_RETURN_IF_ERROR(tx.Enqueue(m).status());
    VIGIL_RETURN_IF_ERROR(tx.Audit(AuditOf({"", "system", ""}, "alert.notify.queue", a.Reference(),
                                           std::string(Name(c.kind)) + " to tier " + std::to_string(tier_index + 1) +
                                               " (" + tier.name + "), " + purpose + ", key " + m.idempotency_key,
                                           now)));
  }
  return Status::Ok();
}

Status AlertService::Acknowledge(int64_t id, Disposition d, const std::string& note, const Actor& who) {
  if (!core::IsValidUtf8(note) || note.size() > 2000)
    return core::InvalidArgument("the note must be valid UTF-8 of at most 2000 bytes");
  return GroupWrite([&](AlertTxn& txr) -> Status {
    AlertTxn* tx = &txr;
    const int64_t now = opt_.clock->Now();
    VIGIL_ASSIGN_OR_RETURN(Alert a, tx->GetAlert(id));
    if (a.state != AlertState::kOpen)
      return core::Status(core::Code::kConflict, a.Reference() + " is " + Name(a.state) + " already (by " +
                                                     (a.ack_by.empty() ? a.resolved_by : a.ack_by) + ")");
    a.state = AlertState::kAcknowledged;
    a.ack_by = who.user;
    a.ack_at = now;
    a.disposition = d;
    a.ack_note = note;
    a.deadline.reset();
    a.updated_at = now;
    ++a.version;
    const std::string cap_note =
        phrases_.Get("ack.note", "en", {{"user", who.user}, {"disposition", Name(d)}, {"note", note}});
    VIGIL_RETURN_IF_ERROR(SendCap(*tx, &a, "Update", now, cap_note));
    VIGIL_ASSIGN_OR_RETURN(int reminders, tx->RemindersOf(a.id));
    VIGIL_RETURN_IF_ERROR(tx->UpdateAlert(a, reminders));
    for (int t = 0; t <= a.tier; ++t) VIGIL_RETURN_IF_ERROR(Notify(*tx, a, t, "update", now));
    VIGIL_RETURN_IF_ERROR(tx->Audit(AuditOf(who, "alert.acknowledge", a.Reference(), std::string(Name(d)), now)));
    return Status::Ok();
  });
}

Status AlertService::Resolve(int64_t id, const std::string& note, const Actor& who) {
  if (!core::IsValidUtf8(note) || note.size() > 2000)
    return core::InvalidArgument("the note must be valid UTF-8 of at most 2000 bytes");
  return GroupWrite([&](AlertTxn& txr) -> Status {
    AlertTxn* tx = &txr;
    const int64_t now = opt_.clock->Now();
    VIGIL_ASSIGN_OR_RETURN(Alert a, tx->GetAlert(id));
    if (a.state == AlertState::kResolved || a.state == AlertState::kCancelled)
      return core::Status(core::Code::kConflict, a.Reference() + " is " + Name(a.state) + " already");
    a.state = AlertState::kResolved;
    a.resolved_by = who.user;
    a.resolved_at = now;
    a.deadline.reset();
    a.updated_at = now;
    ++a.version;
    VIGIL_RETURN_IF_ERROR(
        SendCap(*tx, &a, "Cancel", now, phrases_.Get("resolve.note", "en", {{"user", who.user}, {"note", note}})));
    VIGIL_ASSIGN_OR_RETURN(int reminders, tx->RemindersOf(a.id));
    VIGIL_RETURN_IF_ERROR(tx->UpdateAlert(a, reminders));
    for (int t = 0; t <= a.tier; ++t) VIGIL_RETURN_IF_ERROR(Notify(*tx, a, t, "update", now));
    VIGIL_RETURN_IF_ERROR(tx->Audit(AuditOf(who, "alert.resolve", a.Reference(), note.substr(0, 200), now)));
    return Status::Ok();
  });
}

Result<int64_t> AlertService::AcknowledgeCap(std::string_view xml, const Actor& who) {
  VIGIL_ASSIGN_OR_RETURN(CapAck ack, ParseCapAck(xml));
  for (const auto& ref : ack.refs) {
    const std::string base = AlertIdentifierOf(ref);
    const std::string prefix = "vigil." + instance_ + ".A-";
    if (base.rfind(prefix, 0) != 0) continue;
    int64_t id = 0;
    if (!core::ParseInt64(base.substr(prefix.size()), &id)) continue;
    VIGIL_RETURN_IF_ERROR(Acknowledge(id, ack.disposition, ack.note, who));
    return id;
  }
  return core::NotFound("the Ack references no alert of this server (identifiers start with vigil." + instance_ +
                        ".A-)");
}

// -------------------------------------------------------------- escalation

Status AlertService::Escalate(AlertTxn& tx, Alert a, int64_t now, TickStats* stats) {
  const AreaConfig* area = opt_.config->AreaById(a.area_id);
  const int tiers = area ? static_cast<int>(area->tiers.size()) : 0;
  VIGIL_ASSIGN_OR_RETURN(int reminders, tx.RemindersOf(a.id));
  const int64_t deadline = opt_.config->Deadline(a.severity);
  if (a.tier + 1 < tiers) {
    ++a.tier;
    ++a.version;
    a.updated_at = now;
    a.deadline = now + deadline;
    const std::string note = phrases_.Get("escalation.note", "en",
                                          {{"deadline", HumanDuration(deadline)}, {"tier", area->tiers[a.tier].name}});
    VIGIL_RETURN_IF_ERROR(SendCap(tx, &a, "Update", now, note));
    VIGIL_RETURN_IF_ERROR(tx.UpdateAlert(a, reminders));
    VIGIL_RETURN_IF_ERROR(Notify(tx, a, a.tier, "escalation", now));
    VIGIL_RETURN_IF_ERROR(tx.Audit(AuditOf({"", "system", ""}, "alert.escalate", a.Reference(),
                                           "to tier " + std::to_string(a.tier + 1) + " (" + area->tiers[a.tier].name +
                                               "): no acknowledgement within " + HumanDuration(deadline),
                                           now)));
    ++stats->escalated;
    return Status::Ok();
  }
  // The last tier: remind it, a few times, then stop (the alert stays open
  // in every inbox).
  constexpr int kMaxReminders = 5;
  if (reminders < kMaxReminders) {
    ++reminders;
    a.deadline = now + deadline;
    VIGIL_RETURN_IF_ERROR(tx.UpdateAlert(a, reminders));
    VIGIL_RETURN_IF_ERROR(Notify(tx, a, a.tier, "reminder", now));
    VIGIL_RETURN_IF_ERROR(tx.Audit(AuditOf({"", "system", ""}, "alert.remind", a.Reference(),
                                           "reminder " + std::to_string(reminders) + " to the last tier", now)));
    ++stats->reminded;
    return Status::Ok();
  }
  a.deadline.reset();
  VIGIL_RETURN_IF_ERROR(tx.UpdateAlert(a, reminders));
  return tx.Audit(AuditOf({"", "system", ""}, "alert.escalation_exhausted", a.Reference(),
                          "every tier told, still not acknowledged", now));
}

// A tick never holds the writer's turn for long: what it reads from the
// event store (forecasts, new events, corridors) is read first, outside
// the turn, and what it writes goes through the group commit, sharing its
// sync with the reports arriving meanwhile.
Result<TickStats> AlertService::Tick(store::EventStore* events) {
  std::lock_guard<std::mutex> one(tick_mu_);
  TickStats stats;
  const int64_t now = opt_.clock->Now();
  VIGIL_RETURN_IF_ERROR(GroupWrite([&](AlertTxn& tx) -> Status {
    VIGIL_ASSIGN_OR_RETURN(auto due, store_->DueEscalations(now));
    for (auto& a : due) VIGIL_RETURN_IF_ERROR(Escalate(tx, a, now, &stats));
    return Status::Ok();
  }));
  if (events) {
    RefreshPrior(events);
    VIGIL_RETURN_IF_ERROR(ForecastRules(events, now, &stats));
    VIGIL_RETURN_IF_ERROR(EventRules(events, now, &stats));
    VIGIL_RETURN_IF_ERROR(CorridorRules(events, now, &stats));
  }
  return stats;
}

// ------------------------------------------------------- forecast and events

void AlertService::RefreshPrior(store::EventStore* events) {
  auto snap = events->LatestSnapshot("hawkes");
  if (!snap.ok() || !*snap || (*snap)->id == prior_snapshot_) return;
  auto out = model::ForecastFromSnapshot(events, *opt_.ref, **snap, model::Level::kCell, 30);
  if (!out.ok()) return;
  std::unordered_map<int64_t, double> prior;
  for (size_t i = 0; i < out->units.size(); ++i) prior[out->units[i].gid] = out->rows[i].p_any;
  {
    std::lock_guard<std::mutex> lock(mu_);  // read by the intake's credibility score
    prior_by_gid_.swap(prior);
  }
  prior_snapshot_ = (*snap)->id;
}

std::optional<double> AlertService::PriorAt(double lat, double lon) {
  auto it = prior_by_gid_.find(core::PrioGid(lat, lon));
  if (it == prior_by_gid_.end()) return std::nullopt;
  return it->second;
}

Status AlertService::ForecastRules(store::EventStore* events, int64_t now, TickStats* stats) {
  bool any = false;
  for (const auto& r : opt_.config->rules) any = any || r.kind == "forecast";
  if (!any) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(auto snap, events->LatestSnapshot("hawkes"));
  if (!snap) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(std::string done, ReadMeta("forecast_snapshot"));
  if (done == std::to_string(snap->id)) return Status::Ok();
  std::map<int, std::unordered_map<int64_t, double>> by_horizon;
  for (const auto& rule : opt_.config->rules) {
    if (rule.kind != "forecast" || by_horizon.count(rule.horizon_days)) continue;
    VIGIL_ASSIGN_OR_RETURN(
        auto out, model::ForecastFromSnapshot(events, *opt_.ref, *snap, model::Level::kCell, rule.horizon_days));
    auto& m = by_horizon[rule.horizon_days];
    for (size_t i = 0; i < out.units.size(); ++i) m[out.units[i].gid] = out.rows[i].p_any;
  }
  VIGIL_ASSIGN_OR_RETURN(auto watched, WatchedByRule("forecast"));
  return GroupWrite([&](AlertTxn& txr) -> Status {
    AlertTxn* tx = &txr;
    for (size_t ri = 0; ri < watched.size(); ++ri) {
      const RuleConfig& rule = opt_.config->rules[ri];
      if (rule.kind != "forecast") continue;
      for (const auto& sub : watched[ri]) {
        const auto& m = by_horizon[rule.horizon_days];
        auto it = m.find(core::PrioGid(sub.lat, sub.lon));
        if (it == m.end()) continue;
        const double p = it->second;
        const std::string mem = "forecast_p." + rule.id + "." + sub.id;
        VIGIL_ASSIGN_OR_RETURN(std::string prev_s, store_->GetMeta(mem));
        double prev = -1;
        if (!prev_s.empty()) core::ParseDouble(prev_s, &prev);
        VIGIL_RETURN_IF_ERROR(store_->SetMeta(mem, std::to_string(p)));
        const bool high = p >= rule.threshold;
        const bool rising = rule.rise_factor > 0 && prev > 0 && p >= rule.rise_factor * prev;
        if (!high && !rising) continue;
        Draft d;
        Alert& a = d.alert;
        a.kind = "forecast";
        a.urgency = rule.urgency;
        a.severity = rule.severity;
        a.certainty = rule.certainty;
        std::map<std::string, std::string> v = {{"site", sub.name},
                                                {"p", Percent(p)},
                                                {"prev", prev >= 0 ? Percent(prev) : "-"},
                                                {"days", std::to_string(rule.horizon_days)},
                                                {"snapshot", std::to_string(snap->id)},
                                                {"as_of", snap->as_of.ToIso()}};
        a.headline_en = phrases_.Get("forecast.headline", "en", v);
        a.headline_fr = phrases_.Get("forecast.headline", "fr", v);
        a.description_en = phrases_.Get("forecast.description", "en", v);
        a.description_fr = phrases_.Get("forecast.description", "fr", v);
        a.area.description = sub.name;
        a.area.circle = Circle{sub.lat, sub.lon, sub.radius_km};
        const geo::AdminInfo ad = opt_.ref->Reverse(sub.lat, sub.lon);
        const AreaConfig* area = opt_.config->AreaFor(sub.lat, sub.lon, ad.admin1, ad.admin2);
        if (!area) continue;
        a.area_id = area->id;
        a.evidence = Json{{"snapshot", snap->id}, {"p_any", p}, {"previous", prev}, {"subscription", sub.id}};
        d.reporters = 0;
        VIGIL_ASSIGN_OR_RETURN(
            int64_t id,
            RaiseOrUpdate(*tx, rule, "forecast:" + sub.id + ":" + std::to_string(snap->id), std::move(d), now));
        (void)id;
        ++stats->forecast_alerts;
      }
    }
    return store_->SetMeta("forecast_snapshot", std::to_string(snap->id));
  });
}

Status AlertService::EventRules(store::EventStore* events, int64_t now, TickStats* stats) {
  bool any = false;
  for (const auto& r : opt_.config->rules) any = any || r.kind == "event_near";
  if (!any) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(std::string last_s, ReadMeta("last_event_id"));
  store::EventFilter f;
  f.newest_first = false;
  if (last_s.empty()) {  // first run: the history is not news
    f.newest_first = true;
    f.limit = 1;
    VIGIL_ASSIGN_OR_RETURN(auto newest, events->QueryEvents(f));
    return GroupWrite(
        [&](AlertTxn&) { return store_->SetMeta("last_event_id", std::to_string(newest.empty() ? 0 : newest[0].id)); });
  }
  int64_t last = 0;
  core::ParseInt64(last_s, &last);
  f.after_id = last;
  f.limit = 1000;
  VIGIL_ASSIGN_OR_RETURN(auto fresh, events->QueryEvents(f));
  if (fresh.empty()) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(auto watched, WatchedByRule("event_near"));
  return GroupWrite([&](AlertTxn& txr) -> Status {
    AlertTxn* tx = &txr;
    int64_t max_id = last;
    for (const auto& e : fresh) {
      max_id = std::max(max_id, e.id);
      for (size_t ri = 0; ri < watched.size(); ++ri) {
        const RuleConfig& rule = opt_.config->rules[ri];
        if (rule.kind != "event_near") continue;
        const bool type_ok = rule.event_types.empty() ? model::IsPoliticalViolence(e)
                                                      : std::find(rule.event_types.begin(), rule.event_types.end(),
                                                                  e.event_type) != rule.event_types.end();
        if (!type_ok) continue;
        for (const auto& sub : watched[ri]) {
          const double radius = sub.site ? sub.radius_km : rule.radius_km;
          const double km = core::HaversineKm(e.latitude, e.longitude, sub.lat, sub.lon);
          if (km > radius) continue;
          Draft d;
          Alert& a = d.alert;
          a.kind = "event_near";
          a.urgency = rule.urgency;
          a.severity = rule.severity;
          a.certainty = rule.certainty;
          std::map<std::string, std::string> v = {{"type", phrases_.Get("type." + e.event_type, "en")},
                                                  {"type_fr", phrases_.Get("type." + e.event_type, "fr")},
                                                  {"site", sub.name},
                                                  {"km", Km(km)},
                                                  {"location", e.location.empty() ? e.admin2 : e.location},
                                                  {"date", e.date_start.ToIso()},
                                                  {"fatalities", e.fatalities ? std::to_string(*e.fatalities) : "?"},
                                                  {"source", e.source + " " + e.source_id}};
          a.headline_en = phrases_.Get("event.headline", "en", v);
          a.headline_fr = phrases_.Get("event.headline", "fr", v);
          a.description_en = phrases_.Get("event.description", "en", v);
          a.description_fr = phrases_.Get("event.description", "fr", v);
          a.area.description = sub.name;
          a.area.circle = Circle{sub.lat, sub.lon, radius};
          const AreaConfig* area = opt_.config->AreaFor(sub.lat, sub.lon, e.admin1, e.admin2);
          if (!area) continue;
          a.area_id = area->id;
          a.evidence = Json{{"events", {e.id}}, {"subscription", sub.id}, {"distance_km", km}};
          VIGIL_RETURN_IF_ERROR(
              RaiseOrUpdate(*tx, rule, "event:" + std::to_string(e.id) + ":" + sub.id, std::move(d), now).status());
          ++stats->event_alerts;
        }
      }
    }
    return store_->SetMeta("last_event_id", std::to_string(max_id));
  });
}

// A corridor entering a status at or above the rule's (docs/warnings.md,
// "corridor"): assessed as of the day after the newest stored event,
// whenever the stored events change. The last status seen per rule and
// corridor is kept, so a restart does not raise the same alert again, and a
// corridor that reopens and closes again raises a new one.
Status AlertService::CorridorRules(store::EventStore* events, int64_t now, TickStats* stats) {
  if (!roads_) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(int64_t version, events->DataVersion());
  if (version == corridor_version_) return Status::Ok();
  store::EventFilter f;
  f.limit = 1;
  VIGIL_ASSIGN_OR_RETURN(auto newest, events->QueryEvents(f));
  if (newest.empty()) return Status::Ok();
  const core::Date as_of = newest[0].date_start + 1;
  VIGIL_ASSIGN_OR_RETURN(auto rep, model::AssessCorridorsFromStore(events, *roads_, as_of));
  auto rank = [](const std::string& s) { return s == "blockaded" ? 2 : s == "disrupted" ? 1 : 0; };
  VIGIL_RETURN_IF_ERROR(GroupWrite([&](AlertTxn& txr) -> Status {
    AlertTxn* tx = &txr;
    for (const auto& rule : opt_.config->rules) {
      if (rule.kind != "corridor") continue;
      for (const auto& st : rep.statuses) {
        const geo::Corridor& c = *st.corridor;
        const bool watched = rule.corridors.empty() ? !c.is_route
                                                    : std::find(rule.corridors.begin(), rule.corridors.end(), c.id) !=
                                                          rule.corridors.end();
        if (!watched) continue;
        const std::string state = geo::CorridorStateName(st.state);
        const std::string mem = "corridor_state." + rule.id + "." + c.id;
        VIGIL_ASSIGN_OR_RETURN(std::string prev, store_->GetMeta(mem));
        if (prev == state) continue;
        VIGIL_RETURN_IF_ERROR(store_->SetMeta(mem, state));
        if (rank(state) < rank(rule.min_status) || rank(state) <= rank(prev)) continue;
        // Placed where the newest evidence is, else at the corridor's first town.
        double lat = roads_->net.nodes()[roads_->net.edges()[c.edges.front()].a].lat;
        double lon = roads_->net.nodes()[roads_->net.edges()[c.edges.front()].a].lon;
        Json ids = Json::array();
        for (const auto& e : st.evidence) ids.push_back(rep.events[e.event].id);
        if (!st.evidence.empty()) {
          lat = rep.events[st.evidence.front().event].latitude;
          lon = rep.events[st.evidence.front().event].longitude;
        }
        const geo::AdminInfo ad = opt_.ref->Reverse(lat, lon);
        const AreaConfig* area = opt_.config->AreaFor(lat, lon, ad.admin1, ad.admin2);
        if (!area) continue;
        Draft d;
        Alert& a = d.alert;
        a.kind = "corridor";
        a.urgency = rule.urgency;
        a.severity = rule.severity;
        a.certainty = rule.certainty;
        std::map<std::string, std::string> v = {{"corridor", c.name_en.empty() ? c.id : c.name_en},
                                                {"corridor_fr", c.name_fr.empty() ? c.name_en : c.name_fr},
                                                {"status", phrases_.Get("status." + state, "en")},
                                                {"status_fr", phrases_.Get("status." + state, "fr")},
                                                {"why", st.reason_en},
                                                {"why_fr", st.reason_fr},
                                                {"as_of", as_of.ToIso()},
                                                {"confidence", Percent(st.confidence)}};
        a.headline_en = phrases_.Get("corridor.headline", "en", v);
        a.headline_fr = phrases_.Get("corridor.headline", "fr", v);
        a.description_en = phrases_.Get("corridor.description", "en", v);
        a.description_fr = phrases_.Get("corridor.description", "fr", v);
        a.area.description = c.name_en.empty() ? c.id : c.name_en;
        a.area.circle = Circle{lat, lon, 15};
        a.area_id = area->id;
        a.evidence = Json{{"corridor", c.id},
                          {"status", state},
                          {"previous", prev.empty() ? "unknown" : prev},
                          {"events", ids},
                          {"confidence", st.confidence},
                          {"as_of", as_of.ToIso()}};
        VIGIL_RETURN_IF_ERROR(
            RaiseOrUpdate(*tx, rule, "corridor:" + c.id + ":" + state + ":" + as_of.ToIso(), std::move(d), now)
                .status());
        ++stats->corridor_alerts;
      }
    }
    return Status::Ok();
  }));
  corridor_version_ = version;
  return Status::Ok();
}

// ------------------------------------------------------------- decisions

Status AlertService::SetReportState(int64_t id, ReportState state, const std::string& note, const Actor& who,
                                    store::EventStore* events) {
  if (state == ReportState::kReceived || state == ReportState::kTriaged)
    return core::InvalidArgument("a report can be set to verified, dismissed or duplicate");
  if (!core::IsValidUtf8(note) || note.size() > 2000)
    return core::InvalidArgument("the note must be valid UTF-8 of at most 2000 bytes");
  const int64_t now = opt_.clock->Now();
  Result<Report> read = [&]() -> Result<Report> {
    std::lock_guard<std::mutex> lock(mu_);
    return store_->GetReport(id);
  }();
  VIGIL_ASSIGN_OR_RETURN(Report r, std::move(read));
  if (state == ReportState::kVerified && events && r.lat) {
    // The event first (its own transaction in the event store, idempotent by
    // source id), then the report's state: a crash between leaves a
    // verified event and a triaged report, and verifying again links the same event.
    core::Event e;
    e.source = "community";
    e.source_id = r.Reference();
    e.date_start = e.date_end =
        core::Date::FromDays(static_cast<int32_t>(r.observed_at.value_or(r.received_at) / 86400));
    e.latitude = *r.lat;
    e.longitude = *r.lon;
    e.geo_precision = r.geo_source == "given" ? 1 : 2;
    e.location = r.location;
    const bool violent = std::find(r.signs.begin(), r.signs.end(), "attack") != r.signs.end();
    e.event_type = violent ? "Violence against civilians" : "Strategic developments";
    e.sub_event_type = violent ? "Attack" : "Other";
    e.notes = r.text;
    e.confidence = r.credibility;
    e.tags = {"community_report"};
    e.sources = {{e.source, e.source_id, 1}};
    ingest::Importer imp(events, opt_.ref);
    VIGIL_RETURN_IF_ERROR(
        imp.ImportJsonlContent("report:" + r.Reference(), core::EventToJson(e).dump() + "\n", "community", {})
            .status());
    store::EventFilter f;
    f.sources = {"community"};
    VIGIL_ASSIGN_OR_RETURN(auto stored, events->QueryEvents(f));
    for (const auto& s : stored)
      if (s.source_id == r.Reference()) r.event_id = s.id;
  }
  return GroupWrite([&](AlertTxn& txr) -> Status {
    AlertTxn* tx = &txr;
    r.state = state;
    r.state_note = note;
    r.state_by = who.user;
    r.state_at = now;
    VIGIL_RETURN_IF_ERROR(tx->UpdateReport(r));
    if (r.cluster_id && (state == ReportState::kDismissed || state == ReportState::kDuplicate))
      VIGIL_RETURN_IF_ERROR(RecountCluster(*tx, r.cluster_id));
    VIGIL_RETURN_IF_ERROR(tx->Audit(AuditOf(who, std::string("report.") + Name(state), r.Reference(),
                                            r.event_id ? "event " + std::to_string(r.event_id) : "", now)));
    return Status::Ok();
  });
}

Result<std::string> AlertService::RevealContact(int64_t id, const std::string& keys_dir, const Actor& who) {
  VIGIL_ASSIGN_OR_RETURN(std::string priv, LoadContactPrivateKey(keys_dir));
  VIGIL_ASSIGN_OR_RETURN(ServerKeys k, LoadServerKeys(keys_dir));
  Report r;
  // Audited before it is shown: no reveal without its trace.
  VIGIL_RETURN_IF_ERROR(GroupWrite([&](AlertTxn& tx) -> Status {
    VIGIL_ASSIGN_OR_RETURN(r, store_->GetReport(id));
    if (r.contact_box.empty()) return core::NotFound(r.Reference() + " came without a contact");
    return tx.Audit(AuditOf(who, "report.contact.reveal", r.Reference(), "", opt_.clock->Now()));
  }));
  return OpenContact(k.contact_public, priv, r.contact_box);
}

// --------------------------------------------------------------- delivery

int64_t RetryDelay(int attempt, int64_t base_s, int64_t max_s, const std::string& key) {
  const int shift = std::clamp(attempt - 1, 0, 30);
  const int64_t cap = std::min<int64_t>(max_s, base_s << shift);
  unsigned char h[8];
  const std::string seed = key + "#" + std::to_string(attempt);
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(seed.data()), seed.size(), nullptr, 0);
  uint64_t x = 0;
  for (unsigned char b : h) x = x << 8 | b;
  // Full jitter over [cap/2, cap]: spread out, never immediate.
  return cap / 2 + static_cast<int64_t>(x % static_cast<uint64_t>(cap / 2 + 1));
}

Result<DeliveryStats> AlertService::DeliverDue(Sender& sender, int64_t limit) {
  DeliveryStats stats;
  std::vector<OutboxMessage> due;
  {
    std::lock_guard<std::mutex> lock(mu_);
    VIGIL_ASSIGN_OR_RETURN(due, store_->DueMessages(opt_.clock->Now(), limit));
  }
  if (due.empty()) return stats;
  // Send everything first, without the lock (receivers may be slow)...
  std::vector<Status> results;
  for (auto& m : due) {
    std::string to = m.recipient;
    Status sent = Status::Ok();
    if (!m.recipient_box.empty()) {
      auto opened = opt_.keys ? OpenForDelivery(*opt_.keys, m.recipient_box)
                              : Result<std::string>(core::Unavailable("no server.key to open the recipient"));
      if (opened.ok())
        to = *opened;
      else
        sent = opened.status();
    }
    if (sent.ok()) sent = sender.Send(m, to, *opt_.config);
    results.push_back(sent);
  }
  // ... then record every attempt in one transaction. A crash in between
  // sends them again, with the same keys: at least once.
  const auto& d = opt_.config->delivery;
  VIGIL_RETURN_IF_ERROR(GroupWrite([&](AlertTxn& txr) -> Status {
    AlertTxn* tx = &txr;
    const int64_t now = opt_.clock->Now();
    stats = DeliveryStats{};
    for (size_t i = 0; i < due.size(); ++i) {
      OutboxMessage& m = due[i];
      const Status& sent = results[i];
      ++m.attempts;
      if (sent.ok()) {
        m.state = "sent";
        m.sent_at = now;
        m.last_error.clear();
        ++stats.sent;
      } else if (m.attempts >= d.max_attempts) {
        m.state = "dead";
        m.last_error = sent.message().substr(0, 300);
        ++stats.dead;
      } else {
        m.next_attempt_at = now + RetryDelay(m.attempts, d.backoff_base_s, d.backoff_max_s, m.idempotency_key);
        m.last_error = sent.message().substr(0, 300);
        ++stats.failed;
      }
      // A reporter's number is kept (sealed) only while it may still be needed.
      if (m.state == "sent" || m.state == "dead") m.recipient_box.clear();
      VIGIL_RETURN_IF_ERROR(tx->UpdateOutbox(m));
      // The audit row says where by kind only: a reporter's number is never
      // written in clear, a responder's contact point is in the configuration.
      const std::string target = m.alert_id ? "A-" + std::to_string(m.alert_id) : "R-" + std::to_string(m.report_id);
      const std::string outcome = sent.ok() ? "sent" : m.state == "dead" ? "dead" : "retry";
      VIGIL_RETURN_IF_ERROR(tx->Audit(AuditOf({"", "system", ""}, "notify." + outcome, target,
                                              std::string(Name(m.kind)) + " " + m.purpose + ", attempt " +
                                                  std::to_string(m.attempts) + ", key " + m.idempotency_key +
                                                  (sent.ok() ? "" : ": " + core::EscapeControl(m.last_error)),
                                              now)));
    }
    return Status::Ok();
  }));
  return stats;
}

}  // namespace vigil::alert

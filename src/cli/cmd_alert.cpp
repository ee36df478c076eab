// vigil keys init; vigil report add|list|show|triage|contact;
// vigil alert list|show|ack|resolve|tick; vigil rules check (docs/warnings.md).
#include <unistd.h>

#include <cstdio>

#include "alert/cap.h"
#include "alert/delivery.h"
#include "alert/service.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "core/clock.h"
#include "core/strings.h"

namespace vigil::cli {

namespace {

struct AlertFlags {
  std::string config;  // --alerts, else $VIGIL_ALERTS
  std::string keys_dir;
  std::string format = "table";
  // report add
  std::string text, place, contact, observed, lang;
  std::optional<double> lat, lon;
  // report list / alert list
  std::string state, since;
  int64_t limit = 50;
  // report triage / alert ack
  std::string reference, new_state, note, disposition;
  bool no_event = false;
};

std::string ResolveAlertsConfig(const AlertFlags& f) {
  if (!f.config.empty()) return f.config;
  if (const char* env = std::getenv("VIGIL_ALERTS"); env && *env) return env;
  return "";
}

alert::Actor CliActor() {
  alert::Actor a;
  const char* user = std::getenv("USER");
  a.user = std::string("cli:") + (user ? user : "unknown");
  a.role = "operator";
  a.client = "cli";
  return a;
}

core::Result<std::unique_ptr<alert::AlertService>> OpenService(const Globals& g, const AlertFlags& f) {
  const std::string path = ResolveAlertsConfig(f);
  if (path.empty())
    return core::InvalidArgument("no alert configuration: pass --alerts FILE or set $VIGIL_ALERTS (docs/warnings.md)");
  VIGIL_ASSIGN_OR_RETURN(auto st, OpenStore(g));  // schema current
  VIGIL_ASSIGN_OR_RETURN(alert::AlertConfig cfg, alert::LoadAlertConfig(path));
  VIGIL_ASSIGN_OR_RETURN(auto ref, LoadReference(g));
  VIGIL_ASSIGN_OR_RETURN(std::string data_dir, ResolveDataDir(g));
  alert::ServiceOptions so;
  so.db_url = ResolveStateDb(g);
  so.ref = ref;
  so.data_dir = data_dir;
  if (!cfg.keys_dir.empty()) {
    auto k = alert::LoadServerKeys(cfg.keys_dir);
    if (k.ok()) so.keys = *k;
  }
  so.config = std::make_shared<const alert::AlertConfig>(std::move(cfg));
  return alert::AlertService::Create(std::move(so));
}

void PrintReports(const std::vector<alert::Report>& rows) {
  std::printf("%s %s %s %s %s %s %s\n", Cell("ref", 8).c_str(), Cell("received", 20).c_str(), Cell("state", 9).c_str(),
              Cell("place", 18).c_str(), Cell("cluster", 8).c_str(), Cell("cred.", 5).c_str(), "text");
  for (const auto& r : rows)
    std::printf("%s %s %s %s %s %s %s\n", Cell(r.Reference(), 8).c_str(),
                Cell(core::FormatUtc(r.received_at), 20).c_str(), Cell(alert::Name(r.state), 9).c_str(),
                Cell(r.location.empty() ? "-" : r.location, 18).c_str(),
                Cell(r.cluster_id ? "C-" + std::to_string(r.cluster_id) : "-", 8).c_str(),
                Cell(std::to_string(static_cast<int>(100 * r.credibility)) + "%", 5).c_str(), Cell(r.text, 60).c_str());
}

void PrintAlerts(const std::vector<alert::Alert>& rows) {
  std::printf("%s %s %s %s %s %s\n", Cell("ref", 7).c_str(), Cell("state", 12).c_str(), Cell("severity", 8).c_str(),
              Cell("tier", 4).c_str(), Cell("next escalation", 20).c_str(), "headline");
  for (const auto& a : rows)
    std::printf("%s %s %s %s %s %s\n", Cell(a.Reference(), 7).c_str(), Cell(alert::Name(a.state), 12).c_str(),
                Cell(alert::Name(a.severity), 8).c_str(), Cell(std::to_string(a.tier + 1), 4).c_str(),
                Cell(a.deadline ? core::FormatUtc(*a.deadline) : "-", 20).c_str(), Cell(a.headline_en, 70).c_str());
}

int RunReportAdd(const Globals& g, const AlertFlags& f) {
  auto svc = OpenService(g, f);
  if (!svc.ok()) return Fail(svc.status());
  alert::ReportInput in;
  in.text = f.text;
  in.place = f.place;
  in.contact = f.contact;
  in.lang = f.lang;
  in.channel = alert::Channel::kCli;
  in.submitted_by = CliActor().user;
  in.lat = f.lat;
  in.lon = f.lon;
  if (!f.observed.empty()) {
    auto t = core::ParseUtc(f.observed);
    if (!t.ok()) return Fail(core::InvalidArgument("--observed: " + t.status().message()));
    in.observed_at = *t;
  }
  auto s = (*svc)->SubmitReport(in, "cli", "", CliActor());
  if (!s.ok()) return Fail(s.status());
  auto j = core::Json::parse(s->body);
  if (f.format == "json")
    std::printf("%s\n", s->body.c_str());
  else
    std::printf("report %s stored (%s, place: %s%s)\n", j["reference"].get<std::string>().c_str(),
                j["state"].get<std::string>().c_str(),
                j["location"].get<std::string>().empty() ? "unknown" : j["location"].get<std::string>().c_str(),
                j["cluster"].is_null() ? "" : (", cluster " + j["cluster"].get<std::string>()).c_str());
  return 0;
}

int RunReportList(const Globals& g, const AlertFlags& f) {
  auto svc = OpenService(g, f);
  if (!svc.ok()) return Fail(svc.status());
  alert::ReportFilter rf;
  rf.limit = f.limit;
  if (!f.state.empty()) {
    auto s = alert::ParseReportState(f.state);
    if (!s.ok()) return Fail(s.status());
    rf.state = *s;
  }
  if (!f.since.empty()) {
    auto t = core::ParseUtc(f.since);
    if (!t.ok()) return Fail(t.status());
    rf.since = *t;
  }
  auto rows = (*svc)->reads().ListReports(rf);
  if (!rows.ok()) return Fail(rows.status());
  PrintReports(*rows);
  return 0;
}

int RunReportShow(const Globals& g, const AlertFlags& f) {
  auto svc = OpenService(g, f);
  if (!svc.ok()) return Fail(svc.status());
  auto id = alert::ParseReportReference(f.reference);
  if (!id.ok()) return Fail(id.status());
  auto r = (*svc)->reads().GetReport(*id);
  if (!r.ok()) return Fail(r.status());
  std::printf("%s  %s  received %s via %s (%s)\n", r->Reference().c_str(), alert::Name(r->state),
              core::FormatUtc(r->received_at).c_str(), alert::Name(r->channel), r->lang.c_str());
  std::printf("text: %s\n", core::EscapeControl(r->text).c_str());
  std::printf("place: %s (%s)%s\n", core::EscapeControl(r->location.empty() ? "-" : r->location).c_str(),
              r->geo_source.c_str(),
              r->lat ? (" at " + std::to_string(*r->lat) + ", " + std::to_string(*r->lon)).c_str() : "");
  std::printf("admin: %s / %s / %s\n", r->country.c_str(), r->admin1.c_str(), r->admin2.c_str());
  std::string signs;
  for (const auto& s : r->signs) signs += (signs.empty() ? "" : ", ") + s;
  std::printf("signs: %s\n", signs.empty() ? "-" : signs.c_str());
  std::printf("cluster: %s; credibility %.0f%%: %s\n",
              r->cluster_id ? ("C-" + std::to_string(r->cluster_id)).c_str() : "-", 100 * r->credibility,
              core::EscapeControl(r->credibility_why).c_str());
  const std::string contact = r->contact_box.empty() ? "none" : "sealed (vigil report contact " + r->Reference() + ")";
  std::printf("contact: %s\n", contact.c_str());
  return 0;
}

int RunReportTriage(const Globals& g, const AlertFlags& f) {
  auto svc = OpenService(g, f);
  if (!svc.ok()) return Fail(svc.status());
  auto id = alert::ParseReportReference(f.reference);
  if (!id.ok()) return Fail(id.status());
  auto state = alert::ParseReportState(f.new_state);
  if (!state.ok()) return Fail(state.status());
  auto events = OpenStore(g);
  if (!events.ok()) return Fail(events.status());
  auto s = (*svc)->SetReportState(*id, *state, f.note, CliActor(), f.no_event ? nullptr : events->get());
  if (!s.ok()) return Fail(s);
  std::printf("%s is now %s\n", f.reference.c_str(), alert::Name(*state));
  return 0;
}

int RunReportContact(const Globals& g, const AlertFlags& f) {
  auto svc = OpenService(g, f);
  if (!svc.ok()) return Fail(svc.status());
  auto id = alert::ParseReportReference(f.reference);
  if (!id.ok()) return Fail(id.status());
  const std::string dir = !f.keys_dir.empty() ? f.keys_dir : (*svc)->config().keys_dir;
  if (dir.empty()) return Fail(core::InvalidArgument("pass --keys DIR (the folder holding contact.key)"));
  auto c = (*svc)->RevealContact(*id, dir, CliActor());
  if (!c.ok()) return Fail(c.status());
  std::printf("%s\n", core::EscapeControl(*c).c_str());
  std::fprintf(stderr, "(this reveal is in the audit log)\n");
  return 0;
}

int RunAlertList(const Globals& g, const AlertFlags& f) {
  auto svc = OpenService(g, f);
  if (!svc.ok()) return Fail(svc.status());
  alert::AlertFilter af;
  af.limit = f.limit;
  if (!f.state.empty())
    for (auto s : core::Split(f.state, ',')) {
      auto v = alert::ParseAlertState(s);
      if (!v.ok()) return Fail(v.status());
      af.states.push_back(*v);
    }
  auto rows = (*svc)->reads().ListAlerts(af);
  if (!rows.ok()) return Fail(rows.status());
  PrintAlerts(*rows);
  return 0;
}

int RunAlertShow(const Globals& g, const AlertFlags& f) {
  auto svc = OpenService(g, f);
  if (!svc.ok()) return Fail(svc.status());
  auto id = alert::ParseAlertReference(f.reference);
  if (!id.ok()) return Fail(id.status());
  auto a = (*svc)->reads().GetAlert(*id);
  if (!a.ok()) return Fail(a.status());
  if (f.format == "cap") {
    auto m = (*svc)->reads().CapMessages(*id);
    if (!m.ok()) return Fail(m.status());
    if (m->empty()) return Fail(core::NotFound("no CAP message yet"));
    std::printf("%s", m->back().xml.c_str());
    return 0;
  }
  PrintAlerts({*a});
  std::printf("\n%s\n%s\n\n%s\n%s\n", a->headline_en.c_str(), a->description_en.c_str(), a->headline_fr.c_str(),
              a->description_fr.c_str());
  if (a->disposition)
    std::printf("acknowledged by %s: %s %s\n", a->ack_by.c_str(), alert::Name(*a->disposition), a->ack_note.c_str());
  return 0;
}

int RunAlertAck(const Globals& g, const AlertFlags& f, bool resolve) {
  auto svc = OpenService(g, f);
  if (!svc.ok()) return Fail(svc.status());
  auto id = alert::ParseAlertReference(f.reference);
  if (!id.ok()) return Fail(id.status());
  core::Status s;
  if (resolve) {
    s = (*svc)->Resolve(*id, f.note, CliActor());
  } else {
    auto d = alert::ParseDisposition(f.disposition);
    if (!d.ok()) return Fail(d.status());
    s = (*svc)->Acknowledge(*id, *d, f.note, CliActor());
  }
  if (!s.ok()) return Fail(s);
  std::printf("%s %s\n", f.reference.c_str(), resolve ? "resolved" : "acknowledged");
  return 0;
}

int RunAlertTick(const Globals& g, const AlertFlags& f) {
  auto svc = OpenService(g, f);
  if (!svc.ok()) return Fail(svc.status());
  auto events = OpenStore(g);
  if (!events.ok()) return Fail(events.status());
  auto t = (*svc)->Tick(events->get());
  if (!t.ok()) return Fail(t.status());
  alert::CurlSender sender;
  auto d = (*svc)->DeliverDue(sender);
  if (!d.ok()) return Fail(d.status());
  std::printf(
      "escalated %d, reminded %d, forecast alerts %d, event alerts %d, corridor alerts %d; messages sent %d, to retry "
      "%d, dead %d\n",
      t->escalated, t->reminded, t->forecast_alerts, t->event_alerts, t->corridor_alerts, d->sent, d->failed, d->dead);
  return 0;
}

}  // namespace

void AddAlert(CLI::App& app, Globals& g, int& rc) {
  auto f = std::make_shared<AlertFlags>();
  auto alerts_opt = [f](CLI::App* c) {
    c->add_option("--alerts", f->config, "alert configuration file (default $VIGIL_ALERTS; docs/warnings.md)");
  };

  auto* keys = app.add_subcommand("keys", "the keys that keep reporters' contacts secret");
  keys->require_subcommand(1);
  auto* kinit = keys->add_subcommand("init", "create contact.pub, contact.key and server.key in a folder (mode 0600)");
  kinit->add_option("--dir", f->keys_dir, "folder for the keys (outside the database's folder is best)")->required();
  kinit->callback([&rc, f] {
    auto s = alert::InitKeys(f->keys_dir);
    rc = s.ok() ? 0 : Fail(s);
    if (s.ok())
      std::printf(
          "keys created in %s: keep contact.key with the responders who may read contacts; the server needs "
          "contact.pub and server.key (keys_dir in the alert configuration)\n",
          f->keys_dir.c_str());
  });

  auto* report = app.add_subcommand("report", "community reports: add, list, show, triage, contact");
  report->require_subcommand(1);
  auto* add = report->add_subcommand("add", "store a report (triaged, clustered; may raise an alert)");
  alerts_opt(add);
  add->add_option("--text", f->text, "what was seen, in French or English")->required();
  add->add_option("--place", f->place, "a place name");
  add->add_option("--lat", f->lat, "latitude (decimal degrees, with --lon)");
  add->add_option("--lon", f->lon, "longitude");
  add->add_option("--observed", f->observed, "when it was seen, e.g. 2025-07-01T05:30Z (default: now)");
  add->add_option("--contact", f->contact, "the reporter's phone or e-mail (stored sealed, never in clear)");
  add->add_option("--lang", f->lang, "fr or en (default: guessed)");
  add->add_option("--format", f->format, "table or json");
  add->callback([&g, &rc, f] { rc = RunReportAdd(g, *f); });
  auto* list = report->add_subcommand("list", "newest reports first");
  alerts_opt(list);
  list->add_option("--state", f->state, "received, triaged, verified, dismissed or duplicate");
  list->add_option("--since", f->since, "only reports seen since this time");
  list->add_option("--limit", f->limit, "at most this many (default 50)");
  list->callback([&g, &rc, f] { rc = RunReportList(g, *f); });
  auto* show = report->add_subcommand("show", "one report, with its triage");
  alerts_opt(show);
  show->add_option("reference", f->reference, "R-123")->required();
  show->callback([&g, &rc, f] { rc = RunReportShow(g, *f); });
  auto* triage = report->add_subcommand("triage", "verify, dismiss or mark a report as a duplicate");
  alerts_opt(triage);
  triage->add_option("reference", f->reference, "R-123")->required();
  triage->add_option("state", f->new_state, "verified, dismissed or duplicate")->required();
  triage->add_option("--note", f->note, "why");
  triage->add_flag("--no-event", f->no_event, "verify without storing the report as an event");
  triage->callback([&g, &rc, f] { rc = RunReportTriage(g, *f); });
  auto* contact = report->add_subcommand("contact", "open a report's contact with the private key (audited)");
  alerts_opt(contact);
  contact->add_option("reference", f->reference, "R-123")->required();
  contact->add_option("--keys", f->keys_dir, "folder holding contact.key (default: keys_dir of the configuration)");
  contact->callback([&g, &rc, f] { rc = RunReportContact(g, *f); });

  auto* al = app.add_subcommand("alert", "alerts: list, show, ack, resolve, tick");
  al->require_subcommand(1);
  auto* alist = al->add_subcommand("list", "newest alerts first");
  alerts_opt(alist);
  alist->add_option("--state", f->state, "open, acknowledged, resolved, cancelled (comma list)");
  alist->add_option("--limit", f->limit, "at most this many (default 50)");
  alist->callback([&g, &rc, f] { rc = RunAlertList(g, *f); });
  auto* ashow = al->add_subcommand("show", "one alert (--format cap for its latest CAP 1.2 message)");
  alerts_opt(ashow);
  ashow->add_option("reference", f->reference, "A-12")->required();
  ashow->add_option("--format", f->format, "table or cap");
  ashow->callback([&g, &rc, f] { rc = RunAlertShow(g, *f); });
  auto* ack = al->add_subcommand("ack", "acknowledge an alert with a disposition");
  alerts_opt(ack);
  ack->add_option("reference", f->reference, "A-12")->required();
  ack->add_option("disposition", f->disposition,
                  "no_impact, some_impact, significant_impact, duplicate or false_positive")
      ->required();
  ack->add_option("--note", f->note, "what you found or did");
  ack->callback([&g, &rc, f] { rc = RunAlertAck(g, *f, false); });
  auto* resolve = al->add_subcommand("resolve", "close an alert (sends a CAP Cancel)");
  alerts_opt(resolve);
  resolve->add_option("reference", f->reference, "A-12")->required();
  resolve->add_option("--note", f->note, "why it is over");
  resolve->callback([&g, &rc, f] { rc = RunAlertAck(g, *f, true); });
  auto* tick = al->add_subcommand("tick", "escalate what is past its deadline, run the rules, send the outbox (once)");
  alerts_opt(tick);
  tick->callback([&g, &rc, f] { rc = RunAlertTick(g, *f); });

  auto* rules = app.add_subcommand("rules", "the alert configuration");
  rules->require_subcommand(1);
  auto* check = rules->add_subcommand("check", "validate an alert configuration file");
  check->add_option("file", f->config, "the TOML file")->required();
  check->callback([&rc, f] {
    auto c = alert::LoadAlertConfig(f->config);
    if (!c.ok()) {
      rc = Fail(c.status());
      return;
    }
    size_t tiers = 0;
    for (const auto& a : c->areas) tiers += a.tiers.size();
    std::printf("%s: %zu areas (%zu tiers), %zu rules, %zu subscriptions, %zu SMS gateways: valid\n", f->config.c_str(),
                c->areas.size(), tiers, c->rules.size(), c->subscriptions.size(), c->gateways.size());
    rc = 0;
  });
}

}  // namespace vigil::cli

#include "alert/config.h"

#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/clock.h"
#include "core/toml_reader.h"
#include "core/event.h"
#include "geo/normalize.h"

namespace vigil::alert {

using core::ArrayOfTables;
using core::Enum;
using Reader = core::TomlReader;

namespace {

namespace fs = std::filesystem;

std::optional<Circle> ReadCircle(Reader& r, const toml::table& t, const std::string& where) {
  const toml::node* n = t.get("circle");
  if (!n) return std::nullopt;
  const toml::table* c = n->as_table();
  if (!c) {
    r.Fail(n, where + ".circle must be { lat = .., lon = .., radius_km = .. }");
    return std::nullopt;
  }
  r.OnlyKeys(*c, where + ".circle", {"lat", "lon", "radius_km"});
  Circle out;
  out.lat = r.Number(*c, "lat", where + ".circle", 0, -90, 90);
  out.lon = r.Number(*c, "lon", where + ".circle", 0, -180, 180);
  out.radius_km = r.Number(*c, "radius_km", where + ".circle", 0, 0.1, 2000);
  if (!c->get("lat") || !c->get("lon") || !c->get("radius_km"))
    r.Fail(n, where + ".circle needs lat, lon and radius_km");
  return out;
}

void ReadPolygon(Reader& r, const toml::table& t, const std::string& where,
                 std::vector<std::pair<double, double>>* out) {
  const toml::node* n = t.get("polygon");
  if (!n) return;
  const toml::array* a = n->as_array();
  auto bad = [&] { r.Fail(n, where + ".polygon must be a list of [lat, lon] pairs, at least 3"); };
  if (!a || a->size() < 3) return bad();
  for (const auto& p : *a) {
    const toml::array* pair = p.as_array();
    if (!pair || pair->size() != 2) return bad();
    auto lat = (*pair)[0].value<double>(), lon = (*pair)[1].value<double>();
    if (!lat || !lon || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) return bad();
    out->emplace_back(*lat, *lon);
  }
  if (out->front() != out->back()) out->push_back(out->front());
}

void ReadTiers(Reader& r, const toml::table& area, const std::string& where, std::vector<Tier>* out) {
  const toml::array* tiers = ArrayOfTables(r, area, "tiers");
  if (!tiers) {
    if (!r.failed()) r.Fail(&area, where + " needs at least one [[areas.tiers]] of responders");
    return;
  }
  for (size_t i = 0; i < tiers->size(); ++i) {
    const toml::table& t = *(*tiers)[i].as_table();
    const std::string w = where + ".tiers[" + std::to_string(i + 1) + "]";
    r.OnlyKeys(t, w, {"name", "users", "contacts"});
    Tier tier;
    tier.name = r.String(t, "name", w, "tier " + std::to_string(i + 1));
    tier.users = r.Strings(t, "users", w);
    if (const toml::node* cn = t.get("contacts")) {
      const toml::array* ca = cn->as_array();
      if (!ca) r.Fail(cn, w + ".contacts must be a list of { kind = .., to = .. }");
      for (size_t j = 0; ca && j < ca->size(); ++j) {
        const toml::table* c = (*ca)[j].as_table();
        const std::string cw = w + ".contacts[" + std::to_string(j + 1) + "]";
        if (!c) {
          r.Fail(&(*ca)[j], cw + " must be { kind = \"webhook\"|\"sms\"|\"email\", to = \"...\" }");
          break;
        }
        r.OnlyKeys(*c, cw, {"kind", "to"});
        ContactPoint p;
        p.kind = Enum(r, *c, "kind", cw, MessageKind::kWebhook, ParseMessageKind);
        p.to = r.String(*c, "to", cw, "", true);
        if (p.kind == MessageKind::kWebhook && p.to.rfind("http://", 0) != 0 && p.to.rfind("https://", 0) != 0)
          r.Fail(c, cw + ".to must be an http:// or https:// URL for a webhook");
        tier.contacts.push_back(std::move(p));
      }
    }
    if (tier.users.empty() && tier.contacts.empty())
      r.Fail(&t, w + " has neither users nor contacts: nobody would be told");
    out->push_back(std::move(tier));
  }
}

void ReadAreas(Reader& r, const toml::table& root, AlertConfig* cfg) {
  const toml::array* areas = ArrayOfTables(r, root, "areas");
  if (!areas) return;
  std::set<std::string> ids;
  for (size_t i = 0; i < areas->size() && !r.failed(); ++i) {
    const toml::table& t = *(*areas)[i].as_table();
    const std::string w = "areas[" + std::to_string(i + 1) + "]";
    r.OnlyKeys(t, w, {"id", "name_en", "name_fr", "admin1", "admin2", "circle", "polygon", "fallback", "tiers"});
    AreaConfig a;
    a.id = r.String(t, "id", w, "", true);
    if (!ids.insert(a.id).second) r.Fail(t.get("id"), w + ".id '" + a.id + "' is used twice");
    a.name_en = r.String(t, "name_en", w, a.id);
    a.name_fr = r.String(t, "name_fr", w, a.name_en);
    a.admin1 = r.Strings(t, "admin1", w);
    a.admin2 = r.Strings(t, "admin2", w);
    a.circle = ReadCircle(r, t, w);
    ReadPolygon(r, t, w, &a.polygon);
    if (const toml::node* f = t.get("fallback")) a.fallback = f->value<bool>().value_or(false);
    if (a.admin1.empty() && a.admin2.empty() && !a.circle && a.polygon.empty() && !a.fallback)
      r.Fail(&t, w + " says nowhere: give admin1, admin2, circle or polygon (or fallback = true)");
    ReadTiers(r, t, w, &a.tiers);
    cfg->areas.push_back(std::move(a));
  }
}

void ReadRules(Reader& r, const toml::table& root, AlertConfig* cfg) {
  const toml::array* rules = ArrayOfTables(r, root, "rules");
  if (!rules) return;
  std::set<std::string> ids;
  for (size_t i = 0; i < rules->size() && !r.failed(); ++i) {
    const toml::table& t = *(*rules)[i].as_table();
    const std::string w = "rules[" + std::to_string(i + 1) + "]";
    r.OnlyKeys(
        t, w,
        {"id", "kind", "severity", "urgency", "certainty", "min_reporters", "radius_km", "window", "subscriptions",
         "threshold", "rise_factor", "horizon_days", "event_types", "corridors", "min_status", "sites"});
    RuleConfig rule;
    rule.id = r.String(t, "id", w, "", true);
    if (!ids.insert(rule.id).second) r.Fail(t.get("id"), w + ".id '" + rule.id + "' is used twice");
    rule.kind = r.String(t, "kind", w, "", true);
    if (rule.kind != "report_cluster" && rule.kind != "forecast" && rule.kind != "event_near" &&
        rule.kind != "corridor" && !r.failed())
      r.Fail(t.get("kind"), w + ".kind '" + rule.kind + "' is not report_cluster, forecast, event_near or corridor");
    rule.severity = Enum(r, t, "severity", w, Severity::kSevere, ParseSeverity);
    rule.urgency =
        Enum(r, t, "urgency", w, rule.kind == "forecast" ? Urgency::kFuture : Urgency::kImmediate, ParseUrgency);
    rule.certainty = Enum(r, t, "certainty", w,
                          rule.kind == "forecast"                                ? Certainty::kPossible
                          : rule.kind == "event_near" || rule.kind == "corridor" ? Certainty::kObserved
                                                                                 : Certainty::kLikely,
                          ParseCertainty);
    rule.min_reporters = static_cast<int>(r.Integer(t, "min_reporters", w, 3, 1, 1000));
    rule.radius_km = r.Number(t, "radius_km", w, rule.kind == "event_near" ? 25 : 15, 0.1, 500);
    rule.window_s = r.Duration(t, "window", w, 48 * 3600);
    rule.subscriptions = r.Strings(t, "subscriptions", w);
    rule.threshold = r.Number(t, "threshold", w, 0.5, 0, 1);
    rule.rise_factor = r.Number(t, "rise_factor", w, 0, 0, 1000);
    rule.horizon_days = static_cast<int>(r.Integer(t, "horizon_days", w, 30, 1, 366));
    rule.event_types = r.Strings(t, "event_types", w);
    rule.corridors = r.Strings(t, "corridors", w);
    rule.sites = r.Strings(t, "sites", w);
    if (!rule.sites.empty() && rule.kind != "forecast" && rule.kind != "event_near" && !r.failed())
      r.Fail(t.get("sites"), w + ".sites applies to forecast and event_near rules, not " + rule.kind);
    rule.min_status = r.String(t, "min_status", w, "blockaded");
    if (rule.min_status != "disrupted" && rule.min_status != "blockaded" && !r.failed())
      r.Fail(t.get("min_status"), w + ".min_status '" + rule.min_status + "' is not disrupted or blockaded");
    for (const auto& s : rule.subscriptions)
      if (!cfg->SubscriptionById(s) && !r.failed())
        r.Fail(t.get("subscriptions"), w + ".subscriptions names '" + s + "', which no [[subscriptions]] defines");
    cfg->rules.push_back(std::move(rule));
  }
}

void ReadSubscriptions(Reader& r, const toml::table& root, AlertConfig* cfg) {
  const toml::array* subs = ArrayOfTables(r, root, "subscriptions");
  if (!subs) return;
  for (size_t i = 0; i < subs->size() && !r.failed(); ++i) {
    const toml::table& t = *(*subs)[i].as_table();
    const std::string w = "subscriptions[" + std::to_string(i + 1) + "]";
    r.OnlyKeys(t, w, {"id", "name", "lat", "lon", "radius_km"});
    Subscription s;
    s.id = r.String(t, "id", w, "", true);
    s.name = r.String(t, "name", w, s.id);
    if (!t.get("lat") || !t.get("lon")) r.Fail(&t, w + " needs lat and lon (decimal degrees)");
    s.lat = r.Number(t, "lat", w, 0, -90, 90);
    s.lon = r.Number(t, "lon", w, 0, -180, 180);
    s.radius_km = r.Number(t, "radius_km", w, 10, 0.1, 500);
    cfg->subscriptions.push_back(std::move(s));
  }
}

void ReadGateways(Reader& r, const toml::table& root, AlertConfig* cfg) {
  const toml::array* gws = ArrayOfTables(r, root, "gateways");
  if (!gws) return;
  for (size_t i = 0; i < gws->size() && !r.failed(); ++i) {
    const toml::table& t = *(*gws)[i].as_table();
    const std::string w = "gateways[" + std::to_string(i + 1) + "]";
    r.OnlyKeys(t, w, {"name", "shape", "secret", "secret_file", "outbound_url", "max_skew"});
    GatewayProfile g;
    g.name = r.String(t, "name", w, "", true);
    g.shape = r.String(t, "shape", w, "json");
    if (g.shape != "json" && g.shape != "form") r.Fail(t.get("shape"), w + ".shape must be \"json\" or \"form\"");
    g.secret = r.Secret(t, "secret", w);
    if (g.secret.size() < 16 && !r.failed())
      r.Fail(&t, w + " needs a secret of at least 16 characters (secret = \"...\" or secret_file = \"...\")");
    g.outbound_url = r.String(t, "outbound_url", w, "");
    g.max_skew_s = r.Duration(t, "max_skew", w, 300);
    cfg->gateways.push_back(std::move(g));
  }
}

void ReadTopLevel(Reader& r, const toml::table& root, AlertConfig* cfg) {
  r.OnlyKeys(root, "the file",
             {"sender", "public_url", "keys_dir", "clustering", "deadlines", "delivery", "smtp", "gateways", "areas",
              "subscriptions", "rules"});
  cfg->sender = r.String(root, "sender", "the file", cfg->sender);
  cfg->public_url = r.String(root, "public_url", "the file", cfg->public_url);
  const std::string keys = r.String(root, "keys_dir", "the file", "");
  cfg->keys_dir = keys.empty() ? "" : r.Resolve(keys);
  if (const toml::table* c = root["clustering"].as_table()) {
    r.OnlyKeys(*c, "[clustering]", {"radius_km", "window"});
    cfg->cluster_radius_km = r.Number(*c, "radius_km", "clustering", 15, 0.1, 500);
    cfg->cluster_window_s = r.Duration(*c, "window", "clustering", 48 * 3600);
  }
  cfg->deadlines = {{Severity::kExtreme, 15 * 60},
                    {Severity::kSevere, 3600},
                    {Severity::kModerate, 6 * 3600},
                    {Severity::kMinor, 24 * 3600}};
  if (const toml::table* d = root["deadlines"].as_table()) {
    r.OnlyKeys(*d, "[deadlines]", {"Extreme", "Severe", "Moderate", "Minor"});
    for (auto& [sev, secs] : cfg->deadlines) secs = r.Duration(*d, Name(sev), "deadlines", secs);
  }
  if (const toml::table* d = root["delivery"].as_table()) {
    r.OnlyKeys(*d, "[delivery]",
               {"max_attempts", "backoff_base", "backoff_max", "webhook_secret", "webhook_secret_file", "timeout"});
    cfg->delivery.max_attempts = static_cast<int>(r.Integer(*d, "max_attempts", "delivery", 20, 1, 1000));
    cfg->delivery.backoff_base_s = r.Duration(*d, "backoff_base", "delivery", 2);
    cfg->delivery.backoff_max_s = r.Duration(*d, "backoff_max", "delivery", 120);
    cfg->delivery.webhook_secret = r.Secret(*d, "webhook_secret", "delivery");
    cfg->delivery.timeout_s = r.Duration(*d, "timeout", "delivery", 10);
  }
  if (const toml::table* s = root["smtp"].as_table()) {
    r.OnlyKeys(*s, "[smtp]", {"url", "from"});
    cfg->delivery.smtp_url = r.String(*s, "url", "smtp", "");
    cfg->delivery.smtp_from = r.String(*s, "from", "smtp", cfg->delivery.smtp_from);
  }
}

std::string Fold(const std::string& s) { return geo::FoldName(s); }

bool InPolygon(double lat, double lon, const std::vector<std::pair<double, double>>& poly) {
  bool inside = false;
  for (size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    const auto [yi, xi] = poly[i];
    const auto [yj, xj] = poly[j];
    if (((yi > lat) != (yj > lat)) && (lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)) inside = !inside;
  }
  return inside;
}

}  // namespace

bool AreaConfig::Contains(double lat, double lon, const std::string& a1, const std::string& a2) const {
  for (const auto& n : admin1)
    if (!a1.empty() && Fold(n) == Fold(a1)) return true;
  for (const auto& n : admin2)
    if (!a2.empty() && Fold(n) == Fold(a2)) return true;
  if (circle && core::HaversineKm(lat, lon, circle->lat, circle->lon) <= circle->radius_km) return true;
  if (polygon.size() >= 4 && InPolygon(lat, lon, polygon)) return true;
  return false;
}

const AreaConfig* AlertConfig::AreaFor(double lat, double lon, const std::string& a1, const std::string& a2) const {
  for (const auto& a : areas)
    if (!a.fallback && a.Contains(lat, lon, a1, a2)) return &a;
  for (const auto& a : areas)
    if (a.fallback) return &a;
  return nullptr;
}

const AreaConfig* AlertConfig::AreaById(const std::string& id) const {
  for (const auto& a : areas)
    if (a.id == id) return &a;
  return nullptr;
}

const GatewayProfile* AlertConfig::Gateway(const std::string& name) const {
  for (const auto& g : gateways)
    if (g.name == name) return &g;
  return nullptr;
}

const Subscription* AlertConfig::SubscriptionById(const std::string& id) const {
  for (const auto& s : subscriptions)
    if (s.id == id) return &s;
  return nullptr;
}

int64_t AlertConfig::Deadline(Severity s) const {
  auto it = deadlines.find(s == Severity::kUnknown ? Severity::kModerate : s);
  return it == deadlines.end() ? 3600 : it->second;
}

core::Result<AlertConfig> ParseAlertConfig(std::string_view text, const std::string& name, const std::string& dir) {
  toml::table root;
  try {
    root = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    return core::ParseError(name + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()) +
                            " (is it TOML? see docs/warnings.md)");
  }
  Reader r(name, dir);
  AlertConfig cfg;
  cfg.path = name;
  ReadTopLevel(r, root, &cfg);
  ReadGateways(r, root, &cfg);
  ReadSubscriptions(r, root, &cfg);
  ReadAreas(r, root, &cfg);
  ReadRules(r, root, &cfg);
  if (r.failed()) return r.status();
  if (cfg.areas.empty())
    return core::ParseError(name + ": no [[areas]]: alerts would reach nobody; define at least one area with tiers");
  return cfg;
}

core::Result<AlertConfig> LoadAlertConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound("cannot read the alert configuration " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  if (ss.str().size() > (1 << 20)) return core::TooLarge(path + " is over 1 MiB; is it the right file?");
  const std::string dir = fs::absolute(fs::path(path)).parent_path().string();
  return ParseAlertConfig(ss.str(), path, dir);
}

}  // namespace vigil::alert

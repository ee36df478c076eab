// vigil::alert — the deployment's alert configuration: areas and their
// responder tiers, acknowledgement deadlines by severity, the alert rules,
// places subscribed to, SMS gateway profiles, SMTP and delivery settings.
// One TOML file (docs/warnings.md has the format and a worked example for
// Kayes region); validated on load, every error naming the file and line.
//
// Thread-safety: an AlertConfig is an immutable value after loading.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "alert/model.h"
#include "core/status.h"

namespace vigil::alert {

struct ContactPoint {
  MessageKind kind = MessageKind::kWebhook;
  std::string to;  // URL (webhook), phone number (sms) or address (email)
};

struct Tier {
  std::string name;
  std::vector<std::string> users;  // vigil users (role responder or above) who see it in their inbox
  std::vector<ContactPoint> contacts;
};

struct AreaConfig {
  std::string id, name_en, name_fr;
  std::vector<std::string> admin1, admin2;  // names, matched accent- and case-blind
  std::optional<Circle> circle;
  std::vector<std::pair<double, double>> polygon;  // lat, lon
  bool fallback = false;                           // takes what no other area contains
  std::vector<Tier> tiers;
  // True when the point (or its admin units) lies in the area.
  bool Contains(double lat, double lon, const std::string& admin1, const std::string& admin2) const;
};

struct Subscription {
  std::string id, name;
  double lat = 0, lon = 0, radius_km = 10;
  bool site = false;  // a registered site (`vigil site`), id "site:<n>"
};

struct RuleConfig {
  std::string id;
  std::string kind;  // report_cluster, forecast, event_near, corridor
  Severity severity = Severity::kSevere;
  Urgency urgency = Urgency::kExpected;
  Certainty certainty = Certainty::kLikely;
  // report_cluster
  int min_reporters = 3;
  double radius_km = 15;
  int64_t window_s = 48 * 3600;
  // forecast and event_near
  std::vector<std::string> subscriptions;  // ids; empty: all
  double threshold = 0.5;                  // forecast: P(>= 1 event) within horizon
  double rise_factor = 0;                  // forecast: or this many times the previous snapshot's (0: off)
  int horizon_days = 30;
  std::vector<std::string> event_types;  // event_near: ACLED types (empty: political violence)
  // forecast and event_near: registered sites watched too (`vigil site`;
  // names or ids, "*" for every site, read at each evaluation so that a site
  // added later is watched). With sites and no subscriptions, only the sites
  // are watched; event_near uses each site's own radius.
  std::vector<std::string> sites;
  // corridor: the corridors and routes watched (ids; empty: the named
  // corridors of data/roads/corridors.csv), and the status that raises an
  // alert when a corridor enters it (or one worse).
  std::vector<std::string> corridors;
  std::string min_status = "blockaded";  // disrupted or blockaded
};

struct GatewayProfile {
  std::string name;
  std::string shape = "json";  // "json" or "form" (docs/warnings.md)
  std::string secret;          // HMAC-SHA256 key for inbound and outbound signatures
  std::string outbound_url;    // where replies and SMS alerts are POSTed
  int64_t max_skew_s = 300;    // timestamps older or newer than this are refused
};

struct DeliveryConfig {
  int max_attempts = 20;
  int64_t backoff_base_s = 2;
  int64_t backoff_max_s = 120;
  std::string webhook_secret;
  std::string smtp_url;  // smtp://host:port
  std::string smtp_from = "vigil@localhost";
  int64_t timeout_s = 10;
};

struct AlertConfig {
  std::string path;  // the file it was read from
  std::string sender = "vigil@localhost";
  std::string public_url = "http://127.0.0.1:8080";
  std::string keys_dir;  // absolute; "" when not configured
  double cluster_radius_km = 15;
  int64_t cluster_window_s = 48 * 3600;
  std::map<Severity, int64_t> deadlines;  // seconds to acknowledge
  DeliveryConfig delivery;
  std::vector<GatewayProfile> gateways;
  std::vector<AreaConfig> areas;
  std::vector<Subscription> subscriptions;
  std::vector<RuleConfig> rules;

  // The first area containing the point, else the fallback area, else null.
  const AreaConfig* AreaFor(double lat, double lon, const std::string& admin1, const std::string& admin2) const;
  const AreaConfig* AreaById(const std::string& id) const;
  const GatewayProfile* Gateway(const std::string& name) const;
  const Subscription* SubscriptionById(const std::string& id) const;
  // Seconds to acknowledge an alert of `s` (Unknown: the Moderate deadline).
  int64_t Deadline(Severity s) const;
};

// Reads and validates a configuration file. Fails with kNotFound, or kParse
// with "FILE:LINE: what is wrong; what to write instead".
core::Result<AlertConfig> LoadAlertConfig(const std::string& path);
// The same from text (`name` for messages; relative paths against `dir`).
core::Result<AlertConfig> ParseAlertConfig(std::string_view text, const std::string& name, const std::string& dir);

}  // namespace vigil::alert

// vigil::alert — the values of the early-warning loop: community reports,
// alerts with the CAP 1.2 vocabulary, and the outbox of messages to send
// (docs/warnings.md).
//
// Thread-safety: values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event_json.h"
#include "core/status.h"

namespace vigil::alert {

enum class Channel { kWeb, kApp, kSms, kCli };
enum class ReportState { kReceived, kTriaged, kVerified, kDismissed, kDuplicate };
// CAP 1.2 <urgency>, <severity>, <certainty>.
enum class Urgency { kImmediate, kExpected, kFuture, kPast, kUnknown };
enum class Severity { kExtreme, kSevere, kModerate, kMinor, kUnknown };
enum class Certainty { kObserved, kLikely, kPossible, kUnlikely, kUnknown };
enum class AlertState { kOpen, kAcknowledged, kResolved, kCancelled };
// What the responder found when acknowledging.
enum class Disposition { kNoImpact, kSomeImpact, kSignificantImpact, kDuplicate, kFalsePositive };

// Names as stored and in the API ("web", "triaged", "Immediate", "no_impact").
const char* Name(Channel v);
const char* Name(ReportState v);
const char* Name(Urgency v);
const char* Name(Severity v);
const char* Name(Certainty v);
const char* Name(AlertState v);
const char* Name(Disposition v);
// Parsers: kInvalidArgument listing the accepted names.
core::Result<Channel> ParseChannel(std::string_view s);
core::Result<ReportState> ParseReportState(std::string_view s);
core::Result<Urgency> ParseUrgency(std::string_view s);
core::Result<Severity> ParseSeverity(std::string_view s);
core::Result<Certainty> ParseCertainty(std::string_view s);
core::Result<AlertState> ParseAlertState(std::string_view s);
core::Result<Disposition> ParseDisposition(std::string_view s);

// What a reporter sends.
struct ReportInput {
  std::string text;                    // French or English, free text
  std::string place;                   // a place name, optional
  std::optional<double> lat, lon;      // optional coordinates (both or none)
  std::optional<int64_t> observed_at;  // when it was seen (Unix time), optional
  std::string contact;                 // phone or e-mail of the reporter, optional; never stored in clear
  Channel channel = Channel::kWeb;
  std::string lang;          // "fr", "en", or "" to guess
  std::string submitted_by;  // vigil user, or "sms:<gateway>"
};

// Checks sizes, UTF-8, coordinates and times; the message names the field.
core::Status ValidateReportInput(const ReportInput& in, int64_t now);

struct Report {
  int64_t id = 0;
  int64_t received_at = 0;
  std::optional<int64_t> observed_at;
  Channel channel = Channel::kWeb;
  std::string lang, text, place_text;
  // Where: exact position (responders only) and the public 0.1-degree cell.
  std::optional<double> lat, lon;
  std::string geo_source;  // "given", "place", "text", "none"
  std::string location, admin1, admin2, country;
  double cell_lat = 0, cell_lon = 0;
  std::string contact_hash;  // keyed hash of the contact ("" when none)
  std::string contact_box;   // sealed box of the contact (bytes)
  std::string submitted_by;
  ReportState state = ReportState::kReceived;
  int64_t cluster_id = 0;
  double credibility = 0;
  std::string credibility_why;
  std::vector<std::string> signs;  // warning-sign categories found in the text
  int64_t event_id = 0;            // the event made from it, once verified
  std::string state_note, state_by;
  int64_t state_at = 0;

  std::string Reference() const { return "R-" + std::to_string(id); }
};

// "R-123" or "123" -> 123; kInvalidArgument otherwise.
core::Result<int64_t> ParseReportReference(std::string_view s);
core::Result<int64_t> ParseAlertReference(std::string_view s);

struct Circle {
  double lat = 0, lon = 0, radius_km = 0;
};

// A CAP <area>: a description and a circle or a polygon (lat, lon pairs,
// closed: the first point repeated last).
struct CapArea {
  std::string description;
  std::optional<Circle> circle;
  std::vector<std::pair<double, double>> polygon;
};

struct Alert {
  int64_t id = 0;
  std::string identifier;  // CAP identifier, stable for the alert's life
  std::string rule;        // the rule id that raised it
  std::string kind;        // "report_cluster", "forecast", "event_near", "corridor"
  std::string dedupe_key;  // one open alert per (rule, key)
  std::string area_id;     // the configured area whose tiers it goes to
  AlertState state = AlertState::kOpen;
  Urgency urgency = Urgency::kUnknown;
  Severity severity = Severity::kUnknown;
  Certainty certainty = Certainty::kUnknown;
  std::string headline_en, headline_fr, description_en, description_fr;
  CapArea area;
  core::Json evidence = core::Json::object();  // reports, events, forecast figures
  int64_t created_at = 0, updated_at = 0;
  int version = 1;                  // CAP messages sent for it so far
  int tier = 0;                     // index of the tier notified last
  std::optional<int64_t> deadline;  // next escalation, while open
  std::string ack_by, ack_note;
  int64_t ack_at = 0;
  std::optional<Disposition> disposition;
  std::string resolved_by;
  int64_t resolved_at = 0;

  std::string Reference() const { return "A-" + std::to_string(id); }
};

enum class MessageKind { kWebhook, kSms, kEmail };
const char* Name(MessageKind k);
core::Result<MessageKind> ParseMessageKind(std::string_view s);

// One message to deliver, at least once, always with the same idempotency
// key. A reporter's phone number is held sealed (recipient_box, opened by
// the server's delivery key only); responders' contact points are in clear.
struct OutboxMessage {
  int64_t id = 0;
  int64_t alert_id = 0, report_id = 0;
  MessageKind kind = MessageKind::kWebhook;
  std::string purpose;        // "alert", "escalation", "update", "cancel", "reply"
  std::string recipient;      // URL, phone or address (responders)
  std::string recipient_box;  // sealed recipient (reporters), bytes
  std::string subject, body;
  std::string idempotency_key;
  std::string state = "pending";  // pending, sent, dead
  int attempts = 0;
  int64_t next_attempt_at = 0;
  std::string last_error;
  int64_t created_at = 0, sent_at = 0;
};

}  // namespace vigil::alert

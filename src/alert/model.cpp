#include "alert/model.h"

#include <cmath>

#include "core/strings.h"

namespace vigil::alert {

namespace {

template <typename E, size_t N>
const char* NameOf(E v, const std::pair<E, const char*> (&table)[N]) {
  for (const auto& [e, n] : table)
    if (e == v) return n;
  return table[0].second;
}

template <typename E, size_t N>
core::Result<E> ParseOf(std::string_view s, const std::pair<E, const char*> (&table)[N], const char* what) {
  std::string list;
  for (const auto& [e, n] : table) {
    if (core::AsciiLower(s) == core::AsciiLower(n)) return e;
    list += (list.empty() ? "" : ", ") + std::string(n);
  }
  return core::InvalidArgument(std::string(what) + " '" + std::string(s.substr(0, 40)) + "' is not one of: " + list);
}

constexpr std::pair<Channel, const char*> kChannels[] = {
    {Channel::kWeb, "web"}, {Channel::kApp, "app"}, {Channel::kSms, "sms"}, {Channel::kCli, "cli"}};
constexpr std::pair<ReportState, const char*> kReportStates[] = {{ReportState::kReceived, "received"},
                                                                 {ReportState::kTriaged, "triaged"},
                                                                 {ReportState::kVerified, "verified"},
                                                                 {ReportState::kDismissed, "dismissed"},
                                                                 {ReportState::kDuplicate, "duplicate"}};
constexpr std::pair<Urgency, const char*> kUrgencies[] = {{Urgency::kImmediate, "Immediate"},
                                                          {Urgency::kExpected, "Expected"},
                                                          {Urgency::kFuture, "Future"},
                                                          {Urgency::kPast, "Past"},
                                                          {Urgency::kUnknown, "Unknown"}};
constexpr std::pair<Severity, const char*> kSeverities[] = {{Severity::kExtreme, "Extreme"},
                                                            {Severity::kSevere, "Severe"},
                                                            {Severity::kModerate, "Moderate"},
                                                            {Severity::kMinor, "Minor"},
                                                            {Severity::kUnknown, "Unknown"}};
constexpr std::pair<Certainty, const char*> kCertainties[] = {{Certainty::kObserved, "Observed"},
                                                              {Certainty::kLikely, "Likely"},
                                                              {Certainty::kPossible, "Possible"},
                                                              {Certainty::kUnlikely, "Unlikely"},
                                                              {Certainty::kUnknown, "Unknown"}};
constexpr std::pair<AlertState, const char*> kAlertStates[] = {{AlertState::kOpen, "open"},
                                                               {AlertState::kAcknowledged, "acknowledged"},
                                                               {AlertState::kResolved, "resolved"},
                                                               {AlertState::kCancelled, "cancelled"}};
constexpr std::pair<Disposition, const char*> kDispositions[] = {
    {Disposition::kNoImpact, "no_impact"},
    {Disposition::kSomeImpact, "some_impact"},
    {Disposition::kSignificantImpact, "significant_impact"},
    {Disposition::kDuplicate, "duplicate"},
    {Disposition::kFalsePositive, "false_positive"}};
constexpr std::pair<MessageKind, const char*> kKinds[] = {
    {MessageKind::kWebhook, "webhook"}, {MessageKind::kSms, "sms"}, {MessageKind::kEmail, "email"}};

constexpr size_t kMaxTextBytes = 8 << 10;
constexpr size_t kMaxFieldBytes = 300;

core::Result<int64_t> ParseReference(std::string_view s, char letter, const char* what) {
  s = core::Trim(s);
  if (s.size() > 2 && (s[0] == letter || s[0] == letter + 32) && s[1] == '-') s.remove_prefix(2);
  int64_t id = 0;
  if (!core::ParseInt64(s, &id) || id <= 0)
    return core::InvalidArgument(std::string(what) + " reference '" + std::string(s.substr(0, 30)) + "' is not " +
                                 letter + "-<number>");
  return id;
}

}  // namespace

const char* Name(Channel v) { return NameOf(v, kChannels); }
const char* Name(ReportState v) { return NameOf(v, kReportStates); }
const char* Name(Urgency v) { return NameOf(v, kUrgencies); }
const char* Name(Severity v) { return NameOf(v, kSeverities); }
const char* Name(Certainty v) { return NameOf(v, kCertainties); }
const char* Name(AlertState v) { return NameOf(v, kAlertStates); }
const char* Name(Disposition v) { return NameOf(v, kDispositions); }
const char* Name(MessageKind v) { return NameOf(v, kKinds); }
core::Result<Channel> ParseChannel(std::string_view s) { return ParseOf(s, kChannels, "channel"); }
core::Result<ReportState> ParseReportState(std::string_view s) { return ParseOf(s, kReportStates, "state"); }
core::Result<Urgency> ParseUrgency(std::string_view s) { return ParseOf(s, kUrgencies, "urgency"); }
core::Result<Severity> ParseSeverity(std::string_view s) { return ParseOf(s, kSeverities, "severity"); }
core::Result<Certainty> ParseCertainty(std::string_view s) { return ParseOf(s, kCertainties, "certainty"); }
core::Result<AlertState> ParseAlertState(std::string_view s) { return ParseOf(s, kAlertStates, "alert state"); }
core::Result<Disposition> ParseDisposition(std::string_view s) { return ParseOf(s, kDispositions, "disposition"); }
core::Result<MessageKind> ParseMessageKind(std::string_view s) { return ParseOf(s, kKinds, "message kind"); }

core::Result<int64_t> ParseReportReference(std::string_view s) { return ParseReference(s, 'R', "report"); }
core::Result<int64_t> ParseAlertReference(std::string_view s) { return ParseReference(s, 'A', "alert"); }

core::Status ValidateReportInput(const ReportInput& in, int64_t now) {
  for (auto [name, v, max] : {std::tuple{"text", &in.text, kMaxTextBytes},
                              {"place", &in.place, kMaxFieldBytes},
                              {"contact", &in.contact, kMaxFieldBytes},
                              {"lang", &in.lang, size_t{8}}}) {
    if (!core::IsValidUtf8(*v)) return core::InvalidArgument(std::string(name) + " is not valid UTF-8");
    if (v->size() > max)
      return core::TooLarge(std::string(name) + " has " + std::to_string(v->size()) + " bytes; at most " +
                            std::to_string(max) + " are accepted");
  }
  if (core::Trim(in.text).empty()) return core::InvalidArgument("text is empty: say what was seen, and where");
  if (in.lat.has_value() != in.lon.has_value()) return core::InvalidArgument("give both lat and lon, or neither");
  if (in.lat && !(std::isfinite(*in.lat) && std::isfinite(*in.lon) && *in.lat >= -90 && *in.lat <= 90 &&
                  *in.lon >= -180 && *in.lon <= 180 && !(*in.lat == 0 && *in.lon == 0)))
    return core::InvalidArgument("lat must be -90..90 and lon -180..180 (decimal degrees, lat first)");
  if (!in.lang.empty() && in.lang != "fr" && in.lang != "en") return core::InvalidArgument("lang must be fr or en");
  if (in.observed_at) {
    if (*in.observed_at > now + 3600)
      return core::InvalidArgument("observed time is in the future (check the date and the time zone)");
    if (*in.observed_at < now - 365LL * 86400) return core::InvalidArgument("observed time is more than a year ago");
  }
  return core::Status::Ok();
}

}  // namespace vigil::alert

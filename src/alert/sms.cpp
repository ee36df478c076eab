#include "alert/sms.h"

#include "alert/keys.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/strings.h"
#include "core/url.h"

namespace vigil::alert {

std::string SignGatewayBody(std::string_view secret, int64_t timestamp, std::string_view body) {
  std::string msg = std::to_string(timestamp);
  msg += '.';
  msg += body;
  return "sha256=" + HmacSha256Hex(secret, msg);
}

core::Status VerifyGatewaySignature(const GatewayProfile& g, std::string_view ts, std::string_view sig,
                                    std::string_view body, int64_t now) {
  const auto refused = core::Unauthenticated("the message is not signed by this gateway (X-Vigil-Timestamp within " +
                                             std::to_string(g.max_skew_s) +
                                             " s, X-Vigil-Signature sha256=HMAC(secret, timestamp.body))");
  int64_t t = 0;
  if (!core::ParseInt64(core::Trim(ts), &t)) return refused;
  if (t < now - g.max_skew_s || t > now + g.max_skew_s) return refused;
  const std::string want = SignGatewayBody(g.secret, t, body);
  if (!SecureEquals(want, core::Trim(sig))) return refused;
  return core::Status::Ok();
}

core::Result<InboundSms> ParseInboundSms(const GatewayProfile& g, std::string_view body) {
  InboundSms m;
  std::string when;
  if (g.shape == "json") {
    VIGIL_ASSIGN_OR_RETURN(core::Json j, core::ParseJson(body, {.max_depth = 8, .max_bytes = 64 << 10}));
    if (!j.is_object()) return core::InvalidArgument("the SMS body must be a JSON object");
    for (auto [name, out] : {std::pair{"id", &m.id}, {"from", &m.from}, {"text", &m.text}}) {
      if (!j.contains(name) || !j[name].is_string())
        return core::InvalidArgument(std::string("the SMS JSON needs a string '") + name + "'");
      *out = j[name].get<std::string>();
    }
    if (j.contains("timestamp")) {
      if (j["timestamp"].is_number_integer())
        m.sent_at = j["timestamp"].get<int64_t>();
      else if (j["timestamp"].is_string())
        when = j["timestamp"].get<std::string>();
    }
  } else {
    VIGIL_ASSIGN_OR_RETURN(core::QueryParams p, core::ParseQuery(body, 32));
    for (auto [name, out] : {std::pair{"id", &m.id}, {"from", &m.from}, {"text", &m.text}}) {
      auto it = p.find(name);
      if (it == p.end()) return core::InvalidArgument(std::string("the SMS form needs '") + name + "'");
      *out = it->second;
    }
    if (auto it = p.find("date"); it != p.end()) when = it->second;
  }
  if (!when.empty()) {
    auto t = core::ParseUtc(when);
    if (t.ok()) m.sent_at = *t;
  }
  for (const std::string* f : {&m.id, &m.from, &m.text})
    if (!core::IsValidUtf8(*f)) return core::InvalidArgument("the SMS fields must be valid UTF-8");
  if (m.id.empty() || m.id.size() > 200) return core::InvalidArgument("the SMS id must have 1 to 200 characters");
  if (NormalizeContact(m.from).size() < 3) return core::InvalidArgument("the SMS 'from' is not a phone number");
  return m;
}

}  // namespace vigil::alert

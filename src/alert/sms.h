// vigil::alert — SMS gateways: what they POST to /api/v1/sms/inbound, how
// it is signed, and how vigil signs what it sends back.
//
// Two body shapes, one per gateway profile (docs/warnings.md):
//   json: {"id": "...", "from": "+223...", "text": "...", "timestamp": "ISO or Unix"}
//   form: id=...&from=...&text=...&date=...   (application/x-www-form-urlencoded,
//         the shape of Africa's Talking-style gateways)
// Signature, both ways: header X-Vigil-Timestamp (Unix seconds) and
// X-Vigil-Signature: "sha256=" + hex HMAC-SHA256(secret, timestamp + "." +
// body). A timestamp more than max_skew_s from now, or a wrong signature, is
// refused before the body is read; a message id seen before is a replay.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "alert/config.h"
#include "core/status.h"

namespace vigil::alert {

struct InboundSms {
  std::string id, from, text;
  std::optional<int64_t> sent_at;
};

// kUnauthenticated (no timestamp, stale, or a wrong signature: the same
// answer for each, so a forger learns nothing).
core::Status VerifyGatewaySignature(const GatewayProfile& g, std::string_view timestamp_header,
                                    std::string_view signature_header, std::string_view body, int64_t now);
// kInvalidArgument naming the missing or bad field.
core::Result<InboundSms> ParseInboundSms(const GatewayProfile& g, std::string_view body);
// "sha256=<hex>" for an outgoing body.
std::string SignGatewayBody(std::string_view secret, int64_t timestamp, std::string_view body);

}  // namespace vigil::alert

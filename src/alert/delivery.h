// vigil::alert — the real senders behind the outbox, on libcurl:
//   webhook: POST the message's JSON body to the contact point's URL with
//     Content-Type application/json, Idempotency-Key, X-Vigil-Timestamp and
//     X-Vigil-Signature (HMAC-SHA256 with [delivery] webhook_secret);
//   sms: POST {"id": key, "to": number, "text": body} to the gateway
//     profile's outbound_url, signed with the gateway's secret;
//   email: SMTP ([smtp] url and from), Message-ID <key@vigil> so a resent
//     message is recognisably the same.
// A 2xx answer (or SMTP 250) is success; anything else is retried.
//
// Thread-safety: one CurlSender per thread.
#pragma once

#include "alert/service.h"

namespace vigil::alert {

class CurlSender final : public Sender {
 public:
  explicit CurlSender(const core::Clock* clock = &core::SystemClock::Get()) : clock_(clock) {}
  core::Status Send(const OutboxMessage& m, const std::string& recipient, const AlertConfig& cfg) override;

 private:
  core::Status Post(const std::string& url, const std::string& body, const std::vector<std::string>& headers,
                    int64_t timeout_s);
  core::Status Mail(const OutboxMessage& m, const std::string& to, const AlertConfig& cfg);
  const core::Clock* clock_;
};

}  // namespace vigil::alert

// libFuzzer target: SMS gateway webhook bodies in both shapes (form and
// JSON), and the signature check. The first byte picks the shape.
#include <cstddef>
#include <cstdint>
#include <string>

#include "alert/keys.h"
#include "alert/sms.h"
#include "core/strings.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  using namespace vigil::alert;
  GatewayProfile g;
  g.name = "fuzz";
  g.secret = "fuzz-gateway-secret-0123456789";
  g.shape = (data[0] & 1) ? "json" : "form";
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto m = ParseInboundSms(g, body);
  if (m.ok()) {
    if (!vigil::core::IsValidUtf8(m->text) || m->id.empty()) __builtin_trap();
    (void)NormalizeContact(m->from);
  }
  // A signature made for the body verifies; the same with one byte more does not.
  const int64_t now = 1751346000;
  const std::string sig = SignGatewayBody(g.secret, now, body);
  if (!VerifyGatewaySignature(g, std::to_string(now), sig, body, now).ok()) __builtin_trap();
  if (VerifyGatewaySignature(g, std::to_string(now), sig, body + "x", now).ok()) __builtin_trap();
  (void)VerifyGatewaySignature(g, body.substr(0, 20), body, body, now);
  return 0;
}

// libFuzzer target: the CAP 1.2 Ack parser (XML from responders' systems).
// It must answer every input with a value or a Status: no crash, no entity
// expansion, no unbounded work.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "alert/cap.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto ack = vigil::alert::ParseCapAck(std::string_view(reinterpret_cast<const char*>(data), size));
  if (ack.ok() && ack->refs.empty()) __builtin_trap();  // an Ack always names what it acknowledges
  return 0;
}

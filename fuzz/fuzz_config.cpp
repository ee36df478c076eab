// libFuzzer target: the alert configuration (TOML through toml++, then
// vigil's validation). Any text gives a configuration or a Status naming
// the file and line; no crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "alert/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (64 << 10)) return 0;
  auto c = vigil::alert::ParseAlertConfig(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.toml",
                                          "/nonexistent");
  if (c.ok() && c->areas.empty()) __builtin_trap();  // validation requires an area
  return 0;
}

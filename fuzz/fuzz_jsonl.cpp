// libFuzzer target: vigil's JSON Lines reader (one event per line) and the
// bounded JSON parser under it. A line converts or is rejected; an event
// that converts passes ValidateEvent and survives a round trip.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/event_json.h"
#include "core/json.h"
#include "core/strings.h"
#include "ingest/adapter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil;
  std::string_view all(reinterpret_cast<const char*>(data), size);
  for (auto line : core::Split(all, '\n')) {
    if (!core::IsValidUtf8(line)) continue;  // the importer rejects these first
    auto e = ingest::ConvertJsonLine(line);
    if (!e.ok()) continue;
    if (!core::ValidateEvent(*e).ok()) __builtin_trap();
    auto back = core::EventFromJson(core::EventToJson(*e));
    if (!back.ok()) __builtin_trap();  // what was read must be written back readable
  }
  return 0;
}

// libFuzzer target: report extraction (vigil extract) on arbitrary text.
// Extraction must succeed or fail with a Status on any valid UTF-8, and
// every event it returns must serialise (valid UTF-8 evidence, sane spans).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/strings.h"
#include "fuzz_support.h"
#include "text/extractor.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil;
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (!core::IsValidUtf8(text)) return 0;  // callers check (the CLI and API answer 400)
  text::ExtractOptions opt;
  opt.doc = "fuzz";
  auto events = text::Extract(text, fuzz::Reference()->gazetteer(), opt);
  if (!events.ok()) return 0;
  for (const auto& e : *events) {
    if (!core::IsValidUtf8(e.evidence)) __builtin_trap();
    (void)text::ToJson(e).dump();
  }
  return 0;
}

// libFuzzer target: the ACLED and UCDP CSV readers and row adapters. The
// first input byte picks the adapter; the rest is a whole file. Every
// record must either convert to an event that passes ValidateEvent or be
// rejected with a message; nothing may crash, hang or grow without bound.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/csv.h"
#include "core/event.h"
#include "ingest/adapter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  using namespace vigil;
  auto adapter = (data[0] & 1) ? ingest::MakeUcdpAdapter() : ingest::MakeAcledAdapter();
  auto reader = core::CsvReader::FromString(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  auto first = reader.Next();
  if (!first.ok() || !*first) return 0;
  if (!adapter->SetHeader(reader.fields()).ok()) return 0;
  core::Event e;
  for (int rows = 0; rows < 10000; ++rows) {
    auto r = reader.Next();
    if (!r.ok() || !*r) break;
    if (adapter->ConvertInto(reader.fields(), &e).ok() && e.event_type.empty() == false) (void)core::ValidateEvent(e);
  }
  return 0;
}

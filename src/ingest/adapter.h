// vigil::ingest — dataset adapters: one published row -> one vigil Event.
//
// An adapter checks the header once (a wrong header rejects the whole file:
// "missing column 'event_date': is this an ACLED export?") and converts each
// row, or says in one line why the row is rejected. Adapters never touch the
// database; the Importer does.
//
// Thread-safety: an adapter is used by one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/status.h"

namespace vigil::ingest {

enum class SourceKind { kAcled, kUcdp, kJsonl };
core::Result<SourceKind> ParseSourceKind(std::string_view name);
const char* SourceKindName(SourceKind k);

class RowAdapter {
 public:
  virtual ~RowAdapter() = default;
  // The source name stored with events ("acled", "ucdp"); for JSON Lines
  // each line names its own source and this is "jsonl".
  virtual const char* source() const = 0;
  // Validates the header fields; remembers column positions.
  virtual core::Status SetHeader(const std::vector<std::string_view>& fields) = 0;
  // Converts one record. On failure the Status message is the reason shown
  // to the user (without file:line, which the importer adds).
  virtual core::Result<core::Event> Convert(const std::vector<std::string_view>& fields) = 0;
  // The same into an existing event (every field is set; its strings'
  // buffers are reused, so a file's rows are converted without allocating).
  // On failure *out is unspecified.
  virtual core::Status ConvertInto(const std::vector<std::string_view>& fields, core::Event* out) {
    auto e = Convert(fields);
    if (!e.ok()) return e.status();
    *out = std::move(*e);
    return core::Status::Ok();
  }
};

std::unique_ptr<RowAdapter> MakeAcledAdapter();
std::unique_ptr<RowAdapter> MakeUcdpAdapter();

// Parses one JSON Lines record (vigil's own format, core/event_json.h).
core::Result<core::Event> ConvertJsonLine(std::string_view line);

}  // namespace vigil::ingest

// vigil::core — the event as JSON: the line format of `vigil events --format
// jsonl` and `vigil ingest jsonl` (docs/data-formats.md). The round trip
// EventToJson -> EventFromJson is lossless for every field but the
// database-local `id`, which the reader ignores.
#pragma once

#include <nlohmann/json.hpp>

#include "core/event.h"
#include "core/status.h"

namespace vigil::core {

using Json = nlohmann::ordered_json;

Json EventToJson(const Event& e);
// Fails with kInvalidArgument naming the field when a required field is
// missing or has the wrong type; the event is also checked by ValidateEvent.
Result<Event> EventFromJson(const Json& j);

}  // namespace vigil::core

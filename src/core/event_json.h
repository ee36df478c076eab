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
// Appends the same object as EventToJson(e).dump() (numbers may be spelled
// differently: 1.0 vs 1, 1e-05), without building a Json tree: the HTTP
// API's hot path. Without `coordinates` the latitude and longitude fields
// are left out (GeoJSON properties).
void AppendEventJson(std::string* out, const Event& e, bool coordinates = true);
// A GeoJSON Feature: id, Point geometry, the event's fields as properties.
void AppendEventFeature(std::string* out, const Event& e);
// JSON string literal of `s` (invalid UTF-8 replaced by U+FFFD).
void AppendJsonString(std::string* out, std::string_view s);

// Fails with kInvalidArgument naming the field when a required field is
// missing or has the wrong type; the event is also checked by ValidateEvent.
Result<Event> EventFromJson(const Json& j);

}  // namespace vigil::core

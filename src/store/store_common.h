// vigil::store — small pieces both backends share (not part of the store's
// interface: included by sqlite_store.cpp and postgres/pg_store.cpp only).
#pragma once

#include <string>
#include <string_view>

#include "core/date.h"
#include "core/event.h"

namespace vigil::store {

// Wall-clock time, ISO-8601 UTC to the second (ingested_at, imported_at,
// created_at: metadata that models never read).
std::string NowIsoUtc();

// A stored date, or the zero date when the text is not one.
core::Date DateOrZero(std::string_view s);

// `s` with LIKE's wildcards and the escape character escaped by '\'.
std::string EscapeLike(const std::string& s);

// Appends an event's links to other sources, as the stores aggregate them
// ("source U+001F id U+001F revision", joined by U+001E), after its own id,
// in (source, source_id) order.
void AppendLinks(std::string_view packed, core::Event* e);

}  // namespace vigil::store

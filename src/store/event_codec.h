// vigil::store — how the events table packs the fields no query filters on.
//
// Each column of a row costs SQLite work on every insert, whether it holds
// a value or NULL (about 25 ns a column, a third of a million-row import's
// writing time with 38 columns). Fields that are only ever read back with
// the whole event live in two packed columns:
//   detail       BLOB: date_end, date_precision, geo_precision, place_id,
//                location, admin1/2 p-codes, fatalities_low/high, hostages,
//                tags, notes, evidence_doc/start/end (format below);
//   actors_more  TEXT: actor1_original, actor2_original, assoc_actor1,
//                assoc_actor2, separated by U+001F (searchable with LIKE).
//
// detail, version 1: a version byte, then in order: date_end as a zig-zag
// varint of days after date_start; date precision and geo precision as
// one byte each; place_id as a zig-zag varint; texts as a varint length
// and bytes; optional counts as a presence byte and a zig-zag varint;
// tags as a varint count and texts; evidence offsets as zig-zag varints
// (-1: none).
#pragma once

#include <sqlite3.h>

#include <string>
#include <string_view>

#include "core/event.h"
#include "core/status.h"

namespace vigil::store {

void EncodeDetail(const core::Event& e, std::string* out);
// Fills the detail fields of *e (date_start must be set). A damaged or
// unknown blob is a kDatabase error.
core::Status DecodeDetail(std::string_view blob, core::Event* e);

// In actors_more, U+001B and U+001F inside a name are escaped (ESC '0',
// ESC '1'), so every name reads back exactly.
void EncodeActors(const core::Event& e, std::string* out);
void DecodeActors(std::string_view text, core::Event* e);

// SQL functions for migrating rows of the old layout:
//   vigil_pack_detail(date_start, date_end, date_precision, geo_precision,
//     place_id, location, admin1_pcode, admin2_pcode, fatalities_low,
//     fatalities_high, hostages, tags, notes, evidence_doc, evidence_start,
//     evidence_end)
//   vigil_pack_actors(actor1_original, actor2_original, assoc_actor1,
//     assoc_actor2)
core::Status RegisterCodecFunctions(sqlite3* db);

}  // namespace vigil::store

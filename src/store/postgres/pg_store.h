// vigil::store — the PostgreSQL + PostGIS backend of EventStore.
//
// Same contract as the SQLite backend (store.h); what differs is inside:
// events are plain columns with a PostGIS point (GiST-indexed) for box
// queries, imports are streamed with COPY inside one transaction (readers
// see the old state until it commits, then the new one), connections come
// from a pool, and two imports of different files may run at once.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace vigil::store {

// Opens the database at a postgresql:// URL (libpq's URI syntax). The
// database must exist; `vigil init` (Migrate) creates vigil's tables and
// the PostGIS extension in it.
core::Result<std::unique_ptr<EventStore>> OpenPgStore(const std::string& url);

}  // namespace vigil::store

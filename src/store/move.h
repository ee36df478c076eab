// vigil::store — moving a database between backends (`vigil migrate`):
// reference data, events with their ids, links and ingest times, source
// files, every stored source row, and model snapshots, written to the target
// in one transaction (all or nothing), then checked: counts and digests of
// both sides must agree.
//
// Thread-safety: one call at a time per pair of stores.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace vigil::store {

struct MoveReport {
  int64_t events = 0, links = 0, source_rows = 0, source_files = 0, snapshots = 0, places = 0;
  std::string events_fingerprint;  // EventsFingerprint, equal on both sides
  std::string digest;              // of every event, source row and snapshot, equal on both sides
  double seconds = 0;
};

// Moves `from` into `to`, which must be migrated and hold no events
// (kConflict otherwise: nothing is written). `progress(events_done)` is
// called now and then. On any error the target keeps no event.
core::Result<MoveReport> MoveDatabase(EventStore* from, EventStore* to,
                                      const std::function<void(int64_t)>& progress = nullptr);

// The digest MoveDatabase compares: every event (id order, all fields,
// links, ingest time), its source rows and every snapshot, hashed.
core::Result<std::string> StoreDigest(EventStore* st, MoveReport* counts);

}  // namespace vigil::store

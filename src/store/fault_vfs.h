// vigil::store — fault injection under SQLite: a VFS that wraps the
// default one and fails on purpose, so tests can show what vigil does when
// the disk fills, an fsync fails or a write is cut short (LevelDB's Env,
// for SQLite). Installed only by tests and tools that ask for it.
//
// FaultVfs::Install() registers it as the default VFS for the process; every
// connection opened afterwards goes through it. Arm() sets what fails next;
// Disarm() lets everything through again.
//
// Thread-safety: Arm/Disarm/counters from any thread (atomics).
#pragma once

#include <cstdint>

namespace vigil::store {

struct FaultPlan {
  // After this many more bytes are written to database, journal or WAL
  // files, writes fail with SQLITE_FULL (disk full). -1: never.
  int64_t fail_writes_after_bytes = -1;
  // The Nth following sync (1 = the next) fails with SQLITE_IOERR_FSYNC,
  // and every one after it. 0: never.
  int64_t fail_sync_at = 0;
};

class FaultVfs {
 public:
  // Registers the wrapping VFS as the process default (idempotent).
  static void Install();
  static void Arm(const FaultPlan& plan);
  static void Disarm();
  // Faults delivered since the last Arm() (Disarm keeps the count).
  static int64_t faults();
};

}  // namespace vigil::store

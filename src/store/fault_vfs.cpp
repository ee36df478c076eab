#include "store/fault_vfs.h"

#include <sqlite3.h>

#include <atomic>
#include <cstring>

namespace vigil::store {

namespace {

std::atomic<int64_t> g_write_budget{-1};   // bytes left before SQLITE_FULL; -1: unlimited
std::atomic<int64_t> g_sync_countdown{0};  // syncs left before failing; 0: never
std::atomic<bool> g_sync_failing{false};
std::atomic<int64_t> g_faults{0};

sqlite3_vfs* g_base = nullptr;
sqlite3_vfs g_vfs;

// A file of the wrapping VFS: the base file's methods, with Write and Sync
// checked first. The base file follows this struct in memory.
struct FaultFile {
  sqlite3_file base;  // pMethods of the wrapper
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

sqlite3_io_methods g_methods;

int WriteChecked(sqlite3_file* f, const void* buf, int amt, sqlite3_int64 off) {
  int64_t left = g_write_budget.load();
  while (left >= 0) {
    if (left < amt) {
      g_write_budget.store(0);
      ++g_faults;
      return SQLITE_FULL;
    }
    if (g_write_budget.compare_exchange_weak(left, left - amt)) break;
  }
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real()->pMethods->xWrite(ff->real(), buf, amt, off);
}

int SyncChecked(sqlite3_file* f, int flags) {
  if (g_sync_failing.load()) {
    ++g_faults;
    return SQLITE_IOERR_FSYNC;
  }
  if (g_sync_countdown.load() > 0 && --g_sync_countdown == 0) {
    g_sync_failing.store(true);
    ++g_faults;
    return SQLITE_IOERR_FSYNC;
  }
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real()->pMethods->xSync(ff->real(), flags);
}

int Close(sqlite3_file* f) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real()->pMethods ? ff->real()->pMethods->xClose(ff->real()) : SQLITE_OK;
}
int Read(sqlite3_file* f, void* b, int n, sqlite3_int64 o) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real()->pMethods->xRead(ff->real(), b, n, o);
}
int Truncate(sqlite3_file* f, sqlite3_int64 n) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real()->pMethods->xTruncate(ff->real(), n);
}
int FileSize(sqlite3_file* f, sqlite3_int64* n) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real()->pMethods->xFileSize(ff->real(), n);
}
int Lock(sqlite3_file* f, int l) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real()->pMethods->xLock(ff->real(), l);
}
int Unlock(sqlite3_file* f, int l) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real()->pMethods->xUnlock(ff->real(), l);
}
int CheckReservedLock(sqlite3_file* f, int* r) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real()->pMethods->xCheckReservedLock(ff->real(), r);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real()->pMethods->xFileControl(ff->real(), op, arg);
}
int SectorSize(sqlite3_file* f) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real()->pMethods->xSectorSize(ff->real());
}
int DeviceCharacteristics(sqlite3_file* f) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real()->pMethods->xDeviceCharacteristics(ff->real());
}
int ShmMap(sqlite3_file* f, int pg, int sz, int extend, void volatile** p) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real()->pMethods->xShmMap(ff->real(), pg, sz, extend, p);
}
int ShmLock(sqlite3_file* f, int off, int n, int flags) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real()->pMethods->xShmLock(ff->real(), off, n, flags);
}
void ShmBarrier(sqlite3_file* f) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  ff->real()->pMethods->xShmBarrier(ff->real());
}
int ShmUnmap(sqlite3_file* f, int del) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real()->pMethods->xShmUnmap(ff->real(), del);
}
int Fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** p) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real()->pMethods->xFetch(ff->real(), off, n, p);
}
int Unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real()->pMethods->xUnfetch(ff->real(), off, p);
}

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  std::memset(ff->real(), 0, static_cast<size_t>(g_base->szOsFile));
  const int rc = g_base->xOpen(g_base, name, ff->real(), flags, out_flags);
  if (rc != SQLITE_OK) {
    f->pMethods = nullptr;
    return rc;
  }
  f->pMethods = &g_methods;
  return SQLITE_OK;
}

}  // namespace

void FaultVfs::Install() {
  static const bool kDone = [] {
    g_base = sqlite3_vfs_find(nullptr);
    g_vfs = *g_base;
    g_vfs.zName = "vigil-fault";
    g_vfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + g_base->szOsFile;
    g_vfs.xOpen = Open;
    g_methods = {};
    g_methods.iVersion = 3;
    g_methods.xClose = Close;
    g_methods.xRead = Read;
    g_methods.xWrite = WriteChecked;
    g_methods.xTruncate = Truncate;
    g_methods.xSync = SyncChecked;
    g_methods.xFileSize = FileSize;
    g_methods.xLock = Lock;
    g_methods.xUnlock = Unlock;
    g_methods.xCheckReservedLock = CheckReservedLock;
    g_methods.xFileControl = FileControl;
    g_methods.xSectorSize = SectorSize;
    g_methods.xDeviceCharacteristics = DeviceCharacteristics;
    g_methods.xShmMap = ShmMap;
    g_methods.xShmLock = ShmLock;
    g_methods.xShmBarrier = ShmBarrier;
    g_methods.xShmUnmap = ShmUnmap;
    g_methods.xFetch = Fetch;
    g_methods.xUnfetch = Unfetch;
    sqlite3_vfs_register(&g_vfs, /*makeDflt=*/1);
    return true;
  }();
  (void)kDone;
}

void FaultVfs::Arm(const FaultPlan& plan) {
  g_faults = 0;
  g_sync_failing = false;
  g_sync_countdown = plan.fail_sync_at;
  g_write_budget = plan.fail_writes_after_bytes;
}

void FaultVfs::Disarm() {
  g_sync_failing = false;
  g_sync_countdown = 0;
  g_write_budget = -1;
}

int64_t FaultVfs::faults() { return g_faults.load(); }

}  // namespace vigil::store

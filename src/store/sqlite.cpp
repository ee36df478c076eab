#include "store/sqlite.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

namespace vigil::store {

void ConfigureSqliteOnce() {
  static const bool done = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)done;
}

using core::Result;
using core::Status;

Db::~Db() {
  cache_.reset();  // finalise the cached statements before closing
  if (db_) sqlite3_close_v2(db_);
}

Db& Db::operator=(Db&& o) noexcept {
  if (this != &o) {
    cache_.reset();
    if (db_) sqlite3_close_v2(db_);
    db_ = o.db_;
    cache_ = std::move(o.cache_);
    o.db_ = nullptr;
  }
  return *this;
}

Result<CachedStmt> Db::Cached(std::string_view sql) {
  if (!cache_) cache_ = std::make_unique<std::unordered_map<std::string, Stmt>>();
  auto it = cache_->find(std::string(sql));
  if (it == cache_->end()) {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, Prepare(sql));
    it = cache_->emplace(std::string(sql), std::move(st)).first;
  }
  return CachedStmt(&it->second);
}

Status SqliteStatus(int rc, std::string message) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return core::Unavailable("the database is busy (an import or another writer holds it); retry in a few seconds (" +
                               message + ")");
    case SQLITE_INTERRUPT:
      return core::Unavailable(
          "the query was stopped: it ran over its time budget; narrow it (a shorter date "
          "range, a region) or retry later");
    case SQLITE_FULL:
      return core::DatabaseError("the disk is full: " + message + " (free some space; nothing was half-written)");
    default:
      return core::DatabaseError(std::move(message));
  }
}

Status Db::Error(std::string_view what) const {
  if (!db_) return core::DatabaseError(std::string(what) + ": no connection");
  return SqliteStatus(sqlite3_extended_errcode(db_), std::string(what) + ": " + sqlite3_errmsg(db_));
}

Result<Db> Db::Open(const std::string& path, bool create) {
  // SQLite's memory statistics take a global mutex on every allocation;
  // vigil does not read them. Must run before SQLite initialises.
  static const bool kConfigured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)kConfigured;
  if (!create && path != ":memory:" && !std::filesystem::exists(path))
    return core::NotFound("database " + path + " does not exist (run 'vigil init --db " + path + "' first)");
  Db db;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db.db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db.db_ ? sqlite3_errmsg(db.db_) : sqlite3_errstr(rc);
    return core::DatabaseError("cannot open database " + path + ": " + msg +
                               " (check the path and that its folder is writable)");
  }
  sqlite3_busy_timeout(db.db_, 10000);
  sqlite3_extended_result_codes(db.db_, 1);
  VIGIL_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys=ON"));
  // 16 KiB pages for new databases (no effect on existing ones): a bulk
  // import writes a quarter of the pages and B-tree cells of 4 KiB pages,
  // and a page still holds only a few dozen events for random reads.
  VIGIL_RETURN_IF_ERROR(db.Exec("PRAGMA page_size=16384"));
  // A file that is not a database fails on its first read: check it here.
  auto mode = db.Prepare("PRAGMA journal_mode=WAL");
  if (!mode.ok())
    return core::DatabaseError("cannot open database " + path + ": " + mode.status().message() +
                               " (is it a vigil database?)");
  auto r = mode->Step();
  if (!r.ok())
    return core::DatabaseError("cannot open database " + path + ": " + r.status().message() +
                               " (is it a vigil database?)");
  // Durable commits: in WAL mode FULL syncs the log at every commit, so a
  // write acknowledged to a client (an HTTP 2xx, a report's reference, an
  // import's summary) survives a power failure. NORMAL could lose the last
  // commits. Imports commit once per file, so the cost is one sync each.
  VIGIL_RETURN_IF_ERROR(db.Exec("PRAGMA synchronous=FULL"));
  return db;
}

std::string Db::FilePath() const {
  const char* path = sqlite3_db_filename(db_, "main");
  return path ? path : "";
}

void StartWriteback(const std::string& path) {
#if defined(__linux__)
  if (path.empty()) return;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
  ::close(fd);
#else
  (void)path;
#endif
}

Status Db::Exec(std::string_view sql) {
  char* err = nullptr;
  const std::string s(sql);
  if (const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return SqliteStatus(rc, msg + " (in: " + s.substr(0, 80) + ")");
  }
  return Status::Ok();
}

Result<Stmt> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s, nullptr) != SQLITE_OK)
    return Error("prepare '" + std::string(sql.substr(0, 60)) + "'");
  return Stmt(db_, s);
}

Result<int64_t> Db::QueryInt(std::string_view sql) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, Prepare(sql));
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return core::NotFound("query returned no row");
  return st.Int(0);
}

Stmt::~Stmt() {
  if (s_) sqlite3_finalize(s_);
}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    if (s_) sqlite3_finalize(s_);
    db_ = o.db_;
    s_ = o.s_;
    o.s_ = nullptr;
  }
  return *this;
}

Stmt& Stmt::Bind(int i, int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}
Stmt& Stmt::Bind(int i, double v) {
  sqlite3_bind_double(s_, i, v);
  return *this;
}
Stmt& Stmt::Bind(int i, std::string_view v) {
  sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindStatic(int i, std::string_view v) {
  if (v.empty()) return BindNull(i);
  sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}
Stmt& Stmt::Bind(int i, const std::optional<int64_t>& v) { return v ? Bind(i, *v) : BindNull(i); }
Stmt& Stmt::BindNull(int i) {
  sqlite3_bind_null(s_, i);
  return *this;
}

Result<bool> Stmt::Step() {
  const int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string msg = sqlite3_errmsg(db_);
  sqlite3_reset(s_);
  return SqliteStatus(rc, std::move(msg));
}

Status Stmt::Run() {
  auto r = Step();
  Reset();
  return r.ok() ? Status::Ok() : r.status();
}

void Stmt::Reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}

std::string_view Stmt::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
  if (!p) return {};
  return {p, static_cast<size_t>(sqlite3_column_bytes(s_, col))};
}

Transaction::Transaction(Db* db) : db_(db) { begin_ = db_->Exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_ && begin_.ok()) (void)db_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  if (!begin_.ok()) return begin_;
  VIGIL_RETURN_IF_ERROR(db_->Exec("COMMIT"));
  done_ = true;
  return Status::Ok();
}

}  // namespace vigil::store

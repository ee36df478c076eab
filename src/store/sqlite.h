// vigil::store — thin RAII wrappers over the SQLite C API.
//
// Db owns a connection; Stmt a prepared statement; Transaction rolls back in
// its destructor unless Commit() succeeded. Errors come back as Status with
// SQLite's message. Not thread-safe: one Db per thread.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

namespace vigil::store {

class Stmt;

// The Status for an SQLite result code: kUnavailable for a busy or locked
// database and for an interrupted query (retry later), kDatabase otherwise
// (a full disk says so).
core::Status SqliteStatus(int rc, std::string message);

// Asks the OS to start writing a file's changed pages to disk (Linux;
// elsewhere nothing). A large transaction calls it, on another thread,
// before long work that follows its writes, so that COMMIT's sync finds
// little left to write. Durability still comes from COMMIT.
void StartWriteback(const std::string& path);

// Process-wide SQLite settings; call once at start, before any connection
// (turns off SQLite's memory statistics, whose global mutex every
// allocation takes, a contention point for a multi-threaded server).
void ConfigureSqliteOnce();

class CachedStmt;

class Db {
 public:
  Db() = default;
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  Db(Db&& o) noexcept : db_(o.db_), cache_(std::move(o.cache_)) { o.db_ = nullptr; }
  Db& operator=(Db&& o) noexcept;

  // Opens (creating if `create`) the database at `path`, sets WAL journal,
  // foreign keys and a busy timeout. Fails with kDatabase or kNotFound.
  static core::Result<Db> Open(const std::string& path, bool create);

  // Runs one or more statements that return no rows.
  core::Status Exec(std::string_view sql);
  core::Result<Stmt> Prepare(std::string_view sql);
  // A statement prepared once per connection and reused (parsing and
  // planning cost more than running most statements). The lease resets it
  // and clears its bindings when it ends. REQUIRES: one lease per statement
  // text at a time; `sql` from a small set of texts (each is kept).
  core::Result<CachedStmt> Cached(std::string_view sql);
  // Convenience: the first column of the first row as an integer.
  core::Result<int64_t> QueryInt(std::string_view sql);

  // The main database file's path ("" for an in-memory database).
  std::string FilePath() const;

  int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
  int Changes() const { return sqlite3_changes(db_); }
  sqlite3* raw() const { return db_; }
  core::Status Error(std::string_view what) const;

 private:
  sqlite3* db_ = nullptr;
  std::unique_ptr<std::unordered_map<std::string, Stmt>> cache_;
};

class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;

  // Binding uses 1-based indices, as SQLite does.
  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Stmt& Bind(int i, double v);
  Stmt& Bind(int i, std::string_view v);  // copied (SQLITE_TRANSIENT)
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const std::optional<int64_t>& v);
  Stmt& BindNull(int i);
  // Binds without copying ("" as NULL): `v` must stay valid until the
  // statement is stepped and reset.
  Stmt& BindStatic(int i, std::string_view v);
  // A BLOB, not copied: `v` must stay valid until the statement is reset.
  Stmt& BindBlobStatic(int i, std::string_view v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  // Binds "" as NULL.
  Stmt& BindText(int i, std::string_view v) { return v.empty() ? BindNull(i) : Bind(i, v); }

  // Steps once. Returns true when a row is available, false when done.
  core::Result<bool> Step();
  // Steps to completion (for statements with no rows), then resets.
  core::Status Run();
  void Reset();

  int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  double Double(int col) const { return sqlite3_column_double(s_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::string_view Text(int col) const;
  std::string_view Blob(int col) const {
    const void* p = sqlite3_column_blob(s_, col);
    return {static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s_, col))};
  }
  std::optional<int64_t> OptInt(int col) const { return IsNull(col) ? std::nullopt : std::optional<int64_t>(Int(col)); }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* s_ = nullptr;
};

class CachedStmt {
 public:
  explicit CachedStmt(Stmt* s) : s_(s) {}
  CachedStmt(CachedStmt&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  CachedStmt& operator=(CachedStmt&&) = delete;
  ~CachedStmt() {
    if (s_) s_->Reset();
  }
  Stmt& get() { return *s_; }

 private:
  Stmt* s_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Db* db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  const core::Status& begin_status() const { return begin_; }
  core::Status Commit();

 private:
  Db* db_;
  core::Status begin_;
  bool done_ = false;
};

}  // namespace vigil::store

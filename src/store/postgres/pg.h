// vigil::store::pg — a thin layer over libpq: connections from a pool,
// parameterised queries, streamed rows, COPY, and SQLSTATEs mapped to
// core::Status codes. Only the PostgreSQL backend includes it.
//
// Thread-safety: a Conn is used from one thread at a time; the pool is
// safe from any thread.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vigil::store::pg {

// Query parameters, sent as text (bytea ones in binary).
class Params {
 public:
  Params& Add(std::string_view v);
  Params& Add(const char* v) { return Add(std::string_view(v)); }
  Params& Add(const std::string& v) { return Add(std::string_view(v)); }
  Params& Add(int64_t v) { return Add(std::to_string(v)); }
  Params& Add(int v) { return Add(std::to_string(v)); }
  Params& Add(double v);
  Params& Add(const std::optional<int64_t>& v) { return v ? Add(*v) : AddNull(); }
  // "" as NULL (the stores keep absent texts as NULL).
  Params& AddText(std::string_view v) { return v.empty() ? AddNull() : Add(v); }
  Params& AddBytes(std::string_view v);
  Params& AddNull();
  int size() const { return static_cast<int>(values_.size()); }

  // For PQexecParams.
  std::vector<const char*> Pointers() const;
  std::vector<int> Lengths() const;
  const std::vector<int>& Formats() const { return formats_; }

 private:
  std::vector<std::string> values_;
  std::vector<bool> null_;
  std::vector<int> formats_;
};

// A query's rows. Columns are read by index; texts as PostgreSQL prints them.
class Rows {
 public:
  Rows() = default;
  explicit Rows(PGresult* r) : r_(r, &PQclear) {}
  int size() const { return r_ ? PQntuples(r_.get()) : 0; }
  bool IsNull(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  std::string_view Text(int row, int col) const {
    return {PQgetvalue(r_.get(), row, col), static_cast<size_t>(PQgetlength(r_.get(), row, col))};
  }
  int64_t Int(int row, int col) const;
  std::optional<int64_t> OptInt(int row, int col) const;
  double Double(int row, int col) const;
  // A bytea column sent in text form ("\x..." hex), decoded.
  std::string Bytes(int row, int col) const;

 private:
  std::shared_ptr<PGresult> r_;
};

class Conn {
 public:
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  // Connects (or takes an idle connection of the same URL from the
  // process's pool; it goes back there when this Conn is destroyed outside
  // a transaction). kUnavailable when the server cannot be reached.
  static core::Result<std::unique_ptr<Conn>> Open(const std::string& url);

  // Runs one or more statements without parameters.
  core::Status Exec(std::string_view sql);
  core::Result<Rows> Query(const std::string& sql, const Params& params = Params());
  core::Result<int64_t> QueryInt(const std::string& sql, const Params& params = Params());
  // Runs `sql` and hands each row to `fn` as it arrives (single-row mode);
  // stops the query when `fn` returns false.
  core::Status Stream(const std::string& sql, const Params& params, const std::function<bool(const Rows&)>& fn);
  // COPY ... FROM STDIN with `data` in COPY's text format.
  core::Status CopyIn(const std::string& copy_sql, std::string_view data);
  // The server stops any statement that runs longer (0: no limit).
  core::Status SetStatementTimeout(int64_t milliseconds);
  bool InTransaction() const;
  PGconn* raw() { return c_; }

 private:
  explicit Conn(PGconn* c, std::string url) : c_(c), url_(std::move(url)) {}
  core::Status Check(PGresult* r, const std::string& what);
  PGconn* c_;
  std::string url_;
  int64_t timeout_ms_ = 0;
};

// Runs `body` inside BEGIN ... COMMIT; rolls back when it or the commit
// fails, and returns that failure.
core::Status Transact(Conn& c, const std::function<core::Status()>& body);

// COPY text format: escapes a field (backslash, tab, newline, CR).
void AppendCopyText(std::string* out, std::string_view v);
// "\N" for "" (NULL), else the escaped text.
void AppendCopyTextOrNull(std::string* out, std::string_view v);
// A bytea field in COPY text format ("\\x" then hex).
void AppendCopyBytes(std::string* out, std::string_view v);

// Whether `url` names a PostgreSQL database.
bool IsPostgresUrl(std::string_view url);

// `url` fit to print: a password in it ("postgresql://user:secret@host")
// replaced by "***". Other URLs unchanged.
std::string RedactUrl(std::string_view url);

}  // namespace vigil::store::pg

#include "store/postgres/pg.h"

#include <charconv>
#include <cstdio>
#include <map>
#include <mutex>

#include "core/strings.h"

namespace vigil::store::pg {

using core::Result;
using core::Status;

namespace {

// Idle connections by URL. A connection goes back only when it is healthy
// and outside a transaction, with its session settings reset.
constexpr size_t kMaxIdlePerUrl = 32;
std::mutex pool_mu;
std::map<std::string, std::vector<PGconn*>>& Idle() {
  static auto* idle = new std::map<std::string, std::vector<PGconn*>>();
  return *idle;
}

PGconn* TakeIdle(const std::string& url) {
  std::lock_guard<std::mutex> lock(pool_mu);
  auto& v = Idle()[url];
  while (!v.empty()) {
    PGconn* c = v.back();
    v.pop_back();
    if (PQstatus(c) == CONNECTION_OK) return c;
    PQfinish(c);
  }
  return nullptr;
}

void GiveBack(const std::string& url, PGconn* c) {
  std::lock_guard<std::mutex> lock(pool_mu);
  auto& v = Idle()[url];
  if (v.size() < kMaxIdlePerUrl) {
    v.push_back(c);
    return;
  }
  PQfinish(c);
}

// SQLSTATE classes to Status codes: cancelled or timed out, serialisation
// failures and lost connections can be retried (kUnavailable); unique
// violations are conflicts.
core::Code CodeOf(std::string_view state) {
  if (state == "57014" || state == "40001" || state == "40P01" || state == "55P03" || core::StartsWith(state, "08") ||
      state == "57P01")
    return core::Code::kUnavailable;
  if (state == "23505") return core::Code::kConflict;
  if (state == "22P02" || state == "22007" || state == "22008") return core::Code::kInvalidArgument;
  return core::Code::kDatabase;
}

std::string FirstLine(const char* msg) {
  std::string s = msg ? msg : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Params& Params::Add(std::string_view v) {
  values_.emplace_back(v);
  null_.push_back(false);
  formats_.push_back(0);
  return *this;
}
Params& Params::Add(double v) {
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%.17g", v);
  return Add(std::string_view(buf, static_cast<size_t>(n)));
}
Params& Params::AddBytes(std::string_view v) {
  Add(v);
  formats_.back() = 1;
  return *this;
}
Params& Params::AddNull() {
  values_.emplace_back();
  null_.push_back(true);
  formats_.push_back(0);
  return *this;
}
std::vector<const char*> Params::Pointers() const {
  std::vector<const char*> p(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) p[i] = null_[i] ? nullptr : values_[i].c_str();
  return p;
}
std::vector<int> Params::Lengths() const {
  std::vector<int> l(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) l[i] = static_cast<int>(values_[i].size());
  return l;
}

int64_t Rows::Int(int row, int col) const {
  const std::string_view t = Text(row, col);
  int64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}
std::optional<int64_t> Rows::OptInt(int row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Int(row, col);
}
double Rows::Double(int row, int col) const {
  const std::string_view t = Text(row, col);
  double v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}
std::string Rows::Bytes(int row, int col) const {
  if (IsNull(row, col)) return {};
  size_t n = 0;
  unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(r_.get(), row, col)), &n);
  if (!raw) return {};
  std::string out(reinterpret_cast<const char*>(raw), n);
  PQfreemem(raw);
  return out;
}

Result<std::unique_ptr<Conn>> Conn::Open(const std::string& url) {
  PGconn* c = TakeIdle(url);
  if (!c) {
    c = PQconnectdb(url.c_str());
    if (!c) return core::Unavailable("cannot allocate a PostgreSQL connection");
    if (PQstatus(c) != CONNECTION_OK) {
      const std::string msg = FirstLine(PQerrorMessage(c));
      PQfinish(c);
      return core::Unavailable("cannot connect to PostgreSQL: " + msg +
                               " (check the URL, that the server runs and accepts this user)");
    }
    PQsetClientEncoding(c, "UTF8");
  }
  auto conn = std::unique_ptr<Conn>(new Conn(c, url));
  VIGIL_RETURN_IF_ERROR(conn->Exec("SET client_min_messages = warning"));
  return conn;
}

Conn::~Conn() {
  if (!c_) return;
  if (PQstatus(c_) == CONNECTION_OK && PQtransactionStatus(c_) == PQTRANS_IDLE &&
      (timeout_ms_ == 0 || SetStatementTimeout(0).ok())) {
    GiveBack(url_, c_);
    return;
  }
  PQfinish(c_);
}

Status Conn::Check(PGresult* r, const std::string& what) {
  const ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_SINGLE_TUPLE || s == PGRES_COPY_IN) return {};
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = FirstLine(r ? PQresultErrorMessage(r) : PQerrorMessage(c_));
  if (msg.empty()) msg = FirstLine(PQerrorMessage(c_));
  const core::Code code = state ? CodeOf(state) : core::Code::kUnavailable;
  if (code == core::Code::kUnavailable && state && std::string_view(state) == "57014")
    return Status(code, "query stopped: it ran past its time budget (" + msg + ")");
  return Status(code, "PostgreSQL: " + msg + (what.empty() ? "" : " (in " + what + ")"));
}

Status Conn::Exec(std::string_view sql) {
  PGresult* r = PQexec(c_, std::string(sql).c_str());
  Status s = Check(r, "");
  PQclear(r);
  return s;
}

Result<Rows> Conn::Query(const std::string& sql, const Params& params) {
  const auto ptrs = params.Pointers();
  const auto lens = params.Lengths();
  PGresult* r = PQexecParams(c_, sql.c_str(), params.size(), nullptr, ptrs.data(), lens.data(),
                             params.Formats().data(), 0);
  Status s = Check(r, sql.substr(0, 60));
  if (!s.ok()) {
    PQclear(r);
    return s;
  }
  return Rows(r);
}

Result<int64_t> Conn::QueryInt(const std::string& sql, const Params& params) {
  VIGIL_ASSIGN_OR_RETURN(Rows rows, Query(sql, params));
  if (rows.size() == 0 || rows.IsNull(0, 0)) return int64_t{0};
  return rows.Int(0, 0);
}

Status Conn::Stream(const std::string& sql, const Params& params, const std::function<bool(const Rows&)>& fn) {
  const auto ptrs = params.Pointers();
  const auto lens = params.Lengths();
  if (!PQsendQueryParams(c_, sql.c_str(), params.size(), nullptr, ptrs.data(), lens.data(), params.Formats().data(),
                         0))
    return core::Unavailable("PostgreSQL: " + FirstLine(PQerrorMessage(c_)));
  PQsetSingleRowMode(c_);
  Status status;
  bool stopped = false;
  while (PGresult* r = PQgetResult(c_)) {
    Rows rows(r);
    if (!status.ok() || stopped) continue;  // drain what is left
    status = Check(r, sql.substr(0, 60));
    if (!status.ok() || PQresultStatus(r) != PGRES_SINGLE_TUPLE) continue;
    if (!fn(rows)) {
      stopped = true;
      // Ask the server to stop sending; the rest is drained above.
      if (PGcancel* cancel = PQgetCancel(c_)) {
        char err[256];
        PQcancel(cancel, err, sizeof err);
        PQfreeCancel(cancel);
      }
    }
  }
  return stopped ? Status() : status;
}

Status Conn::CopyIn(const std::string& copy_sql, std::string_view data) {
  PGresult* r = PQexec(c_, copy_sql.c_str());
  if (!r || PQresultStatus(r) != PGRES_COPY_IN) {
    Status s = Check(r, "COPY");
    PQclear(r);
    return s.ok() ? core::DatabaseError("PostgreSQL did not start COPY") : s;
  }
  PQclear(r);
  constexpr size_t kPiece = 1 << 20;
  for (size_t at = 0; at < data.size(); at += kPiece) {
    const size_t n = std::min(kPiece, data.size() - at);
    if (PQputCopyData(c_, data.data() + at, static_cast<int>(n)) != 1)
      return core::Unavailable("PostgreSQL: " + FirstLine(PQerrorMessage(c_)));
  }
  if (PQputCopyEnd(c_, nullptr) != 1) return core::Unavailable("PostgreSQL: " + FirstLine(PQerrorMessage(c_)));
  Status status;
  while (PGresult* res = PQgetResult(c_)) {
    if (status.ok()) status = Check(res, copy_sql.substr(0, 40));
    PQclear(res);
  }
  return status;
}

Status Conn::SetStatementTimeout(int64_t milliseconds) {
  if (milliseconds == timeout_ms_) return {};
  VIGIL_RETURN_IF_ERROR(Exec("SET statement_timeout = " + std::to_string(milliseconds)));
  timeout_ms_ = milliseconds;
  return {};
}

bool Conn::InTransaction() const { return PQtransactionStatus(c_) != PQTRANS_IDLE; }

Status Transact(Conn& c, const std::function<Status()>& body) {
  VIGIL_RETURN_IF_ERROR(c.Exec("BEGIN"));
  Status s = body();
  if (s.ok()) s = c.Exec("COMMIT");
  if (!s.ok()) (void)c.Exec("ROLLBACK");
  return s;
}

void AppendCopyText(std::string* out, std::string_view v) {
  for (char c : v) {
    switch (c) {
      case '\\': *out += "\\\\"; break;
      case '\t': *out += "\\t"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      default: *out += c;
    }
  }
}

void AppendCopyTextOrNull(std::string* out, std::string_view v) {
  if (v.empty()) {
    *out += "\\N";
    return;
  }
  AppendCopyText(out, v);
}

void AppendCopyBytes(std::string* out, std::string_view v) {
  static const char* kHex = "0123456789abcdef";
  *out += "\\\\x";
  for (unsigned char c : v) {
    *out += kHex[c >> 4];
    *out += kHex[c & 15];
  }
}

bool IsPostgresUrl(std::string_view url) {
  return core::StartsWith(url, "postgresql://") || core::StartsWith(url, "postgres://");
}

std::string RedactUrl(std::string_view url) {
  std::string out(url);
  if (!IsPostgresUrl(url)) return out;
  const size_t scheme = out.find("://") + 3;
  const size_t at = out.find('@', scheme);
  if (at == std::string::npos) return out;
  const size_t colon = out.find(':', scheme);
  if (colon == std::string::npos || colon > at) return out;
  return out.substr(0, colon + 1) + "***" + out.substr(at);
}

}  // namespace vigil::store::pg

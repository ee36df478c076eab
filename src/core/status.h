// vigil::core — error values.
//
// What user input can cause is reported as a Status (or a Result<T>), never
// as an exception. One table of codes maps to CLI exit codes and, later, to
// HTTP statuses; every message says what went wrong and what to try next.
//
// Thread-safety: values; safe to copy between threads.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace vigil::core {

enum class Code {
  kOk = 0,
  kInvalidArgument,   // bad flag, malformed value given by the user
  kNotFound,          // a file, a place, an event that does not exist
  kParse,             // malformed input file (wrong header, binary, truncated)
  kIo,                // the OS refused a read or a write
  kDatabase,          // SQLite reported an error
  kPartial,           // an import kept the good rows and rejected others
  kConflict,          // the database is newer than this binary, or locked
  kUnauthenticated,   // no or bad credentials (HTTP 401)
  kPermissionDenied,  // credentials fine, role too low (HTTP 403)
  kTooLarge,          // input beyond a size or depth limit (HTTP 413)
  kRateLimited,       // too many requests from one client (HTTP 429)
  kUnavailable,       // busy or over budget for now: retry later (HTTP 503)
  kInternal,          // a bug: should never reach a user
};

// Process exit code for a status code (documented in docs/cli.md).
int ExitCode(Code code);
// HTTP status for a status code (documented in docs/http.md).
int HttpStatus(Code code);
// Stable lower-case name of a code ("invalid_argument", ...).
const char* CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "<code name>: <message>".
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
inline Status ParseError(std::string m) { return {Code::kParse, std::move(m)}; }
inline Status IoError(std::string m) { return {Code::kIo, std::move(m)}; }
inline Status DatabaseError(std::string m) { return {Code::kDatabase, std::move(m)}; }
inline Status Unauthenticated(std::string m) { return {Code::kUnauthenticated, std::move(m)}; }
inline Status PermissionDenied(std::string m) { return {Code::kPermissionDenied, std::move(m)}; }
inline Status TooLarge(std::string m) { return {Code::kTooLarge, std::move(m)}; }
inline Status RateLimited(std::string m) { return {Code::kRateLimited, std::move(m)}; }
inline Status Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
inline Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).ok() && "Result from an OK status has no value");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  // REQUIRES: ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace vigil::core

// Propagate a non-OK Status from an expression returning Status.
#define VIGIL_RETURN_IF_ERROR(expr)          \
  do {                                       \
    ::vigil::core::Status vigil_s_ = (expr); \
    if (!vigil_s_.ok()) return vigil_s_;     \
  } while (0)

#define VIGIL_CONCAT_INNER_(a, b) a##b
#define VIGIL_CONCAT_(a, b) VIGIL_CONCAT_INNER_(a, b)
// Assign the value of a Result expression to `lhs`, or return its Status.
#define VIGIL_ASSIGN_OR_RETURN(lhs, expr)                                                         \
  auto VIGIL_CONCAT_(vigil_r_, __LINE__) = (expr);                                                \
  if (!VIGIL_CONCAT_(vigil_r_, __LINE__).ok()) return VIGIL_CONCAT_(vigil_r_, __LINE__).status(); \
  lhs = std::move(VIGIL_CONCAT_(vigil_r_, __LINE__)).value()

#include "core/status.h"

namespace vigil::core {

int ExitCode(Code code) {
  switch (code) {
    case Code::kOk:
      return 0;
    case Code::kInvalidArgument:
      return 2;
    case Code::kNotFound:
      return 3;
    case Code::kParse:
      return 4;
    case Code::kIo:
      return 5;
    case Code::kDatabase:
      return 6;
    case Code::kPartial:
      return 7;
    case Code::kConflict:
      return 8;
    case Code::kUnauthenticated:
      return 9;
    case Code::kPermissionDenied:
      return 10;
    case Code::kTooLarge:
      return 11;
    case Code::kRateLimited:
      return 12;
    case Code::kUnavailable:
      return 13;
    case Code::kInternal:
      return 70;
  }
  return 70;
}

int HttpStatus(Code code) {
  switch (code) {
    case Code::kOk:
      return 200;
    case Code::kInvalidArgument:
      return 400;
    case Code::kParse:
      return 400;
    case Code::kNotFound:
      return 404;
    case Code::kConflict:
      return 409;
    case Code::kUnauthenticated:
      return 401;
    case Code::kPermissionDenied:
      return 403;
    case Code::kPartial:
      return 422;
    case Code::kTooLarge:
      return 413;
    case Code::kRateLimited:
      return 429;
    case Code::kUnavailable:
      return 503;
    case Code::kIo:
    case Code::kDatabase:
    case Code::kInternal:
      return 500;
  }
  return 500;
}

const char* CodeName(Code code) {
  switch (code) {
    case Code::kOk:
      return "ok";
    case Code::kInvalidArgument:
      return "invalid_argument";
    case Code::kNotFound:
      return "not_found";
    case Code::kParse:
      return "parse_error";
    case Code::kIo:
      return "io_error";
    case Code::kDatabase:
      return "database_error";
    case Code::kPartial:
      return "partial";
    case Code::kConflict:
      return "conflict";
    case Code::kUnauthenticated:
      return "unauthenticated";
    case Code::kPermissionDenied:
      return "permission_denied";
    case Code::kTooLarge:
      return "payload_too_large";
    case Code::kRateLimited:
      return "rate_limited";
    case Code::kUnavailable:
      return "unavailable";
    case Code::kInternal:
      return "internal";
  }
  return "internal";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(CodeName(code_)) + ": " + message_;
}

}  // namespace vigil::core

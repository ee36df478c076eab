// vigil::server — the HTTP/1.1 transport: sockets, parsing, limits and
// deadlines, on Boost.Beast (asio, a few I/O threads). It reads whole
// requests without holding a worker thread, so slow or idle clients cost a
// socket and a little memory, never a handler thread:
//   - headers must arrive within `header_timeout_s` of the wait starting,
//     whatever the pace (a trickle cannot extend it), and fit in
//     `max_header_bytes` and `max_header_fields` (else 431);
//   - the body, Content-Length or chunked, is counted while it is read and
//     refused past `max_body_bytes` (413), and must arrive by a deadline set
//     from its size (408 after it);
//   - a client address holds at most `max_connections_per_client`
//     connections, and all clients `max_connections` (more are answered 503
//     and closed);
//   - the port is bound exclusively (no SO_REUSEPORT): a second server on a
//     port in use fails to start.
// Complete requests go to the Dispatch function, which answers through the
// callback it is given, from any thread (the server runs handlers on its
// Scheduler).
//
// Thread-safety: Create/Bind/Run from one thread; Stop() from any thread.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "core/status.h"
#include "server/http_message.h"

namespace vigil::server {

struct TransportOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;  // 0: any free port
  int io_threads = 2;
  size_t max_body_bytes = 2 << 20;
  size_t max_header_bytes = 16 << 10;  // request line and headers
  int max_header_fields = 100;
  size_t max_target_bytes = 8 << 10;  // longer request targets get 414
  int header_timeout_s = 10;          // per request, from the wait's start
  int body_timeout_s = 15;            // plus 1 s per 32 KiB expected
  int write_timeout_s = 15;
  int max_requests_per_connection = 10000;
  int max_connections = 4096;
  int max_connections_per_client = 64;
  Headers default_headers;  // added to every response that lacks them
};

using Reply = std::function<void(Response)>;
// Handles one request; calls `reply` exactly once, from any thread.
using Dispatch = std::function<void(Request req, Reply reply)>;

class Transport {
 public:
  static core::Result<std::unique_ptr<Transport>> Create(const TransportOptions& opt, Dispatch dispatch);
  ~Transport();

  // Binds and listens. Fails with kConflict when the address is in use,
  // kIo for other socket errors.
  core::Status Bind();
  int port() const;
  // Serves until Stop() (or, with `stop_on_signals`, SIGINT/SIGTERM).
  core::Status Run(bool stop_on_signals = false);
  void Stop();

  // Connections open now (for metrics and tests).
  int open_connections() const;

 private:
  struct Impl;
  explicit Transport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Parses one complete request from `raw` with the limits of `opt`, as the
// transport does on a socket (for tests and fuzzing, which drive the whole
// pipeline in process). Fails with kTooLarge past a size limit and
// kInvalidArgument for anything that is not a complete HTTP/1.1 request.
core::Result<Request> ParseRequest(std::string_view raw, const TransportOptions& opt, const std::string& client);

// {"code": code, "message": message} as a response.
Response ErrorResponse(int status, const std::string& code, const std::string& message);

}  // namespace vigil::server

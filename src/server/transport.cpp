#include "server/transport.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/event_json.h"
#include "core/url.h"

namespace vigil::server {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

Response ErrorResponse(int status, const std::string& code, const std::string& message) {
  Response r;
  r.status = status;
  std::string body = "{\"code\":";
  core::AppendJsonString(&body, code);
  body += ",\"message\":";
  core::AppendJsonString(&body, message);
  body += "}";
  r.set_content(std::move(body), "application/json");
  return r;
}

namespace {

constexpr size_t kBodyBytesPerSecond = 32 << 10;  // slowest body pace allowed for the deadline

// Connection counts per client address and in all, for the caps.
class ConnectionCounter {
 public:
  ConnectionCounter(int max_total, int max_per_client) : max_total_(max_total), max_per_client_(max_per_client) {}
  // Counts a new connection from `client`; false (not counted) over a cap.
  bool TryAdd(const std::string& client, std::string* why) {
    std::lock_guard<std::mutex> lock(mu_);
    if (total_ >= max_total_) {
      *why = "the server has too many open connections; retry shortly";
      return false;
    }
    int& n = per_client_[client];
    if (n >= max_per_client_) {
      *why = "too many open connections from this address (at most " + std::to_string(max_per_client_) +
             "); close some and retry";
      return false;
    }
    ++n;
    ++total_;
    return true;
  }
  void Remove(const std::string& client) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = per_client_.find(client);
    if (it != per_client_.end() && --it->second <= 0) per_client_.erase(it);
    --total_;
  }
  int total() const {
    std::lock_guard<std::mutex> lock(mu_);
    return total_;
  }

 private:
  const int max_total_, max_per_client_;
  mutable std::mutex mu_;
  int total_ = 0;
  std::unordered_map<std::string, int> per_client_;
};

struct Shared {
  TransportOptions opt;
  Dispatch dispatch;
  ConnectionCounter counter;
  Shared(const TransportOptions& o, Dispatch d)
      : opt(o), dispatch(std::move(d)), counter(o.max_connections, o.max_connections_per_client) {}
};

// Splits the request target into the decoded path and parameters.
core::Status FillTarget(std::string_view target, Request* req) {
  const size_t q = target.find('?');
  VIGIL_ASSIGN_OR_RETURN(req->path, core::PercentDecode(target.substr(0, q), false));
  if (req->path.empty() || req->path[0] != '/')
    return core::InvalidArgument("the request target must be a path starting with '/'");
  if (req->path.find('\0') != std::string::npos) return core::InvalidArgument("the path contains a NUL byte");
  if (q != std::string_view::npos) {
    VIGIL_ASSIGN_OR_RETURN(req->params, core::ParseQuery(target.substr(q + 1)));
  }
  return core::Status::Ok();
}

using Parser = http::request_parser<http::string_body>;

void SetLimits(const TransportOptions& opt, Parser* p) {
  p->header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
  p->body_limit(opt.max_body_bytes);
}

// The checks on a parsed header that Beast does not make: field count and
// target length. Sets the HTTP status to answer when they fail.
core::Status CheckHeader(const TransportOptions& opt, const Parser& p, int* http_status) {
  const auto& h = p.get();
  if (std::distance(h.begin(), h.end()) > opt.max_header_fields) {
    *http_status = 431;
    return core::TooLarge("more than " + std::to_string(opt.max_header_fields) + " header fields");
  }
  if (h.target().size() > opt.max_target_bytes) {
    *http_status = 414;
    return core::TooLarge("the request URI is too long (at most " + std::to_string(opt.max_target_bytes) + " bytes)");
  }
  return core::Status::Ok();
}

// A complete message as the handlers' Request.
core::Status ToRequest(http::request<http::string_body>&& msg, const std::string& client, Request* req) {
  req->method = std::string(msg.method_string());
  req->target = std::string(msg.target());
  req->remote_addr = client;
  VIGIL_RETURN_IF_ERROR(FillTarget(req->target, req));
  for (const auto& f : msg) req->headers.emplace(std::string(f.name_string()), std::string(f.value()));
  req->body = std::move(msg.body());
  return core::Status::Ok();
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<Shared> shared, std::string client)
      : stream_(std::move(socket)), shared_(std::move(shared)), client_(std::move(client)) {}
  ~Session() { shared_->counter.Remove(client_); }

  void Start() { ReadHeader(); }

 private:
  const TransportOptions& opt() const { return shared_->opt; }

  void ReadHeader() {
    parser_.emplace();
    SetLimits(opt(), &*parser_);
    stream_.expires_after(std::chrono::seconds(opt().header_timeout_s));
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return FailRead(ec, true);
    const auto& h = parser_->get();
    int http_status = 400;
    if (core::Status s = CheckHeader(opt(), *parser_, &http_status); !s.ok())
      return SendError(http_status, http_status == 414 ? "uri_too_long" : "header_fields_too_large", s.message());
    if (parser_->is_done()) return OnRequest();
    const auto length = parser_->content_length();
    const size_t expected = length ? static_cast<size_t>(*length) : opt().max_body_bytes;
    stream_.expires_after(
        std::chrono::seconds(opt().body_timeout_s + static_cast<int>(expected / kBodyBytesPerSecond)));
    auto expect = h[http::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, h.version());
      http::async_write(stream_, *cont, [self = shared_from_this(), cont](beast::error_code wec, size_t) {
        if (wec) return self->Close();
        self->ReadBody();
      });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->FailRead(ec, false);
      self->OnRequest();
    });
  }

  // A read that ended early: answer what can be answered, then close.
  void FailRead(beast::error_code ec, bool in_header) {
    if (ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
        ec == net::error::operation_aborted)
      return Close();
    if (ec == beast::error::timeout) {
      if (in_header && buffer_.size() == 0) return Close();  // idle keep-alive connection
      return SendError(
          408, "request_timeout",
          in_header ? "the request headers did not arrive in time" : "the request body did not arrive in time");
    }
    if (ec == http::error::header_limit)
      return SendError(431, "header_fields_too_large",
                       "the request headers exceed " + std::to_string(opt().max_header_bytes) + " bytes");
    if (ec == http::error::body_limit)
      return SendError(413, "payload_too_large",
                       "the request body exceeds " + std::to_string(opt().max_body_bytes) + " bytes");
    SendError(400, "bad_request", "the request could not be read as HTTP/1.1 (" + ec.message() + ")");
  }

  void OnRequest() {
    stream_.expires_never();  // the handler has its own budget
    auto msg = parser_->release();
    keep_alive_ = msg.keep_alive() && ++served_ < opt().max_requests_per_connection;
    version_ = msg.version();
    Request req;
    if (core::Status s = ToRequest(std::move(msg), client_, &req); !s.ok())
      return SendError(400, "invalid_argument", s.message());
    head_ = req.method == "HEAD";
    auto self = shared_from_this();
    shared_->dispatch(std::move(req), [self](Response res) {
      net::post(self->stream_.get_executor(), [self, res = std::move(res)]() mutable { self->Write(std::move(res)); });
    });
  }

  void SendError(int status, const std::string& code, const std::string& message) {
    keep_alive_ = false;
    head_ = false;
    Write(ErrorResponse(status, code, message));
  }

  void Write(Response r) {
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(version_ ? version_ : 11);
    res->result(static_cast<unsigned>(r.status > 0 ? r.status : 200));
    for (const auto& [k, v] : r.headers) res->insert(k, v);
    for (const auto& [k, v] : opt().default_headers)
      if (r.headers.count(k) == 0) res->set(k, v);
    const size_t length = r.body.size();
    if (!head_) res->body() = std::move(r.body);
    res->keep_alive(keep_alive_);
    // A 304 or 204 has no body and says nothing of its length.
    if (r.status != 304 && r.status != 204) res->content_length(length);
    stream_.expires_after(std::chrono::seconds(opt().write_timeout_s));
    http::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, size_t) {
      if (ec || !self->keep_alive_) return self->Close();
      self->ReadHeader();
    });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<Shared> shared_;
  std::string client_;
  std::optional<Parser> parser_;
  int served_ = 0;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_ = false;
};

}  // namespace

core::Result<Request> ParseRequest(std::string_view raw, const TransportOptions& opt, const std::string& client) {
  Parser p;
  SetLimits(opt, &p);
  beast::error_code ec;
  size_t used = 0;
  while (!p.is_done() && used < raw.size()) {
    const size_t n = p.put(net::buffer(raw.data() + used, raw.size() - used), ec);
    if (ec == http::error::need_more) {
      if (n == 0) break;
      ec = {};
    }
    if (ec) break;
    used += n;
    if (p.is_header_done()) {
      int http_status = 400;
      VIGIL_RETURN_IF_ERROR(CheckHeader(opt, p, &http_status));
    }
  }
  if (!ec && !p.is_done()) p.put_eof(ec);
  if (ec == http::error::header_limit || ec == http::error::body_limit)
    return core::TooLarge("the request exceeds a size limit (" + ec.message() + ")");
  if (ec || !p.is_done()) return core::InvalidArgument("not a complete HTTP/1.1 request (" + ec.message() + ")");
  Request req;
  VIGIL_RETURN_IF_ERROR(ToRequest(p.release(), client, &req));
  return req;
}

struct Transport::Impl {
  std::shared_ptr<Shared> shared;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::optional<net::signal_set> signals;
  int port = 0;
  std::atomic<bool> stopped{false};

  Impl(const TransportOptions& o, Dispatch d) : shared(std::make_shared<Shared>(o, std::move(d))) {}

  void Accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
        // EMFILE and the like: keep accepting after a short pause.
        auto timer = std::make_shared<net::steady_timer>(ioc, std::chrono::milliseconds(50));
        timer->async_wait([this, timer](beast::error_code) { Accept(); });
        return;
      }
      OnAccept(std::move(socket));
      Accept();
    });
  }

  void OnAccept(tcp::socket socket) {
    beast::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    if (ec) return;
    const std::string client = endpoint.address().to_string();
    socket.set_option(tcp::no_delay(true), ec);
    std::string why;
    if (!shared->counter.TryAdd(client, &why)) {
      RefuseConnection(std::move(socket), why);
      return;
    }
    std::make_shared<Session>(std::move(socket), shared, client)->Start();
  }

  // Answers 503 without waiting on the client, then closes.
  static void RefuseConnection(tcp::socket socket, const std::string& why) {
    Response r = ErrorResponse(503, "unavailable", why);
    std::string raw =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 5\r\n"
        "Connection: close\r\nContent-Length: " +
        std::to_string(r.body.size()) + "\r\n\r\n" + r.body;
    beast::error_code ec;
    socket.non_blocking(true, ec);
    socket.write_some(net::buffer(raw), ec);
    socket.shutdown(tcp::socket::shutdown_both, ec);
    socket.close(ec);
  }
};

Transport::Transport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Transport::~Transport() { Stop(); }

core::Result<std::unique_ptr<Transport>> Transport::Create(const TransportOptions& opt, Dispatch dispatch) {
  if (opt.io_threads < 1 || opt.io_threads > 64) return core::InvalidArgument("io threads must be 1..64");
  if (opt.max_connections_per_client < 1 || opt.max_connections < 1)
    return core::InvalidArgument("connection limits must be at least 1");
  if (opt.header_timeout_s < 1 || opt.body_timeout_s < 1 || opt.write_timeout_s < 1)
    return core::InvalidArgument("timeouts must be at least 1 s");
  return std::unique_ptr<Transport>(new Transport(std::make_unique<Impl>(opt, std::move(dispatch))));
}

core::Status Transport::Bind() {
  const auto& o = impl_->shared->opt;
  const std::string where = o.bind + ":" + std::to_string(o.port);
  beast::error_code ec;
  const auto address = net::ip::make_address(o.bind == "localhost" ? "127.0.0.1" : o.bind, ec);
  if (ec) return core::InvalidArgument("--bind '" + o.bind + "' is not an IP address (e.g. 127.0.0.1)");
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(o.port));
  auto& acc = impl_->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (ec) return core::IoError("cannot open a socket for " + where + ": " + ec.message());
  // SO_REUSEADDR lets a restarted server bind while old connections sit in
  // TIME_WAIT; on Linux it never lets two servers listen on one port.
  acc.set_option(net::socket_base::reuse_address(true), ec);
  acc.bind(endpoint, ec);
  if (ec == net::error::address_in_use)
    return core::Status(core::Code::kConflict,
                        where +
                            " is already in use (another vigil serve?); stop it or choose another --port "
                            "(--port 0 picks a free one)");
  if (ec) return core::IoError("cannot listen on " + where + ": " + ec.message());
  acc.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return core::IoError("cannot listen on " + where + ": " + ec.message());
  impl_->port = acc.local_endpoint().port();
  return core::Status::Ok();
}

int Transport::port() const { return impl_->port; }

int Transport::open_connections() const { return impl_->shared->counter.total(); }

core::Status Transport::Run(bool stop_on_signals) {
  if (!impl_->acceptor.is_open()) return core::Internal("Run() before Bind()");
  if (stop_on_signals) {
    impl_->signals.emplace(impl_->ioc, SIGINT, SIGTERM);
    impl_->signals->async_wait([this](beast::error_code ec, int) {
      if (!ec) Stop();
    });
  }
  impl_->Accept();
  std::vector<std::thread> extra;
  for (int i = 1; i < impl_->shared->opt.io_threads; ++i) extra.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : extra) t.join();
  return core::Status::Ok();
}

void Transport::Stop() {
  if (impl_->stopped.exchange(true)) return;
  net::post(impl_->ioc, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
    if (impl_->signals) impl_->signals->cancel(ec);
  });
  impl_->ioc.stop();
}

}  // namespace vigil::server

// A raw TCP client for tests that must send what no HTTP library would:
// half a request, a trickle, a chunked body past the limit, bad headers.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace vigil::testing {

class RawConn {
 public:
  // Connects to 127.0.0.1:port from `source` (any 127.x.y.z address works
  // on Linux loopback, so a test can act as several clients).
  RawConn(int port, const std::string& source = "127.0.0.1") {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in src{};
    src.sin_family = AF_INET;
    ::inet_pton(AF_INET, source.c_str(), &src.sin_addr);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&src), sizeof src);
    sockaddr_in dst{};
    dst.sin_family = AF_INET;
    dst.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
    ok_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&dst), sizeof dst) == 0;
  }
  ~RawConn() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConn(const RawConn&) = delete;
  RawConn& operator=(const RawConn&) = delete;

  bool connected() const { return ok_; }
  // False once the peer has closed or reset the connection.
  bool Send(const std::string& data) {
    size_t off = 0;
    while (off < data.size()) {
      const ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }
  // Reads until the peer closes, `wait_ms` passes with nothing new, or a
  // whole response (headers + Content-Length body) has arrived.
  std::string ReadResponse(int wait_ms) {
    std::string out;
    char buf[65536];
    while (true) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, wait_ms) <= 0) break;
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      out.append(buf, static_cast<size_t>(n));
      if (Complete(out)) break;
    }
    return out;
  }
  // True when the peer has closed the connection (waits up to wait_ms).
  bool PeerClosed(int wait_ms) {
    if (closed_) return true;
    char buf[4096];
    pollfd p{fd_, POLLIN, 0};
    while (::poll(&p, 1, wait_ms) > 0) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return closed_ = true;
    }
    return false;
  }

  // The status code of a raw response ("HTTP/1.1 413 ..." -> 413), or 0.
  static int Status(const std::string& response) {
    if (response.size() < 12 || response.compare(0, 5, "HTTP/") != 0) return 0;
    return std::atoi(response.c_str() + 9);
  }

 private:
  static bool Complete(const std::string& s) {
    const size_t end = s.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    const size_t cl = s.find("Content-Length: ");
    if (cl == std::string::npos || cl > end) return true;
    return s.size() >= end + 4 + std::stoul(s.substr(cl + 16));
  }
  int fd_ = -1;
  bool ok_ = false;
  bool closed_ = false;
};

}  // namespace vigil::testing

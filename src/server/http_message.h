// vigil::server — an HTTP request and response as the handlers see them:
// plain values, filled by the transport (transport.h) and read back by it.
// Header names compare case-insensitively; query parameters are decoded.
//
// Thread-safety: values; one handler owns a request and its response.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/url.h"

namespace vigil::server {

struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
  using is_transparent = void;
};

using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;
using Params = core::QueryParams;

struct Request {
  std::string method;  // "GET", "POST", ... (HEAD is served as GET)
  std::string target;  // the request target as sent ("/a/b?x=1")
  std::string path;    // percent-decoded path, without the query
  Params params;       // decoded query parameters, in order
  Headers headers;
  std::string body;         // whole body (chunked bodies decoded), within the limit
  std::string remote_addr;  // the peer's IP address
  // [0] the path; [1..] the path segments the route's {} placeholders matched.
  std::vector<std::string> matches;

  bool has_param(const std::string& name) const { return params.count(name) > 0; }
  // The first value of `name`, or "".
  std::string get_param_value(const std::string& name) const;
  bool has_header(const std::string& name) const { return headers.count(name) > 0; }
  // The first value of header `name`, or "".
  std::string get_header_value(const std::string& name) const;
};

struct Response {
  int status = -1;  // -1: not set (200 once a handler returns OK)
  Headers headers;
  std::string body;

  // Replaces header `name` with one value.
  void set_header(const std::string& name, const std::string& value);
  void set_content(std::string content, const std::string& content_type);
};

}  // namespace vigil::server

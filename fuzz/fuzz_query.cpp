// libFuzzer target: the query parsers — filters (bbox, near, dates, lists,
// actors, types), OGC bbox/datetime/cursor — reached as a query string on
// the read endpoints that take them. The input is the query string.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  const std::string query(reinterpret_cast<const char*>(data), size);
  if (query.find_first_of(" \r\n") != std::string::npos) return 0;  // not a request target
  static const char* kPaths[] = {"/api/v1/events", "/api/v1/stats", "/ogc/collections/events/items",
                                 "/api/v1/forecast"};
  auto* server = vigil::fuzz::HttpServer();
  for (const char* path : kPaths) {
    const std::string raw = std::string("GET ") + path + "?" + query + " HTTP/1.1\r\nHost: f\r\n\r\n";
    std::string body;
    const int status = server->HandleRawForTesting(raw, &body);
    if (status < 100 || status > 599) __builtin_trap();
  }
  return 0;
}

// libFuzzer target: the HTTP request path in process — request bytes ->
// parser and limits -> router -> authentication -> handlers -> response,
// against a database with the bundled events and public reads. Every
// request gets a status from 100 to 599 and the process survives.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string body;
  const int status = vigil::fuzz::HttpServer()->HandleRawForTesting(
      std::string_view(reinterpret_cast<const char*>(data), size), &body);
  if (status < 100 || status > 599) __builtin_trap();
  return 0;
}

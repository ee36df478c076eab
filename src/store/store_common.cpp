#include "store/store_common.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <tuple>

#include "core/strings.h"

namespace vigil::store {

std::string NowIsoUtc() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

core::Date DateOrZero(std::string_view s) {
  auto d = core::Date::Parse(s);
  return d.ok() ? *d : core::Date();
}

std::string EscapeLike(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

void AppendLinks(std::string_view packed, core::Event* e) {
  const size_t own = e->sources.size();
  for (auto link : core::Split(packed, '\x1e')) {
    auto parts = core::Split(link, '\x1f');
    if (parts.size() != 3) continue;
    int64_t rev = 1;
    core::ParseInt64(parts[2], &rev);
    e->sources.push_back({std::string(parts[0]), std::string(parts[1]), static_cast<int>(rev)});
  }
  std::sort(e->sources.begin() + static_cast<std::ptrdiff_t>(own), e->sources.end(), [](const auto& a, const auto& b) {
    return std::tie(a.source, a.source_id) < std::tie(b.source, b.source_id);
  });
}

}  // namespace vigil::store

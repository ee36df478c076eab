#include "core/clock.h"

#include <chrono>
#include <cstdio>

#include "core/date.h"
#include "core/strings.h"

namespace vigil::core {

int64_t SystemClock::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

const SystemClock& SystemClock::Get() {
  static const SystemClock kClock;
  return kClock;
}

std::string FormatUtc(int64_t t) {
  int64_t days = t / 86400, rem = t % 86400;
  if (rem < 0) rem += 86400, --days;
  int y = 0, m = 0, d = 0;
  CivilFromDays(static_cast<int32_t>(days), &y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, static_cast<int>(rem / 3600),
                static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60));
  return buf;
}

namespace {
bool Digits(std::string_view s, size_t at, size_t n, int* out) {
  if (at + n > s.size()) return false;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}
}  // namespace

Result<int64_t> ParseUtc(std::string_view text) {
  const std::string_view s = Trim(text);
  auto bad = [&] {
    return InvalidArgument("time '" + std::string(s.substr(0, 40)) +
                           "' is not YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM] (e.g. 2025-07-01T06:30Z)");
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!Digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &mo) || s[7] != '-' ||
      !Digits(s, 8, 2, &d))
    return bad();
  auto date = Date::FromYmd(y, mo, d);
  if (!date.ok()) return date.status();
  size_t i = 10;
  if (i < s.size()) {
    if (s[i] != 'T' && s[i] != ' ') return bad();
    if (!Digits(s, i + 1, 2, &h) || i + 3 >= s.size() || s[i + 3] != ':' || !Digits(s, i + 4, 2, &mi)) return bad();
    i += 6;
    if (i < s.size() && s[i] == ':') {
      if (!Digits(s, i + 1, 2, &sec)) return bad();
      i += 3;
      if (i < s.size() && s[i] == '.') {  // fractions of a second are dropped
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      }
    }
    if (h > 23 || mi > 59 || sec > 60) return bad();
  }
  int64_t offset = 0;
  if (i < s.size()) {
    if (s[i] == 'Z' && i + 1 == s.size()) {
      ++i;
    } else if ((s[i] == '+' || s[i] == '-') && i + 6 == s.size() && s[i + 3] == ':') {
      int oh = 0, om = 0;
      if (!Digits(s, i + 1, 2, &oh) || !Digits(s, i + 4, 2, &om) || oh > 14 || om > 59) return bad();
      offset = (s[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
      i = s.size();
    } else {
      return bad();
    }
  }
  return static_cast<int64_t>(date->days()) * 86400 + h * 3600 + mi * 60 + sec - offset;
}

Result<int64_t> ParseDuration(std::string_view text) {
  const std::string_view s = Trim(text);
  if (s.size() < 2) return InvalidArgument("duration '" + std::string(s) + "' needs a unit: s, m, h or d (e.g. 15m)");
  int64_t n = 0;
  if (!ParseInt64(s.substr(0, s.size() - 1), &n) || n < 0 || n > 10LL * 365 * 86400)
    return InvalidArgument("duration '" + std::string(s) + "' is not a count and a unit (e.g. 15m, 1h, 2d)");
  switch (s.back()) {
    case 's':
      return n;
    case 'm':
      return n * 60;
    case 'h':
      return n * 3600;
    case 'd':
      return n * 86400;
    default:
      return InvalidArgument("duration '" + std::string(s) + "': the unit must be s, m, h or d");
  }
}

}  // namespace vigil::core

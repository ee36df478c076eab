#include "core/date.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>

#include "core/strings.h"

namespace vigil::core {

int32_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

void CivilFromDays(int32_t z, int* year, int* month, int* day) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  *year = y + (m <= 2);
  *month = static_cast<int>(m);
  *day = static_cast<int>(d);
}

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[static_cast<size_t>(month - 1)];
}

Result<Date> Date::FromYmd(int year, int month, int day) {
  if (year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= DaysInMonth(year, month))
    return Date(DaysFromCivil(year, month, day));
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  if (year < 1 || year > 9999) return InvalidArgument(std::string("impossible date ") + buf + " (year out of range)");
  if (month < 1 || month > 12) return InvalidArgument(std::string("impossible date ") + buf + " (month out of range)");
  return InvalidArgument(std::string("impossible date ") + buf + " (no such day in that month)");
}

int Date::year() const {
  int y, m, d;
  CivilFromDays(days_, &y, &m, &d);
  return y;
}
int Date::month() const {
  int y, m, d;
  CivilFromDays(days_, &y, &m, &d);
  return m;
}
int Date::day() const {
  int y, m, d;
  CivilFromDays(days_, &y, &m, &d);
  return d;
}

std::string Date::ToIso() const {
  int y, m, d;
  CivilFromDays(days_, &y, &m, &d);
  if (y < 0 || y > 9999) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
  }
  // By hand: this runs for every date of every event the API writes.
  std::string out(10, '-');
  out[0] = static_cast<char>('0' + y / 1000);
  out[1] = static_cast<char>('0' + y / 100 % 10);
  out[2] = static_cast<char>('0' + y / 10 % 10);
  out[3] = static_cast<char>('0' + y % 10);
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[8] = static_cast<char>('0' + d / 10);
  out[9] = static_cast<char>('0' + d % 10);
  return out;
}

namespace {

bool ParseInt(std::string_view s, int* out) {
  if (s.empty() || s.size() > 4) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

int MonthFromName(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kNames = {"january",   "february", "march",    "april",
                                                              "may",       "june",     "july",     "august",
                                                              "september", "october",  "november", "december"};
  std::string lower = AsciiLower(name);
  if (lower.size() < 3) return 0;
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (lower == kNames[i] || (lower.size() == 3 && kNames[i].substr(0, 3) == lower) || (lower == "sept" && i == 8))
      return static_cast<int>(i) + 1;
  }
  return 0;
}

Status Unrecognised(std::string_view text) {
  return InvalidArgument("unrecognised date '" + std::string(text.substr(0, 40)) +
                         "' (expected YYYY-MM-DD or '31 December 2020')");
}

}  // namespace

Result<Date> Date::Parse(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return InvalidArgument("empty date (expected YYYY-MM-DD or '31 December 2020')");
  // ISO-like: YYYY-MM-DD or YYYY/MM/DD, optionally followed by a time.
  if (text.size() >= 10 && std::isdigit(static_cast<unsigned char>(text[0])) && (text[4] == '-' || text[4] == '/') &&
      text[7] == text[4]) {
    int y, m, d;
    if (!ParseInt(text.substr(0, 4), &y) || !ParseInt(text.substr(5, 2), &m) || !ParseInt(text.substr(8, 2), &d))
      return Unrecognised(text);
    if (text.size() > 10 && text[10] != ' ' && text[10] != 'T') return Unrecognised(text);
    return FromYmd(y, m, d);
  }
  // Day-first forms: "31 December 2020", "31-Dec-2020", "31/12/2020".
  std::string_view parts[3];
  size_t n = 0, start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    const bool sep = i == text.size() || text[i] == ' ' || text[i] == '-' || text[i] == '/';
    if (!sep) continue;
    if (i > start) {
      if (n == 3) return Unrecognised(text);
      parts[n++] = text.substr(start, i - start);
    }
    start = i + 1;
  }
  if (n != 3) return Unrecognised(text);
  int d, y, m = 0;
  if (!ParseInt(parts[0], &d) || !ParseInt(parts[2], &y)) return Unrecognised(text);
  if (parts[2].size() != 4) return Unrecognised(text);
  if (!ParseInt(parts[1], &m)) m = MonthFromName(parts[1]);
  if (m == 0) return Unrecognised(text);
  return FromYmd(y, m, d);
}

const char* DatePrecisionName(DatePrecision p) {
  switch (p) {
    case DatePrecision::kDay:
      return "day";
    case DatePrecision::kWeek:
      return "week";
    case DatePrecision::kMonth:
      return "month";
    case DatePrecision::kYear:
      return "year";
    case DatePrecision::kUnknown:
      return "unknown";
  }
  return "unknown";
}

Result<DatePrecision> ParseDatePrecision(std::string_view name) {
  for (auto p : {DatePrecision::kDay, DatePrecision::kWeek, DatePrecision::kMonth, DatePrecision::kYear,
                 DatePrecision::kUnknown})
    if (name == DatePrecisionName(p)) return p;
  return InvalidArgument("unknown date precision '" + std::string(name) +
                         "' (expected day, week, month, year or unknown)");
}

}  // namespace vigil::core

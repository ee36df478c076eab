// vigil::core — calendar dates.
//
// A Date is a proleptic Gregorian day, stored as days since 1970-01-01, so
// differences are plain subtraction. vigil never reads the wall clock in its
// models: callers pass dates in (see DESIGN.md, "as_of").
//
// Thread-safety: values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil::core {

class Date {
 public:
  constexpr Date() = default;
  static constexpr Date FromDays(int32_t days) { return Date(days); }
  // Validates month 1..12, day within the month (leap years included) and
  // year 1..9999. Fails with kInvalidArgument naming the bad part.
  static Result<Date> FromYmd(int year, int month, int day);

  // Parses the date spellings found in published datasets:
  //   "2020-12-31" (ISO; a trailing time such as " 00:00:00.000" is ignored),
  //   "2020/12/31", "31 December 2020", "31 Dec 2020", "31-December-2020",
  //   "31/12/2020" (day first, as ACLED's European exports write it).
  // Fails with kInvalidArgument: "impossible date 2021-02-30" or
  // "unrecognised date 'x' (expected YYYY-MM-DD or '31 December 2020')".
  static Result<Date> Parse(std::string_view text);

  constexpr int32_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  // "YYYY-MM-DD".
  std::string ToIso() const;

  constexpr Date operator+(int32_t n) const { return Date(days_ + n); }
  constexpr Date operator-(int32_t n) const { return Date(days_ - n); }
  constexpr int32_t operator-(Date o) const { return days_ - o.days_; }
  constexpr auto operator<=>(const Date&) const = default;

 private:
  constexpr explicit Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

// Days since 1970-01-01 of a civil date (no validation). Howard Hinnant's
// algorithm, exact for all proleptic Gregorian dates.
int32_t DaysFromCivil(int year, int month, int day);
void CivilFromDays(int32_t days, int* year, int* month, int* day);
int DaysInMonth(int year, int month);

// Precision of a date as the sources state it.
enum class DatePrecision { kDay = 1, kWeek = 2, kMonth = 3, kYear = 4, kUnknown = 5 };
const char* DatePrecisionName(DatePrecision p);  // "day", "week", ...
Result<DatePrecision> ParseDatePrecision(std::string_view name);

}  // namespace vigil::core

// vigil::analysis — repeat targeting: places struck again and again.
//
// A place is a gazetteer place (place_id) when the event has one, else its
// coordinates rounded to 0.01° (about 1 km) and its name. A strike is a day
// with political violence there (several events of one day are one strike).
// Places with at least `min_strikes` strikes in [from, to] are listed with
// their strike dates and the intervals between them, most struck first.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/event.h"

namespace vigil::analysis {

struct RepeatOptions {
  int min_strikes = 2;
};

struct RepeatTarget {
  std::string location, admin1, admin2;
  double latitude = 0, longitude = 0;
  std::vector<core::Date> strikes;  // distinct days, oldest first
  std::vector<int> intervals_days;  // between consecutive strikes
  std::vector<std::string> actors;  // distinct actor groups, most frequent first
  std::vector<int64_t> event_ids;
};

std::vector<RepeatTarget> FindRepeatTargets(std::span<const core::Event> events, core::Date from, core::Date to,
                                            const RepeatOptions& o = {});

}  // namespace vigil::analysis

#include "analysis/repeat.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "analysis/common.h"

namespace vigil::analysis {

namespace {

std::string PlaceKey(const core::Event& e) {
  if (e.place_id != 0) return "p" + std::to_string(e.place_id);
  const long lat = std::lround(e.latitude * 100), lon = std::lround(e.longitude * 100);
  return "c" + std::to_string(lat) + "," + std::to_string(lon) + "," + e.location;
}

RepeatTarget Summarise(const std::vector<const core::Event*>& evs) {
  RepeatTarget t;
  const core::Event& first = *evs.front();
  t.location = first.location;
  if (t.location.empty()) {  // simulated and some dataset rows name no place
    char b[48];
    std::snprintf(b, sizeof b, "%.2f, %.2f", first.latitude, first.longitude);
    t.location = b;
  }
  t.admin1 = first.admin1;
  t.admin2 = first.admin2;
  t.latitude = first.latitude;
  t.longitude = first.longitude;
  std::set<core::Date> days;
  std::map<std::string, int> actors;
  for (const auto* e : evs) {
    days.insert(e->date_start);
    ++actors[ActorGroup(*e)];
    t.event_ids.push_back(e->id);
  }
  t.strikes.assign(days.begin(), days.end());
  for (size_t i = 1; i < t.strikes.size(); ++i) t.intervals_days.push_back(t.strikes[i] - t.strikes[i - 1]);
  std::vector<std::pair<int, std::string>> ranked;
  for (const auto& [a, n] : actors) ranked.emplace_back(-n, a);
  std::sort(ranked.begin(), ranked.end());
  for (const auto& [n, a] : ranked) t.actors.push_back(a);
  return t;
}

}  // namespace

std::vector<RepeatTarget> FindRepeatTargets(std::span<const core::Event> events, core::Date from, core::Date to,
                                            const RepeatOptions& o) {
  std::map<std::string, std::vector<const core::Event*>> by_place;
  for (const auto& e : events)
    if (IsPoliticalViolence(e) && e.date_start >= from && e.date_start <= to) by_place[PlaceKey(e)].push_back(&e);
  std::vector<RepeatTarget> out;
  for (auto& [key, evs] : by_place) {
    std::stable_sort(evs.begin(), evs.end(),
                     [](const core::Event* a, const core::Event* b) { return a->date_start < b->date_start; });
    RepeatTarget t = Summarise(evs);
    if (static_cast<int>(t.strikes.size()) >= o.min_strikes) out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end(), [](const RepeatTarget& a, const RepeatTarget& b) {
    if (a.strikes.size() != b.strikes.size()) return a.strikes.size() > b.strikes.size();
    if (a.strikes.back() != b.strikes.back()) return a.strikes.back() > b.strikes.back();
    return a.location < b.location;
  });
  return out;
}

}  // namespace vigil::analysis

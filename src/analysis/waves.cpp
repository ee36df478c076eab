#include "analysis/waves.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <unordered_map>

#include "analysis/common.h"

namespace vigil::analysis {

namespace {

using Group = std::vector<const core::Event*>;

// Single-link groups of `evs`: two events closer than `km` are one place.
std::vector<Group> Places(const Group& evs, double km) {
  std::vector<int> parent(evs.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](int i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (size_t i = 0; i < evs.size(); ++i)
    for (size_t j = i + 1; j < evs.size(); ++j)
      if (core::HaversineKm(evs[i]->latitude, evs[i]->longitude, evs[j]->latitude, evs[j]->longitude) < km)
        parent[find(static_cast<int>(i))] = find(static_cast<int>(j));
  std::map<int, Group> by_root;
  for (size_t i = 0; i < evs.size(); ++i) by_root[find(static_cast<int>(i))].push_back(evs[i]);
  std::vector<Group> out;
  for (auto& [r, g] : by_root) out.push_back(std::move(g));
  return out;
}

// Events of `sorted` (by date) with date_start in [a, b].
Group InWindow(const Group& sorted, core::Date a, core::Date b) {
  auto lo = std::lower_bound(sorted.begin(), sorted.end(), a,
                             [](const core::Event* e, core::Date d) { return e->date_start < d; });
  Group out;
  for (auto it = lo; it != sorted.end() && (*it)->date_start <= b; ++it) out.push_back(*it);
  return out;
}

// Places per window of one actor, each window computed once (the baseline
// of every candidate window reads the same days again).
class PlaceCounts {
 public:
  PlaceCounts(const Group& sorted, const WaveOptions& o) : sorted_(sorted), o_(o) {}
  // Places in the window ending on `last`.
  int64_t EndingOn(core::Date last) {
    auto [it, fresh] = cache_.try_emplace(last.days(), 0);
    if (fresh) {
      const Group g = InWindow(sorted_, last - (o_.window_days - 1), last);
      if (!g.empty()) it->second = static_cast<int64_t>(Places(g, o_.min_separation_km).size());
    }
    return it->second;
  }
  // Mean places per window over the baseline before `start`.
  double BaselineRate(core::Date start) {
    const int windows = std::max(1, o_.baseline_days / o_.window_days);
    int64_t places = 0;
    for (int w = 0; w < windows; ++w) places += EndingOn(start - 1 - w * o_.window_days);
    return std::max(1.0, static_cast<double>(places)) / windows;
  }

 private:
  const Group& sorted_;
  const WaveOptions& o_;
  std::unordered_map<int32_t, int64_t> cache_;
};

WavePlace ToPlace(const Group& g) {
  WavePlace p;
  const core::Event* best = g[0];
  for (const auto* e : g) {
    if (e->geo_precision < best->geo_precision) best = e;
    p.event_ids.push_back(e->id);
  }
  p.location = best->location;
  p.admin1 = best->admin1;
  p.admin2 = best->admin2;
  p.latitude = best->latitude;
  p.longitude = best->longitude;
  return p;
}

Wave MakeWave(const std::string& actor, core::Date a, core::Date b, const std::vector<Group>& places, double lambda,
              double p) {
  Wave w;
  w.actor = actor;
  w.start = a;
  w.end = b;
  w.expected_places = lambda;
  w.p_value = p;
  for (const auto& g : places) w.places.push_back(ToPlace(g));
  std::sort(w.places.begin(), w.places.end(), [](const WavePlace& x, const WavePlace& y) {
    return x.longitude < y.longitude;  // west to east, as a brief reads a map
  });
  for (const auto& pl : w.places) {
    w.event_ids.insert(w.event_ids.end(), pl.event_ids.begin(), pl.event_ids.end());
    for (const auto& q : w.places)
      w.span_km = std::max(w.span_km, core::HaversineKm(pl.latitude, pl.longitude, q.latitude, q.longitude));
  }
  return w;
}

// Waves of one actor's events (sorted by date).
void ScanActor(const std::string& actor, const Group& sorted, core::Date from, core::Date to, const WaveOptions& o,
               std::vector<Wave>* out) {
  core::Date next = from;
  PlaceCounts counts(sorted, o);
  for (const auto* e : sorted) {
    const core::Date a = e->date_start;
    if (a < next || a > to) continue;
    const core::Date b = a + (o.window_days - 1);
    const Group g = InWindow(sorted, a, b);
    const auto places = Places(g, o.min_separation_km);
    if (static_cast<int>(places.size()) < o.min_places) continue;
    const double lambda = counts.BaselineRate(a);
    const double p = PoissonTail(static_cast<int>(places.size()), lambda);
    if (p >= o.max_p) continue;
    out->push_back(MakeWave(actor, a, b, places, lambda, p));
    next = b + 1;
  }
}

}  // namespace

double PoissonTail(int k, double lambda) {
  if (k <= 0) return 1;
  // 1 - sum_{i<k} e^-l l^i / i!, summed in logs for large lambda.
  double term = std::exp(-lambda), below = 0;
  for (int i = 0; i < k; ++i) {
    below += term;
    term *= lambda / (i + 1);
  }
  return std::clamp(1 - below, 0.0, 1.0);
}

std::vector<Wave> FindWaves(std::span<const core::Event> events, core::Date from, core::Date to, const WaveOptions& o) {
  std::map<std::string, Group> by_actor;
  for (const auto& e : events)
    if (IsPoliticalViolence(e)) by_actor[ActorGroup(e)].push_back(&e);
  std::vector<Wave> out;
  for (auto& [actor, g] : by_actor) {
    std::stable_sort(g.begin(), g.end(),
                     [](const core::Event* a, const core::Event* b) { return a->date_start < b->date_start; });
    ScanActor(actor, g, from, to, o, &out);
  }
  std::sort(out.begin(), out.end(),
            [](const Wave& a, const Wave& b) { return a.start != b.start ? a.start < b.start : a.actor < b.actor; });
  return out;
}

}  // namespace vigil::analysis

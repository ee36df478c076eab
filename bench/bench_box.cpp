// Box-query latency on any store URL (SQLite path or postgresql://):
// the map's and the API's commonest query — the newest `limit` events in a
// box, optionally in a date range — for N boxes of random size and place
// over the Sahel (fixed seed), timed one by one after a warm-up.
//
// usage: bench_box URL [QUERIES] [LIMIT]
// prints: p50, p90, p99 and max in ms, and the mean events returned.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "store/store.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_box URL [QUERIES] [LIMIT]\n");
    return 2;
  }
  const int queries = argc > 2 ? std::atoi(argv[2]) : 2000;
  const int limit = argc > 3 ? std::atoi(argv[3]) : 100;
  auto st = vigil::store::EventStore::Open(argv[1], false);
  if (!st.ok()) {
    std::fprintf(stderr, "bench_box: %s\n", st.status().ToString().c_str());
    return 1;
  }
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> lon(-12.0, 4.0), lat(10.5, 20.0), size(0.1, 3.0);
  std::uniform_int_distribution<int> dated(0, 1);
  std::vector<double> ms;
  int64_t returned = 0;
  for (int i = 0; i < queries + 50; ++i) {
    vigil::store::EventFilter f;
    const double w = lon(rng), s = lat(rng), d = size(rng);
    f.bbox = vigil::store::BBox{w, s, w + d, s + d};
    f.limit = limit;
    if (dated(rng)) {
      f.from = *vigil::core::Date::Parse("2023-01-01");
      f.to = *vigil::core::Date::Parse("2023-12-31");
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto rows = (*st)->QueryEvents(f);
    const auto t1 = std::chrono::steady_clock::now();
    if (!rows.ok()) {
      std::fprintf(stderr, "bench_box: %s\n", rows.status().ToString().c_str());
      return 1;
    }
    if (i < 50) continue;  // warm-up
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    returned += static_cast<int64_t>(rows->size());
  }
  std::sort(ms.begin(), ms.end());
  auto q = [&](double p) { return ms[std::min(ms.size() - 1, static_cast<size_t>(p * ms.size()))]; };
  std::printf("box queries: %d (limit %d, half with a one-year range), mean %.1f events returned\n", queries, limit,
              static_cast<double>(returned) / queries);
  std::printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", q(0.50), q(0.90), q(0.99), ms.back());
  return 0;
}

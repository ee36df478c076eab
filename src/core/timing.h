// vigil::core — phase timings of long jobs, for benchmarks.
//
// With VIGIL_TIMINGS=1 in the environment, each Phase("name") prints
// "timing: name S.SSS s" (seconds since the previous phase) to stderr;
// otherwise it does nothing. docs/BENCHMARKS.md uses it to break an import
// down into its steps.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace vigil::core {

inline bool TimingsEnabled() {
  static const bool enabled = [] {
    const char* v = std::getenv("VIGIL_TIMINGS");
    return v && *v && *v != '0';
  }();
  return enabled;
}

class PhaseTimer {
 public:
  PhaseTimer() : last_(std::chrono::steady_clock::now()) {}
  void Phase(const char* name) {
    if (!TimingsEnabled()) return;
    const auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "timing: %s %.3f s\n", name, std::chrono::duration<double>(now - last_).count());
    last_ = now;
  }
  // Prints a figure measured elsewhere.
  static void Report(const char* name, double seconds) {
    if (TimingsEnabled()) std::fprintf(stderr, "timing: %s %.3f s\n", name, seconds);
  }

 private:
  std::chrono::steady_clock::time_point last_;
};

}  // namespace vigil::core

// vigil::core — phase timings of long jobs, for benchmarks.
//
// With VIGIL_TIMINGS=1 in the environment, each Phase("name") prints
// "timing: name S.SSS s" (seconds since the previous phase) to stderr;
// otherwise it does nothing. docs/BENCHMARKS.md uses it to break an import
// down into its steps.
#pragma once

#include <sys/resource.h>

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
  // CPU seconds (user + system) the calling thread has used.
  static double ThreadCpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_THREAD, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  }
  // Prints a figure measured elsewhere.
  static void Report(const char* name, double seconds) {
    if (TimingsEnabled()) std::fprintf(stderr, "timing: %s %.3f s\n", name, seconds);
  }

 private:
  std::chrono::steady_clock::time_point last_;
};

}  // namespace vigil::core

// vigil::core — time that passes by itself, injected.
//
// Everything that waits for a deadline (alert escalation, delivery retries,
// schedules, session expiry) asks a Clock, never the wall clock directly,
// so tests run hours of escalation in simulated time (FakeClock) and the
// server runs on SystemClock. Times are UTC seconds since 1970 (Unix time).
//
// Thread-safety: Now() from any thread; FakeClock's Set/Advance too.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil::core {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since 1970-01-01T00:00:00Z.
  virtual int64_t Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t Now() const override;
  // The process-wide instance.
  static const SystemClock& Get();
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start) : now_(start) {}
  int64_t Now() const override { return now_.load(); }
  void Set(int64_t t) { now_.store(t); }
  void Advance(int64_t seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<int64_t> now_;
};

// "2025-07-01T06:30:00Z".
std::string FormatUtc(int64_t unix_seconds);
// Parses "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]" (or with a space instead of T,
// or a date alone, as midnight UTC). Fails with kInvalidArgument.
Result<int64_t> ParseUtc(std::string_view text);
// "15m", "1h", "6h", "2d", "90s" -> seconds. Fails with kInvalidArgument.
Result<int64_t> ParseDuration(std::string_view text);

}  // namespace vigil::core

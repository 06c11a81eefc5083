#pragma once

#include <atomic>
#include <chrono>

namespace reel {

/// Time source, injected so that token expiry and rate limits are exact in tests.
/// Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  /// Wall-clock time (token iat/exp, created_at).
  virtual std::chrono::system_clock::time_point Now() const = 0;
  /// Monotonic time (rate limits, latencies).
  virtual std::chrono::steady_clock::time_point Monotonic() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
  std::chrono::steady_clock::time_point Monotonic() const override {
    return std::chrono::steady_clock::now();
  }
};

/// A clock that moves only when told to; both timelines advance together.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point start =
                           std::chrono::system_clock::time_point{std::chrono::hours(24 * 365 * 50)})
      : offset_ns_(0), start_(start) {}

  void Advance(std::chrono::nanoseconds by) { offset_ns_ += by.count(); }

  std::chrono::system_clock::time_point Now() const override {
    return start_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                        std::chrono::nanoseconds(offset_ns_.load()));
  }
  std::chrono::steady_clock::time_point Monotonic() const override {
    return std::chrono::steady_clock::time_point{std::chrono::nanoseconds(offset_ns_.load())};
  }

 private:
  std::atomic<long long> offset_ns_;
  std::chrono::system_clock::time_point start_;
};

}  // namespace reel

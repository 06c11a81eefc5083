#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string_view>

#include "kit/clock/clock.hpp"

namespace reel::limits {

/// Whether the limiters on one Redis should ask it now. While it answers, yes. After a
/// failure, no until `backoff` has passed (a dead or hung Redis is not asked by every
/// request, each waiting out a timeout), then yes to one caller at a time until one gets an
/// answer. Also keeps the warnings about it to one per `warn_every`. Thread-safe.
class RedisOutage {
 public:
  RedisOutage(const Clock& clock, std::chrono::milliseconds backoff,
              std::chrono::seconds warn_every);

  /// Whether to ask Redis now. A true answer must be followed by Succeeded or Failed.
  bool ShouldTry();
  /// Redis answered: everyone asks it again.
  void Succeeded();
  /// Redis failed `limiter`: `unreachable` starts the backoff (a refused script, a bug,
  /// does not). Logs a warning unless one was logged within warn_every.
  void Failed(std::string_view limiter, std::string_view error, bool unreachable);

 private:
  const Clock& clock_;
  const std::chrono::milliseconds backoff_;
  const std::chrono::seconds warn_every_;
  std::atomic<bool> down_{false};  // read without the lock on every check
  std::mutex mutex_;
  bool probing_ = false;
  std::chrono::steady_clock::time_point retry_at_{};
  bool warned_ = false;
  std::chrono::steady_clock::time_point warned_at_{};
  std::int64_t unreported_ = 0;  // failures since the last warning
};

}  // namespace reel::limits

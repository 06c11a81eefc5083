#include "kit/limits/redis_outage.hpp"

#include "kit/log/log.hpp"

namespace reel::limits {

RedisOutage::RedisOutage(const Clock& clock, std::chrono::milliseconds backoff,
                         std::chrono::seconds warn_every)
    : clock_(clock), backoff_(backoff), warn_every_(warn_every) {}

bool RedisOutage::ShouldTry() {
  // The common case, Redis answering, takes no lock.
  if (!down_.load(std::memory_order_acquire)) return true;
  std::lock_guard lock(mutex_);
  if (!down_.load(std::memory_order_relaxed)) return true;
  // One probe at a time: while Redis hangs, only the probe waits out the timeout.
  if (probing_ || clock_.Monotonic() < retry_at_) return false;
  probing_ = true;
  return true;
}

void RedisOutage::Succeeded() {
  if (!down_.load(std::memory_order_acquire)) return;
  {
    std::lock_guard lock(mutex_);
    if (!down_.load(std::memory_order_relaxed)) return;
    down_.store(false, std::memory_order_release);
    probing_ = false;
  }
  log::Info("rate limits: Redis answers again, buckets are shared again");
}

void RedisOutage::Failed(std::string_view limiter, std::string_view error, bool unreachable) {
  std::int64_t failures = 0;
  {
    std::lock_guard lock(mutex_);
    const auto now = clock_.Monotonic();
    probing_ = false;
    if (unreachable) {
      retry_at_ = now + backoff_;
      down_.store(true, std::memory_order_release);
    } else {
      // It answered, with an error: asking again costs no timeout.
      down_.store(false, std::memory_order_release);
    }
    ++unreported_;
    if (warned_ && now - warned_at_ < warn_every_) return;
    warned_ = true;
    warned_at_ = now;
    failures = unreported_;
    unreported_ = 0;
  }
  log::Warn("rate limits: Redis failed, deciding with this process's buckets",
            {{"limiter", limiter},
             {"error", error},
             {"failures", failures},
             {"retry_in_ms", static_cast<std::int64_t>(unreachable ? backoff_.count() : 0)}});
}

}  // namespace reel::limits

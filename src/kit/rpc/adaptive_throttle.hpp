#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <vector>

#include "kit/clock/clock.hpp"

namespace reel::rpc {

/// Client-side adaptive throttling, the circuit breaker of the Google SRE book: while a
/// dependency fails, the client stops sending most calls to it (answering them locally at
/// once) and sends a trickle that finds out when it is back. Counts live in a sliding
/// window of `buckets` slots spanning `window`. Thread-safe.
class AdaptiveThrottle {
 public:
  struct Options {
    double k = 2.0;
    std::chrono::milliseconds window{10000};
    int buckets = 10;
  };
  /// `uniform01` draws from [0, 1); tests pass a fixed sequence. Null: a thread-safe PRNG.
  /// Non-positive `window` or `buckets` are raised to 1 ms and 1.
  AdaptiveThrottle(Options options, const Clock& clock,
                   std::function<double()> uniform01 = nullptr);

  /// Decides whether a request may be sent: false with probability RejectProbability()
  /// (the "+ 1" in the formula stands for this request). Draws from `uniform01` only when
  /// that probability is above 0, and rejects when the draw is below it. The first request
  /// of a slot (window / buckets) is always allowed: with no accepts in the window, rejected
  /// requests alone keep the probability at n/(n+1), and the trickle would average one
  /// probe per window however busy the client is, so a dependency back after an outage
  /// stayed refused for seconds more (one run in eight of a 20 s recovery test). A rejected request
  /// counts as a request at once; an allowed one counts when Record() reports its outcome,
  /// so calls still in flight never throttle. A false answer must not be followed by
  /// Record().
  bool Allow();
  /// After an allowed call: counts it as a request, and as accepted when the backend
  /// answered (including a business error such as NOT_FOUND); false for unavailable /
  /// deadline exceeded.
  void Record(bool accepted);
  /// max(0, (requests − k·accepts) / (requests + 1)) over the window.
  double RejectProbability() const;

 private:
  struct Bucket {
    long long slot = -1;  // which slot of time the counts belong to; -1: never used
    long long requests = 0;
    long long accepts = 0;
  };

  long long CurrentSlot() const;
  Bucket& BucketFor(long long slot);  // requires mu_; resets a bucket reused for `slot`
  double RejectProbabilityLocked(long long slot) const;

  const double k_;
  const std::chrono::nanoseconds slot_width_;
  const Clock& clock_;
  std::function<double()> uniform01_;
  mutable std::mutex mu_;
  std::vector<Bucket> buckets_;
  long long last_allowed_slot_ = -1;
};

}  // namespace reel::rpc

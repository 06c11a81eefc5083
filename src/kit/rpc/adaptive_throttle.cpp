#include "kit/rpc/adaptive_throttle.hpp"

#include <algorithm>
#include <random>

namespace reel::rpc {
namespace {

// One engine per thread: no lock, and threads do not share a sequence.
double ThreadLocalUniform01() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace

AdaptiveThrottle::AdaptiveThrottle(Options options, const Clock& clock,
                                   std::function<double()> uniform01)
    : k_(options.k),
      slot_width_(std::max<std::chrono::nanoseconds>(
          std::chrono::nanoseconds(std::max(options.window, std::chrono::milliseconds(1))) /
              std::max(options.buckets, 1),
          std::chrono::nanoseconds(1))),
      clock_(clock),
      uniform01_(uniform01 ? std::move(uniform01) : ThreadLocalUniform01),
      buckets_(static_cast<std::size_t>(std::max(options.buckets, 1))) {}

long long AdaptiveThrottle::CurrentSlot() const {
  return clock_.Monotonic().time_since_epoch() / slot_width_;
}

AdaptiveThrottle::Bucket& AdaptiveThrottle::BucketFor(long long slot) {
  Bucket& bucket = buckets_[static_cast<std::size_t>(slot) % buckets_.size()];
  if (bucket.slot != slot) bucket = Bucket{slot, 0, 0};
  return bucket;
}

double AdaptiveThrottle::RejectProbabilityLocked(long long slot) const {
  // A bucket counts while its slot is one of the last `buckets` slots; older ones are
  // stale even though they have not been overwritten yet.
  const long long oldest = slot - static_cast<long long>(buckets_.size()) + 1;
  long long requests = 0;
  long long accepts = 0;
  for (const Bucket& bucket : buckets_) {
    if (bucket.slot < oldest || bucket.slot > slot) continue;
    requests += bucket.requests;
    accepts += bucket.accepts;
  }
  const double excess = static_cast<double>(requests) - k_ * static_cast<double>(accepts);
  return std::max(0.0, excess / static_cast<double>(requests + 1));
}

// A request counts when its outcome is known: rejected here, or recorded after the call.
// Counting calls still in flight would throttle a fresh client's first burst (n concurrent
// calls, no answer back yet: p = (n − 0)/(n + 1)) while its backend is perfectly healthy.
bool AdaptiveThrottle::Allow() {
  std::lock_guard lock(mu_);
  const long long slot = CurrentSlot();
  const double reject = RejectProbabilityLocked(slot);
  if (reject <= 0.0 || last_allowed_slot_ != slot || uniform01_() >= reject) {
    last_allowed_slot_ = slot;
    return true;
  }
  ++BucketFor(slot).requests;
  return false;
}

void AdaptiveThrottle::Record(bool accepted) {
  std::lock_guard lock(mu_);
  Bucket& bucket = BucketFor(CurrentSlot());
  ++bucket.requests;
  if (accepted) ++bucket.accepts;
}

double AdaptiveThrottle::RejectProbability() const {
  std::lock_guard lock(mu_);
  return RejectProbabilityLocked(CurrentSlot());
}

}  // namespace reel::rpc

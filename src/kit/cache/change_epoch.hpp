#pragma once

#include <atomic>
#include <cstdint>

namespace reel::cache {

/// A count of the changes made to a process's stores: every cache invalidation advances
/// it (see InvalidatingCache). Something derived from several stores at once (a rendered
/// video: the video, its author, their counters) is current while the epoch it was derived
/// at is still the epoch now, which is one comparison instead of tracking what it read.
///
/// The same rule as a cache shard's generation: note `Now()` before reading, keep the
/// result only if `Now()` has not moved when done. Any write committed meanwhile has
/// advanced it, since writers invalidate after they commit.
class ChangeEpoch {
 public:
  std::uint64_t Now() const { return value_.load(std::memory_order_acquire); }
  void Advance() { value_.fetch_add(1, std::memory_order_acq_rel); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

}  // namespace reel::cache

#pragma once
// A cache's counters (issue 21): reel_cache_requests_total{cache,result} and
// reel_cache_evictions_total{cache}. Cache names are the code's ("video.videos"), a bounded
// set; a cache built without one counts as "unnamed".

#include <string>
#include <string_view>

#include "kit/metrics/metrics.hpp"

namespace reel::cache {

struct CacheCounters {
  explicit CacheCounters(std::string_view name) {
    static auto& requests = metrics::CounterFamily(
        "reel_cache_requests_total",
        "Keys asked of a cache, by where they were found: hit (memory), shared_hit (the "
        "shared tier), miss (the store).");
    static auto& evictions = metrics::CounterFamily(
        "reel_cache_evictions_total", "Entries dropped to stay within a cache's capacity.");
    const std::string cache = name.empty() ? "unnamed" : std::string(name);
    hit = &requests.Add({{"cache", cache}, {"result", "hit"}});
    shared_hit = &requests.Add({{"cache", cache}, {"result", "shared_hit"}});
    miss = &requests.Add({{"cache", cache}, {"result", "miss"}});
    evicted = &evictions.Add({{"cache", cache}});
  }

  // Counts only what happened: a zero increment would still cost an atomic update.
  static void Add(prometheus::Counter* counter, std::size_t n) {
    if (n > 0) counter->Increment(static_cast<double>(n));
  }

  prometheus::Counter* hit;
  prometheus::Counter* shared_hit;
  prometheus::Counter* miss;
  prometheus::Counter* evicted;
};

}  // namespace reel::cache

#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "seed/random.hpp"

namespace reel::bench {

/// `count` distinct values in [1, n] except `excluded`, ascending; `popularity` maps a
/// skewed rank in [0, n) to a value - 1, so popular values are more likely. Bounded: a few
/// rounds of skewed draws, then the remainder taken in order from a random start.
template <typename Popularity>
std::vector<std::int64_t> DistinctPicks(Random& random, std::int64_t n, std::int64_t count,
                                        double skew, const Popularity& popularity,
                                        std::int64_t excluded) {
  std::vector<std::int64_t> picks;
  picks.reserve(static_cast<std::size_t>(count));
  const auto wanted = static_cast<std::size_t>(count);
  for (int round = 0; round < 6 && picks.size() < wanted; ++round) {
    const std::size_t missing = wanted - picks.size();
    for (std::size_t i = 0; i < missing; ++i) {
      const auto v = static_cast<std::int64_t>(
                         popularity(random.Skewed(static_cast<std::uint64_t>(n), skew))) +
                     1;
      if (v != excluded) picks.push_back(v);
    }
    std::sort(picks.begin(), picks.end());
    picks.erase(std::unique(picks.begin(), picks.end()), picks.end());
  }
  if (picks.size() > wanted) picks.resize(wanted);  // unique drops, never adds: safe
  if (picks.size() < wanted) {
    std::vector<std::int64_t> extra;
    const auto start = static_cast<std::int64_t>(random.Below(static_cast<std::uint64_t>(n)));
    for (std::int64_t step = 0; step < n && picks.size() + extra.size() < wanted; ++step) {
      const std::int64_t v = (start + step) % n + 1;
      if (v != excluded && !std::binary_search(picks.begin(), picks.end(), v)) extra.push_back(v);
    }
    picks.insert(picks.end(), extra.begin(), extra.end());
    std::sort(picks.begin(), picks.end());
  }
  return picks;
}

/// How many rows each of `people` users gets so that they add up to exactly `total`, each
/// at most `cap` (the caller checks that people * cap >= total): uneven, some users far
/// more active than others, and deterministic.
std::vector<std::int64_t> SpreadCounts(Random& random, std::int64_t people, std::int64_t total,
                                       std::int64_t cap);

}  // namespace reel::bench

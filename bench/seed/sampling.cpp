#include "seed/sampling.hpp"

namespace reel::bench {

std::vector<std::int64_t> SpreadCounts(Random& random, std::int64_t people, std::int64_t total,
                                       std::int64_t cap) {
  std::vector<std::int64_t> counts(static_cast<std::size_t>(people), 0);
  if (people == 0 || total == 0) return counts;
  std::vector<double> weights(counts.size());
  double sum = 0;
  for (double& w : weights) {
    const double u = random.Unit();
    w = 0.2 + 3.0 * u * u * u;
    sum += w;
  }
  std::int64_t assigned = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    counts[i] =
        std::min(cap, static_cast<std::int64_t>(static_cast<double>(total) * weights[i] / sum));
    assigned += counts[i];
  }
  // The rounding remainder, one each to users with room; PlanProblem guarantees the room.
  for (std::size_t i = 0; assigned < total; i = (i + 1) % counts.size()) {
    if (counts[i] < cap) {
      ++counts[i];
      ++assigned;
    }
  }
  return counts;
}

}  // namespace reel::bench

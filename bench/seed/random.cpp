#include "seed/random.hpp"

#include <numeric>

namespace reel::bench {

Scatter::Scatter(std::uint64_t n, std::uint64_t salt) : n_(n == 0 ? 1 : n) {
  Random random(salt, 0x5CA7);
  // About 0.62 n, nudged up to the nearest value coprime to n: neighbours land far apart.
  step_ = std::max<std::uint64_t>(1, n_ * 5 / 8 + random.Below(n_ / 16 + 1));
  while (std::gcd(step_, n_) != 1) ++step_;
  offset_ = random.Below(n_);
}

}  // namespace reel::bench

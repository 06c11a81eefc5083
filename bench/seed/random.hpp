#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace reel::bench {

// 64x64 → 128-bit products for range reduction; __extension__ keeps -Wpedantic quiet.
__extension__ typedef unsigned __int128 Uint128;

/// SplitMix64: tiny, fast and the same on every platform, unlike the standard library's
/// distributions, so a seed names exactly one dataset.
class Random {
 public:
  /// `stream` separates the draws of independent stages under one seed: adding a stage (or
  /// changing how many draws one makes) leaves the others' data as it was.
  explicit Random(std::uint64_t seed, std::uint64_t stream = 0)
      : state_(seed ^ (stream * 0x9E3779B97F4A7C15ull)) {}

  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  /// Uniform in [0, n); n > 0. The multiply-shift has no modulo bias worth measuring here.
  std::uint64_t Below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<Uint128>(Next()) * n) >> 64);
  }

  /// Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  /// In [0, n), small values far more likely than large ones: `exponent` 1 is uniform, 3
  /// puts about half the draws in the lowest eighth. Models popularity.
  std::uint64_t Skewed(std::uint64_t n, double exponent) {
    const auto v = static_cast<std::uint64_t>(static_cast<double>(n) * std::pow(Unit(), exponent));
    return std::min(v, n - 1);
  }

 private:
  std::uint64_t state_;
};

/// A bijection of [0, n) that scatters neighbours (i * step + offset mod n, step coprime to
/// n): turns "rank by popularity" into ids spread over the whole range.
class Scatter {
 public:
  Scatter(std::uint64_t n, std::uint64_t salt);
  std::uint64_t operator()(std::uint64_t i) const {
    return static_cast<std::uint64_t>((static_cast<Uint128>(i) * step_ + offset_) % n_);
  }

 private:
  std::uint64_t n_;
  std::uint64_t step_;
  std::uint64_t offset_;
};

}  // namespace reel::bench

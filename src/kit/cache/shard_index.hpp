#pragma once

#include <cstddef>
#include <cstdint>

namespace reel::cache {

/// Which of `shards` a key with hash `hash` belongs to. The hash is mixed first: std::hash
/// of an integer is the integer, and ids are sequential or multiples, so their low bits
/// alone would crowd a few shards.
inline std::size_t ShardIndex(std::uint64_t hash, std::size_t shards) {
  return ((hash * 0x9E3779B97F4A7C15ull) >> 32) % shards;
}

}  // namespace reel::cache

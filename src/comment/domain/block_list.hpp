#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "kit/status/status.hpp"

namespace reel::comment {

/// Who blocked whom, which the relation service owns (issue 16). Implementations are
/// thread-safe. Errors: why the relation service could not be asked; never taken for "no
/// block", so a refusal that cannot be checked is not waved through.
class BlockList {
 public:
  /// How many blocked users a viewer's lists leave out at most (the relation service's cap).
  static constexpr int kMaxBlocked = 2000;

  virtual ~BlockList() = default;
  /// Which of `user_ids` have blocked `actor_id`.
  virtual Result<std::vector<std::int64_t>> BlockedBy(std::int64_t actor_id,
                                                      std::span<const std::int64_t> user_ids) = 0;
  /// Whom `user_id` blocked (at most kMaxBlocked, the newest blocks).
  virtual Result<std::vector<std::int64_t>> BlockedIds(std::int64_t user_id) = 0;
};

}  // namespace reel::comment

#pragma once

#include <cstdint>

#include "kit/status/status.hpp"

namespace reel::relation {

/// Which users exist, as far as the relation service needs to know: a port the service's
/// module implements over the user service, so the domain never depends on it.
/// Implementations are thread-safe.
class UserDirectory {
 public:
  virtual ~UserDirectory() = default;
  /// True when a user with this id exists.
  virtual Result<bool> Exists(std::int64_t user_id) = 0;
};

}  // namespace reel::relation

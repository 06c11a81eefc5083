#pragma once

#include <cstdint>

#include "kit/status/status.hpp"

namespace reel::favorite {

/// Which users exist, as far as the favorite service needs to know (a listing that names
/// its owner): a port the service's module implements over the user service, so the domain
/// never depends on it. Implementations are thread-safe.
class UserDirectory {
 public:
  virtual ~UserDirectory() = default;
  /// True when a user with this id exists. Errors: why the user service could not be asked
  /// (kUnavailable in a cluster), never taken for "no user".
  virtual Result<bool> Exists(std::int64_t user_id) = 0;
};

}  // namespace reel::favorite

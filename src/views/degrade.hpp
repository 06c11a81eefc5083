#pragma once

#include <string_view>

#include "kit/status/status.hpp"

namespace reel::views {

/// A view answers with what it has when a service that only adds to it is down: true (and
/// a warning logged) when `status` says the dependency is unavailable (kUnavailable: not
/// reachable, timed out, or throttled by the client's breaker), so the caller leaves that
/// part at its zero value; false for any other error, which the caller returns.
bool DegradeWhenDown(const Status& status, std::string_view what);

}  // namespace reel::views

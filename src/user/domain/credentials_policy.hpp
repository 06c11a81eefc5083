#pragma once

#include <string_view>

#include "kit/status/status.hpp"

namespace reel::user {

inline constexpr std::size_t kMaxUsernameLength = 32;
inline constexpr std::size_t kMinPasswordLength = 6;
inline constexpr std::size_t kMaxPasswordLength = 32;

/// 1–32 characters (code points) of valid UTF-8, no control characters, no white space at
/// either end. Error: USERNAME_INVALID.
Status ValidateUsername(std::string_view name);

/// 6–32 characters of valid UTF-8. Error: PASSWORD_INVALID.
Status ValidatePassword(std::string_view password);

}  // namespace reel::user

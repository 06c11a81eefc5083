#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "kit/status/status.hpp"

namespace reel::relation {

inline constexpr std::size_t kMaxMessageLength = 1000;

/// The message as stored: trimmed, 1–1000 characters of valid UTF-8; line breaks and tabs
/// are kept, other control characters refused. Error: MESSAGE_INVALID (INVALID_ARGUMENT).
Result<std::string> NormalizeMessage(std::string_view content);

}  // namespace reel::relation

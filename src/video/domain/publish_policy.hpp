#pragma once

#include <string>
#include <string_view>

#include "kit/status/status.hpp"

namespace reel::video {

inline constexpr std::size_t kMaxTitleLength = 100;
inline constexpr std::size_t kMaxDescriptionLength = 2000;

/// The title as stored: trimmed, 1–100 characters of valid UTF-8 without control
/// characters. Error: TITLE_INVALID.
Result<std::string> NormalizeTitle(std::string_view title);

/// Trimmed, at most 2000 characters; may be empty. Error: DESCRIPTION_INVALID.
Result<std::string> NormalizeDescription(std::string_view description);

}  // namespace reel::video

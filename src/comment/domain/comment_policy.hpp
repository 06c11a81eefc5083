#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "kit/status/status.hpp"

namespace reel::comment {

inline constexpr std::size_t kMaxCommentLength = 500;

/// The comment as stored: trimmed, 1–500 characters (code points) of valid UTF-8. Line
/// breaks are kept; any other control character (tab included) is refused.
/// Error: COMMENT_INVALID (INVALID_ARGUMENT), its message saying what is wrong.
Result<std::string> NormalizeComment(std::string_view content);

}  // namespace reel::comment

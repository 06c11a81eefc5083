#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kit/status/status.hpp"

namespace reel::video {

inline constexpr std::size_t kMaxTitleLength = 100;
inline constexpr std::size_t kMaxDescriptionLength = 2000;
inline constexpr std::size_t kMaxTags = 10;
inline constexpr std::size_t kMaxTagLength = 32;

/// The title as stored: trimmed, 1–100 characters of valid UTF-8 without control
/// characters. Error: TITLE_INVALID.
Result<std::string> NormalizeTitle(std::string_view title);

/// Trimmed, at most 2000 characters; may be empty. Error: DESCRIPTION_INVALID.
Result<std::string> NormalizeDescription(std::string_view description);

/// The tags as stored: each trimmed and with ASCII letters lower-cased (so "Cats" and
/// "cats" are one tag), 1–32 characters of valid UTF-8 without control characters or
/// commas (the comma separates tags in the one-string form); duplicates dropped keeping the
/// first; at most 10 remaining. Error: TAGS_INVALID, naming the tag and the problem.
Result<std::vector<std::string>> NormalizeTags(std::span<const std::string> tags);

}  // namespace reel::video

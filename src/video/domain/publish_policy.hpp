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
inline constexpr std::size_t kMaxSourceUrlBytes = 2048;
inline constexpr std::size_t kMaxAuditReasonLength = 500;

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

/// A repost's source URL as stored: trimmed, an absolute http:// or https:// URL with a host,
/// printable ASCII only (non-ASCII must be percent-encoded), at most 2048 bytes.
/// Error: SOURCE_URL_INVALID.
Result<std::string> NormalizeSourceUrl(std::string_view url);

/// Whether a video's provenance holds together: an original has no source URL; a repost
/// (!is_original) has one, already normalised. Error: SOURCE_URL_INVALID.
Status CheckProvenance(bool is_original, std::string_view source_url);

/// A moderator's reason as stored: trimmed, 1-500 characters, no control characters.
/// Error: REASON_INVALID.
Result<std::string> NormalizeAuditReason(std::string_view reason);

}  // namespace reel::video

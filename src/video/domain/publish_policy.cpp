#include "video/domain/publish_policy.hpp"

#include <algorithm>

#include "kit/text/utf8.hpp"

namespace reel::video {
namespace {

struct TextRule {
  std::size_t min;
  std::size_t max;
  bool allow_line_breaks;
  const char* reason;
  const char* what;  // names the field in messages
};

Result<std::string> Normalize(std::string_view text, const TextRule& rule) {
  const std::string_view trimmed = text::TrimAscii(text);
  const auto length = text::CountCodePoints(trimmed);
  const std::string what(rule.what);
  if (!length) return InvalidArgument(rule.reason, what + " is not valid UTF-8");
  if (*length < rule.min) return InvalidArgument(rule.reason, what + " must not be empty");
  if (*length > rule.max) {
    return InvalidArgument(rule.reason,
                           what + " must be at most " + std::to_string(rule.max) + " characters");
  }
  std::string checked(trimmed);
  if (rule.allow_line_breaks) {
    std::replace_if(
        checked.begin(), checked.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; },
        ' ');
  }
  if (text::HasControlCharacters(checked)) {
    return InvalidArgument(rule.reason, what + " must not contain control characters");
  }
  return std::string(trimmed);
}

}  // namespace

Result<std::string> NormalizeTitle(std::string_view title) {
  return Normalize(title, {1, kMaxTitleLength, false, "TITLE_INVALID", "title"});
}

Result<std::string> NormalizeDescription(std::string_view description) {
  return Normalize(description,
                   {0, kMaxDescriptionLength, true, "DESCRIPTION_INVALID", "description"});
}

}  // namespace reel::video

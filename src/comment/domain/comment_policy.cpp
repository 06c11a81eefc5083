#include "comment/domain/comment_policy.hpp"

#include <algorithm>

#include "kit/text/utf8.hpp"

namespace reel::comment {
namespace {

constexpr const char* kReason = "COMMENT_INVALID";

}  // namespace

Result<std::string> NormalizeComment(std::string_view content) {
  const std::string_view trimmed = text::TrimAscii(content);
  const auto length = text::CountCodePoints(trimmed);
  if (!length) return InvalidArgument(kReason, "the comment is not valid UTF-8");
  if (*length == 0) return InvalidArgument(kReason, "the comment is empty");
  if (*length > kMaxCommentLength) {
    return InvalidArgument(
        kReason, "the comment is longer than " + std::to_string(kMaxCommentLength) + " characters");
  }
  // Multi-line comments are normal; a line break is the only control character that means
  // something to a reader, so it is masked before the check instead of being stripped.
  std::string checked(trimmed);
  std::replace_if(
      checked.begin(), checked.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  if (text::HasControlCharacters(checked)) {
    return InvalidArgument(kReason, "the comment contains control characters");
  }
  return std::string(trimmed);
}

}  // namespace reel::comment

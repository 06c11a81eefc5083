#include "relation/domain/message_policy.hpp"

#include <algorithm>

#include "kit/text/utf8.hpp"

namespace reel::relation {
namespace {

constexpr const char* kReason = "MESSAGE_INVALID";

bool IsLineBreakOrTab(char c) {
  return c == '\n' || c == '\r' || c == '\t';
}

}  // namespace

Result<std::string> NormalizeMessage(std::string_view content) {
  const std::string_view trimmed = text::TrimAscii(content);
  const auto length = text::CountCodePoints(trimmed);
  if (!length) return InvalidArgument(kReason, "the message is not valid UTF-8");
  if (*length == 0) return InvalidArgument(kReason, "the message must not be empty");
  if (*length > kMaxMessageLength) {
    return InvalidArgument(kReason, "the message must be at most " +
                                        std::to_string(kMaxMessageLength) + " characters");
  }
  // Multi-line messages are normal in a chat; every other control character is refused.
  std::string checked(trimmed);
  std::replace_if(checked.begin(), checked.end(), IsLineBreakOrTab, ' ');
  if (text::HasControlCharacters(checked)) {
    return InvalidArgument(kReason, "the message must not contain control characters");
  }
  return std::string(trimmed);
}

}  // namespace reel::relation

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

// Quotes a tag for a message, cut short so a huge tag does not make a huge message.
std::string Quoted(std::string_view tag) {
  constexpr std::size_t kShown = 40;
  if (tag.size() <= kShown) return "'" + std::string(tag) + "'";
  std::size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(tag[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(tag.substr(0, cut)) + "...'";
}

Result<std::string> NormalizeTag(std::string_view raw, std::size_t index) {
  const std::string which = "tag " + std::to_string(index + 1);
  const std::string_view trimmed = text::TrimAscii(raw);
  const auto length = text::CountCodePoints(trimmed);
  if (!length) return InvalidArgument("TAGS_INVALID", which + " is not valid UTF-8");
  if (*length == 0) return InvalidArgument("TAGS_INVALID", which + " is empty");
  if (*length > kMaxTagLength) {
    return InvalidArgument("TAGS_INVALID", which + " " + Quoted(trimmed) + " is longer than " +
                                               std::to_string(kMaxTagLength) + " characters");
  }
  if (text::HasControlCharacters(trimmed)) {
    return InvalidArgument("TAGS_INVALID", which + " contains a control character");
  }
  if (trimmed.find(',') != std::string_view::npos) {
    return InvalidArgument("TAGS_INVALID", which + " " + Quoted(trimmed) + " contains a comma");
  }
  std::string tag(trimmed);
  std::transform(tag.begin(), tag.end(), tag.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return tag;
}

}  // namespace

Result<std::string> NormalizeTitle(std::string_view title) {
  return Normalize(title, {1, kMaxTitleLength, false, "TITLE_INVALID", "title"});
}

Result<std::string> NormalizeDescription(std::string_view description) {
  return Normalize(description,
                   {0, kMaxDescriptionLength, true, "DESCRIPTION_INVALID", "description"});
}

Result<std::vector<std::string>> NormalizeTags(std::span<const std::string> tags) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < tags.size(); ++i) {
    auto tag = NormalizeTag(tags[i], i);
    if (!tag.ok()) return tag.status();
    if (std::find(out.begin(), out.end(), *tag) != out.end()) continue;
    if (out.size() == kMaxTags) {
      return InvalidArgument("TAGS_INVALID",
                             "at most " + std::to_string(kMaxTags) + " different tags, got more");
    }
    out.push_back(std::move(*tag));
  }
  return out;
}

Result<std::string> NormalizeSourceUrl(std::string_view url) {
  const std::string_view trimmed = text::TrimAscii(url);
  if (trimmed.empty()) return InvalidArgument("SOURCE_URL_INVALID", "source_url must not be empty");
  if (trimmed.size() > kMaxSourceUrlBytes) {
    return InvalidArgument("SOURCE_URL_INVALID", "source_url must be at most " +
                                                     std::to_string(kMaxSourceUrlBytes) + " bytes");
  }
  std::string lowered(trimmed.substr(0, std::min<std::size_t>(trimmed.size(), 8)));
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  std::size_t scheme = 0;
  if (lowered.starts_with("https://")) {
    scheme = 8;
  } else if (lowered.starts_with("http://")) {
    scheme = 7;
  } else {
    return InvalidArgument("SOURCE_URL_INVALID", "source_url must start with http:// or https://");
  }
  // Printable ASCII only: no spaces, controls or raw non-ASCII that could disguise the link.
  for (char c : trimmed) {
    if (c <= 0x20 || c >= 0x7f) {
      return InvalidArgument("SOURCE_URL_INVALID",
                             "source_url must be printable ASCII without spaces (percent-encode "
                             "other characters)");
    }
  }
  const std::string_view rest = trimmed.substr(scheme);
  const std::size_t host_end = rest.find_first_of("/?#");
  if (rest.substr(0, host_end).empty()) {
    return InvalidArgument("SOURCE_URL_INVALID", "source_url must name a host");
  }
  return std::string(trimmed);
}

Status CheckProvenance(bool is_original, std::string_view source_url) {
  if (is_original && !source_url.empty()) {
    return InvalidArgument("SOURCE_URL_INVALID",
                           "an original video has no source_url; set is_original to false for a "
                           "repost");
  }
  if (!is_original && source_url.empty()) {
    return InvalidArgument("SOURCE_URL_INVALID", "a repost (is_original false) needs a source_url");
  }
  return Status::Ok();
}

Result<std::string> NormalizeAuditReason(std::string_view reason) {
  return Normalize(reason, {1, kMaxAuditReasonLength, true, "REASON_INVALID", "reason"});
}

}  // namespace reel::video

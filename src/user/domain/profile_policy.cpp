#include "user/domain/profile_policy.hpp"

#include <algorithm>
#include <string>

#include "kit/text/utf8.hpp"
#include "user/domain/credentials_policy.hpp"

namespace reel::user {
namespace {

constexpr std::size_t kSha256HexLength = 64;
constexpr std::string_view kImageSuffix = ".jpg";

Status InvalidSignature(std::string message) {
  return InvalidArgument("SIGNATURE_INVALID", std::move(message));
}

}  // namespace

Status ValidateSignature(std::string_view signature) {
  const auto length = text::CountCodePoints(signature);
  if (!length) return InvalidSignature("signature is not valid UTF-8");
  if (*length > kMaxSignatureLength) {
    return InvalidSignature("signature must be at most " + std::to_string(kMaxSignatureLength) +
                            " characters");
  }
  if (text::HasControlCharacters(signature)) {
    return InvalidSignature("signature must not contain control characters or line breaks");
  }
  return Status::Ok();
}

bool IsProfileImageKey(std::string_view key) {
  if (key.size() != kSha256HexLength + kImageSuffix.size() || !key.ends_with(kImageSuffix)) {
    return false;
  }
  return std::all_of(key.begin(), key.begin() + kSha256HexLength,
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Status ValidateProfileUpdate(const ProfileUpdate& update) {
  if (update.empty()) {
    return InvalidArgument("PARAM_MISSING",
                           "give at least one of name, signature, avatar, background_image");
  }
  if (update.name) {
    if (Status s = ValidateUsername(*update.name); !s.ok()) return s;
  }
  if (update.signature) {
    if (Status s = ValidateSignature(*update.signature); !s.ok()) return s;
  }
  for (const auto* key : {&update.avatar_key, &update.background_key}) {
    if (*key && !IsProfileImageKey(**key)) {
      return InvalidArgument("IMAGE_INVALID", "'" + **key + "' is not a stored profile image");
    }
  }
  return Status::Ok();
}

}  // namespace reel::user

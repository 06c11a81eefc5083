#include "user/domain/credentials_policy.hpp"

#include <string>

#include "kit/text/utf8.hpp"

namespace reel::user {

Status ValidateUsername(std::string_view name) {
  const auto length = text::CountCodePoints(name);
  if (!length) return InvalidArgument("USERNAME_INVALID", "username is not valid UTF-8");
  if (*length == 0) return InvalidArgument("USERNAME_INVALID", "username must not be empty");
  if (*length > kMaxUsernameLength) {
    return InvalidArgument(
        "USERNAME_INVALID",
        "username must be at most " + std::to_string(kMaxUsernameLength) + " characters");
  }
  if (text::HasControlCharacters(name)) {
    return InvalidArgument("USERNAME_INVALID", "username must not contain control characters");
  }
  if (text::TrimAscii(name).size() != name.size()) {
    return InvalidArgument("USERNAME_INVALID", "username must not start or end with white space");
  }
  return Status::Ok();
}

Status ValidatePassword(std::string_view password) {
  const auto length = text::CountCodePoints(password);
  if (!length) return InvalidArgument("PASSWORD_INVALID", "password is not valid UTF-8");
  if (*length < kMinPasswordLength || *length > kMaxPasswordLength) {
    return InvalidArgument("PASSWORD_INVALID",
                           "password must be " + std::to_string(kMinPasswordLength) + "–" +
                               std::to_string(kMaxPasswordLength) + " characters");
  }
  return Status::Ok();
}

}  // namespace reel::user

#pragma once

#include <cstddef>
#include <string_view>

#include "kit/status/status.hpp"
#include "user/domain/user.hpp"

namespace reel::user {

inline constexpr std::size_t kMaxSignatureLength = 200;

/// 0–200 characters (code points) of valid UTF-8 without control characters (not even a
/// line break: clients show it on one line). Empty clears the signature.
/// Error: SIGNATURE_INVALID.
Status ValidateSignature(std::string_view signature);

/// Whether `key` names a stored profile image: "<64 lowercase hex digits>.jpg", the only
/// shape ProfileImages produces.
bool IsProfileImageKey(std::string_view key);

/// Checks a whole update before anything is stored: something must be given
/// (PARAM_MISSING), the name follows the registration rules (USERNAME_INVALID), the
/// signature ValidateSignature (SIGNATURE_INVALID), image keys IsProfileImageKey
/// (IMAGE_INVALID). All INVALID_ARGUMENT.
Status ValidateProfileUpdate(const ProfileUpdate& update);

}  // namespace reel::user

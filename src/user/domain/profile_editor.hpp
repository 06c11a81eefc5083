#pragma once

#include <cstdint>
#include <span>

#include "kit/status/status.hpp"
#include "user/domain/profile_pictures.hpp"
#include "user/domain/user.hpp"
#include "user/domain/user_service.hpp"

namespace reel::user {

/// A profile change with pictures (PATCH /api/user): all or nothing. Thread-safe.
class ProfileEditor {
 public:
  ProfileEditor(UserService& users, ProfilePictures& pictures)
      : users_(users), pictures_(pictures) {}

  /// Changes `text` (name, signature; no picture keys) and the given pictures (at most one
  /// of each kind), and returns the user as stored. The cheap refusals (the rules, a taken
  /// name) come before any picture is decoded, every picture is checked before any is kept,
  /// and the row changes last, so a refusal changes nothing. A refusal after the pictures
  /// are kept (a name taken meanwhile) leaves pictures nothing points at, which is harmless:
  /// keys are content addresses, shared by whoever uploads the same bytes.
  /// Errors: PARAM_MISSING (nothing to change), PARAM_INVALID (two pictures of one kind),
  /// those of UserService::UpdateProfile and ProfilePictures.
  Result<User> Change(std::int64_t user_id, const ProfileUpdate& text,
                      std::span<const PictureUpload> pictures);

 private:
  UserService& users_;
  ProfilePictures& pictures_;
};

}  // namespace reel::user

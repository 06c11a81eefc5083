#pragma once

#include <span>

#include "kit/status/status.hpp"
#include "user/api/user_client.hpp"
#include "user/domain/profile_editor.hpp"
#include "user/domain/user_service.hpp"
#include "user/v1/user.pb.h"

namespace reel::user {

/// The user service's API (proto/user/v1/user.proto), implemented once and transport-free:
/// the HTTP routes call it in-process, and the gRPC transport wraps the same object.
/// Converts messages to domain calls and back; no rules live here. Thread-safe.
class UserRpc final : public UserClient {
 public:
  UserRpc(UserService& service, ProfileEditor& profiles) : service_(service), profiles_(profiles) {}

  Result<v1::RegisterReply> Register(const v1::RegisterRequest& request) override;
  Result<v1::LoginReply> Login(const v1::LoginRequest& request) override;
  Result<v1::GetUserReply> GetUser(const v1::GetUserRequest& request) override;
  Result<v1::BatchGetUsersReply> BatchGetUsers(const v1::BatchGetUsersRequest& request) override;
  Result<v1::RefreshReply> Refresh(const v1::RefreshRequest& request) override;
  Result<v1::LogoutReply> Logout(const v1::LogoutRequest& request) override;
  Result<v1::ChangePasswordReply> ChangePassword(const v1::ChangePasswordRequest& request) override;
  Result<v1::CheckSessionReply> CheckSession(const v1::CheckSessionRequest& request) override;
  Result<v1::UpdateProfileReply> UpdateProfile(const v1::UpdateProfileRequest& request) override;
  Result<v1::ListUserIdsReply> ListUserIds(const v1::ListUserIdsRequest& request) override;

  // Issue 16: not built yet (a stub until its helper lands).
  Result<v1::SetRoleReply> SetRole(const v1::SetRoleRequest& request) override;
  // Issue 16: not built yet (a stub until its helper lands).
  Result<v1::SetHiddenReply> SetHidden(const v1::SetHiddenRequest& request) override;

  // For PATCH /api/user, which runs in the user service's own process: the pictures are
  // files in the local spool, which a call to another machine could not read. Offering it to
  // other processes means moving the bytes first.

  /// ProfileEditor::Change (text and pictures, all or nothing), answered as UpdateProfile.
  Result<v1::UpdateProfileReply> ChangeProfile(std::int64_t user_id, const ProfileUpdate& text,
                                               std::span<const PictureUpload> pictures);

 private:
  UserService& service_;
  ProfileEditor& profiles_;
};

/// Fills a proto User from the domain (counters stay zero: other services own them).
void ToProto(const User& user, v1::User& out);

}  // namespace reel::user

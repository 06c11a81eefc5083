#pragma once

#include "kit/status/status.hpp"
#include "user/api/user_client.hpp"
#include "user/domain/user_service.hpp"
#include "user/v1/user.pb.h"

namespace reel::user {

/// The user service's API (proto/user/v1/user.proto), implemented once and transport-free:
/// the HTTP routes call it in-process, and the gRPC transport wraps the same object.
/// Converts messages to domain calls and back; no rules live here. Thread-safe.
class UserRpc final : public UserClient {
 public:
  explicit UserRpc(UserService& service) : service_(service) {}

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
 private:
  UserService& service_;
};

/// Fills a proto User from the domain (counters stay zero: other services own them).
void ToProto(const User& user, v1::User& out);

}  // namespace reel::user

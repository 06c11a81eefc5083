#pragma once

#include "kit/status/status.hpp"
#include "user/v1/user.pb.h"

namespace reel::user {

/// How other modules call the user service. UserRpc is the in-process implementation;
/// a gRPC implementation serves the cluster mode. Implementations are thread-safe.
class UserClient {
 public:
  virtual ~UserClient() = default;
  virtual Result<v1::RegisterReply> Register(const v1::RegisterRequest& request) = 0;
  virtual Result<v1::LoginReply> Login(const v1::LoginRequest& request) = 0;
  virtual Result<v1::GetUserReply> GetUser(const v1::GetUserRequest& request) = 0;
  virtual Result<v1::BatchGetUsersReply> BatchGetUsers(const v1::BatchGetUsersRequest& request) = 0;
  virtual Result<v1::RefreshReply> Refresh(const v1::RefreshRequest& request) = 0;
  virtual Result<v1::LogoutReply> Logout(const v1::LogoutRequest& request) = 0;
  virtual Result<v1::ChangePasswordReply> ChangePassword(
      const v1::ChangePasswordRequest& request) = 0;
  virtual Result<v1::CheckSessionReply> CheckSession(const v1::CheckSessionRequest& request) = 0;
  virtual Result<v1::UpdateProfileReply> UpdateProfile(const v1::UpdateProfileRequest& request) = 0;
  virtual Result<v1::ListUserIdsReply> ListUserIds(const v1::ListUserIdsRequest& request) = 0;
};

}  // namespace reel::user

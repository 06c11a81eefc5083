#pragma once

#include <cstdint>

#include "user/api/user_client.hpp"

namespace reel::user::testing {

/// An in-memory UserClient for tests of code that reads users: every id exists, named
/// "user<id>", except `missing`. `calls` counts GetUser and BatchGetUsers, so a test can
/// assert that a page of users was read in one batch. The account RPCs fail.
class FakeUserClient : public UnimplementedUserClient {
 public:
  explicit FakeUserClient(std::int64_t missing = 0) : missing_(missing) {}

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

  int calls = 0;
  /// A user hidden pending review (issue 16): found only by themselves or with all_states.
  std::int64_t hidden = 0;

 private:
  std::int64_t missing_;
};

}  // namespace reel::user::testing

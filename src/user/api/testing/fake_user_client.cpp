#include "user/api/testing/fake_user_client.hpp"

#include <string>

namespace reel::user::testing {

Result<v1::RegisterReply> FakeUserClient::Register(const v1::RegisterRequest&) {
  return Internal("the fake user client has no accounts");
}

Result<v1::LoginReply> FakeUserClient::Login(const v1::LoginRequest&) {
  return Internal("the fake user client has no accounts");
}

Result<v1::GetUserReply> FakeUserClient::GetUser(const v1::GetUserRequest&) {
  ++calls;
  return Internal("read users in batches");
}

Result<v1::BatchGetUsersReply> FakeUserClient::BatchGetUsers(
    const v1::BatchGetUsersRequest& request) {
  ++calls;
  v1::BatchGetUsersReply reply;
  for (std::int64_t id : request.user_ids()) {
    if (id == missing_) continue;
    const bool is_hidden = id == hidden;
    if (is_hidden && !request.all_states() && request.viewer_id() != id) continue;
    auto* user = reply.add_users();
    user->set_id(id);
    user->set_name("user" + std::to_string(id));
    user->set_hidden(is_hidden);
  }
  return reply;
}

Result<v1::RefreshReply> FakeUserClient::Refresh(const v1::RefreshRequest&) {
  return Internal("the fake user client has no accounts");
}

Result<v1::LogoutReply> FakeUserClient::Logout(const v1::LogoutRequest&) {
  return Internal("the fake user client has no accounts");
}

Result<v1::ChangePasswordReply> FakeUserClient::ChangePassword(const v1::ChangePasswordRequest&) {
  return Internal("the fake user client has no accounts");
}

Result<v1::CheckSessionReply> FakeUserClient::CheckSession(const v1::CheckSessionRequest& request) {
  if (request.user_id() == missing_) return Unauthenticated("TOKEN_INVALID", "no such user");
  return v1::CheckSessionReply{};
}

Result<v1::UpdateProfileReply> FakeUserClient::UpdateProfile(const v1::UpdateProfileRequest&) {
  return Internal("the fake user client has no accounts");
}

Result<v1::ListUserIdsReply> FakeUserClient::ListUserIds(const v1::ListUserIdsRequest&) {
  return Internal("the fake user client cannot list its users: every id exists");
}

}  // namespace reel::user::testing

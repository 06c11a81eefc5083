#include "user/api/user_grpc_client.hpp"

#include <utility>

namespace reel::user {
namespace {

using rpc::CallKind;
using Stub = v1::UserService::Stub;

}  // namespace

GrpcUserClient::GrpcUserClient(std::unique_ptr<rpc::ChannelSet> channels,
                               const rpc::RpcConfig& config, const Clock& clock)
    : caller_("user", std::move(channels), config, clock) {}

Result<v1::RegisterReply> GrpcUserClient::Register(const v1::RegisterRequest& request) {
  return caller_.Call("Register", CallKind::kWrite, request, &Stub::Register);
}

Result<v1::LoginReply> GrpcUserClient::Login(const v1::LoginRequest& request) {
  return caller_.Call("Login", CallKind::kWrite, request, &Stub::Login);
}

Result<v1::GetUserReply> GrpcUserClient::GetUser(const v1::GetUserRequest& request) {
  return caller_.Call("GetUser", CallKind::kRead, request, &Stub::GetUser);
}

Result<v1::BatchGetUsersReply> GrpcUserClient::BatchGetUsers(
    const v1::BatchGetUsersRequest& request) {
  return caller_.Call("BatchGetUsers", CallKind::kRead, request, &Stub::BatchGetUsers);
}

Result<v1::RefreshReply> GrpcUserClient::Refresh(const v1::RefreshRequest& request) {
  return caller_.Call("Refresh", CallKind::kWrite, request, &Stub::Refresh);
}

Result<v1::LogoutReply> GrpcUserClient::Logout(const v1::LogoutRequest& request) {
  return caller_.Call("Logout", CallKind::kWrite, request, &Stub::Logout);
}

Result<v1::ChangePasswordReply> GrpcUserClient::ChangePassword(
    const v1::ChangePasswordRequest& request) {
  return caller_.Call("ChangePassword", CallKind::kWrite, request, &Stub::ChangePassword);
}

Result<v1::CheckSessionReply> GrpcUserClient::CheckSession(const v1::CheckSessionRequest& request) {
  return caller_.Call("CheckSession", CallKind::kRead, request, &Stub::CheckSession);
}

Result<v1::UpdateProfileReply> GrpcUserClient::UpdateProfile(
    const v1::UpdateProfileRequest& request) {
  return caller_.Call("UpdateProfile", CallKind::kWrite, request, &Stub::UpdateProfile);
}

Result<v1::ListUserIdsReply> GrpcUserClient::ListUserIds(const v1::ListUserIdsRequest& request) {
  return caller_.Call("ListUserIds", CallKind::kRead, request, &Stub::ListUserIds);
}

}  // namespace reel::user

#include "user/api/user_rpc.hpp"

namespace reel::user {
namespace {

void ToProto(const Session& session, v1::TokenPair& out) {
  out.set_access_token(session.access_token);
  out.set_refresh_token(session.refresh_token);
  out.set_access_expires_in_seconds(session.access_expires_in_seconds);
}

// Register, Login, Refresh and ChangePassword replies share their shape; register and
// login replies also carry the device token.
template <typename Reply>
Result<Reply> SessionReply(const Result<Session>& session) {
  if (!session.ok()) return session.status();
  Reply reply;
  reply.set_user_id(session->user_id);
  ToProto(*session, *reply.mutable_tokens());
  if constexpr (requires { reply.set_device_token(session->device_token); }) {
    reply.set_device_token(session->device_token);
  }
  return reply;
}

}  // namespace

void ToProto(const User& user, v1::User& out) {
  out.set_id(user.id);
  out.set_name(user.name);
  out.set_avatar(user.avatar);
  out.set_background_image(user.background_image);
  out.set_signature(user.signature);
  out.set_role(user.role);
  out.set_hidden(user.hidden);
}

Result<v1::RegisterReply> UserRpc::Register(const v1::RegisterRequest& request) {
  return SessionReply<v1::RegisterReply>(service_.Register(request.username(), request.password()));
}

Result<v1::LoginReply> UserRpc::Login(const v1::LoginRequest& request) {
  return SessionReply<v1::LoginReply>(service_.Login(
      {request.username(), request.password(), request.client_ip(), request.device_token()}));
}

Result<v1::RefreshReply> UserRpc::Refresh(const v1::RefreshRequest& request) {
  return SessionReply<v1::RefreshReply>(service_.Refresh(request.refresh_token()));
}

Result<v1::LogoutReply> UserRpc::Logout(const v1::LogoutRequest& request) {
  auto outcome = service_.Logout(request.access_token(), request.refresh_token());
  if (!outcome.ok()) return outcome.status();
  v1::LogoutReply reply;
  reply.set_user_id(outcome->user_id);
  reply.set_revoked(outcome->revoked);
  return reply;
}

Result<v1::ChangePasswordReply> UserRpc::ChangePassword(const v1::ChangePasswordRequest& request) {
  return SessionReply<v1::ChangePasswordReply>(service_.ChangePassword(
      request.user_id(), request.old_password(), request.new_password(), request.client_ip()));
}

Result<v1::CheckSessionReply> UserRpc::CheckSession(const v1::CheckSessionRequest& request) {
  if (Status s = service_.CheckSession(request.user_id(), request.session_id()); !s.ok()) return s;
  return v1::CheckSessionReply{};
}

Result<v1::GetUserReply> UserRpc::GetUser(const v1::GetUserRequest& request) {
  auto user = service_.GetUser(request.user_id(), {request.viewer_id(), request.all_states()});
  if (!user.ok()) return user.status();
  v1::GetUserReply reply;
  ToProto(*user, *reply.mutable_user());
  return reply;
}

Result<v1::BatchGetUsersReply> UserRpc::BatchGetUsers(const v1::BatchGetUsersRequest& request) {
  const auto& ids = request.user_ids();
  v1::BatchGetUsersReply reply;
  for (const User& user : service_.BatchGetUsers({ids.data(), static_cast<std::size_t>(ids.size())},
                                                 {request.viewer_id(), request.all_states()})) {
    ToProto(user, *reply.add_users());
  }
  return reply;
}

Result<v1::UpdateProfileReply> UserRpc::UpdateProfile(const v1::UpdateProfileRequest& request) {
  ProfileUpdate update;
  if (request.has_name()) update.name = request.name();
  if (request.has_signature()) update.signature = request.signature();
  if (request.has_avatar_key()) update.avatar_key = request.avatar_key();
  if (request.has_background_key()) update.background_key = request.background_key();
  if (request.validate_only()) {
    if (Status s = service_.CheckProfileUpdate(request.user_id(), update); !s.ok()) return s;
  }
  auto user = request.validate_only() ? service_.GetUser(request.user_id())
                                      : service_.UpdateProfile(request.user_id(), update);
  if (!user.ok()) return user.status();
  v1::UpdateProfileReply reply;
  ToProto(*user, *reply.mutable_user());
  return reply;
}

Result<v1::UpdateProfileReply> UserRpc::ChangeProfile(std::int64_t user_id,
                                                      const ProfileUpdate& text,
                                                      std::span<const PictureUpload> pictures) {
  auto user = profiles_.Change(user_id, text, pictures);
  if (!user.ok()) return user.status();
  v1::UpdateProfileReply reply;
  ToProto(*user, *reply.mutable_user());
  return reply;
}

Result<v1::ListUserIdsReply> UserRpc::ListUserIds(const v1::ListUserIdsRequest& request) {
  auto page = service_.ListUserIds(request.after_id(), request.limit());
  if (!page.ok()) return page.status();
  v1::ListUserIdsReply reply;
  reply.mutable_user_ids()->Add(page->user_ids.begin(), page->user_ids.end());
  reply.set_next_after_id(page->next_after_id);
  return reply;
}

Result<v1::SetRoleReply> UserRpc::SetRole(const v1::SetRoleRequest& request) {
  auto user = service_.SetRole(request.user_id(), request.role());
  if (!user.ok()) return user.status();
  v1::SetRoleReply reply;
  ToProto(*user, *reply.mutable_user());
  return reply;
}

Result<v1::SetHiddenReply> UserRpc::SetHidden(const v1::SetHiddenRequest& request) {
  auto user = service_.SetHidden(request.user_id(), request.hidden());
  if (!user.ok()) return user.status();
  v1::SetHiddenReply reply;
  ToProto(*user, *reply.mutable_user());
  return reply;
}

}  // namespace reel::user

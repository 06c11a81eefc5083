#include "user/api/user_grpc_service.hpp"

#include "kit/rpc/grpc_status.hpp"

namespace reel::user {

grpc::Status UserGrpcService::Register(grpc::ServerContext*, const v1::RegisterRequest* request,
                                       v1::RegisterReply* reply) {
  return rpc::Answer(impl_.Register(*request), reply);
}

grpc::Status UserGrpcService::Login(grpc::ServerContext*, const v1::LoginRequest* request,
                                    v1::LoginReply* reply) {
  return rpc::Answer(impl_.Login(*request), reply);
}

grpc::Status UserGrpcService::GetUser(grpc::ServerContext*, const v1::GetUserRequest* request,
                                      v1::GetUserReply* reply) {
  return rpc::Answer(impl_.GetUser(*request), reply);
}

grpc::Status UserGrpcService::BatchGetUsers(grpc::ServerContext*,
                                            const v1::BatchGetUsersRequest* request,
                                            v1::BatchGetUsersReply* reply) {
  return rpc::Answer(impl_.BatchGetUsers(*request), reply);
}

grpc::Status UserGrpcService::Refresh(grpc::ServerContext*, const v1::RefreshRequest* request,
                                      v1::RefreshReply* reply) {
  return rpc::Answer(impl_.Refresh(*request), reply);
}

grpc::Status UserGrpcService::Logout(grpc::ServerContext*, const v1::LogoutRequest* request,
                                     v1::LogoutReply* reply) {
  return rpc::Answer(impl_.Logout(*request), reply);
}

grpc::Status UserGrpcService::ChangePassword(grpc::ServerContext*,
                                             const v1::ChangePasswordRequest* request,
                                             v1::ChangePasswordReply* reply) {
  return rpc::Answer(impl_.ChangePassword(*request), reply);
}

grpc::Status UserGrpcService::CheckSession(grpc::ServerContext*,
                                           const v1::CheckSessionRequest* request,
                                           v1::CheckSessionReply* reply) {
  return rpc::Answer(impl_.CheckSession(*request), reply);
}

grpc::Status UserGrpcService::UpdateProfile(grpc::ServerContext*,
                                            const v1::UpdateProfileRequest* request,
                                            v1::UpdateProfileReply* reply) {
  return rpc::Answer(impl_.UpdateProfile(*request), reply);
}

grpc::Status UserGrpcService::ListUserIds(grpc::ServerContext*,
                                          const v1::ListUserIdsRequest* request,
                                          v1::ListUserIdsReply* reply) {
  return rpc::Answer(impl_.ListUserIds(*request), reply);
}

}  // namespace reel::user

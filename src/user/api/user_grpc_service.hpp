#pragma once

#include <grpcpp/server_context.h>

#include "user/api/user_client.hpp"
#include "user/v1/user.grpc.pb.h"

namespace reel::user {

/// The user service on gRPC: each method hands the request to the one implementation (the
/// in-process UserRpc) and sends back its reply, or its Status with the exact code, reason
/// and message (kit/rpc/grpc_status.hpp), so a GrpcUserClient sees what an in-process
/// caller would. Thread-safe as `impl` is; `impl` must outlive the server.
class UserGrpcService final : public v1::UserService::Service {
 public:
  explicit UserGrpcService(UserClient& impl) : impl_(impl) {}

  grpc::Status Register(grpc::ServerContext* context, const v1::RegisterRequest* request,
                        v1::RegisterReply* reply) override;
  grpc::Status Login(grpc::ServerContext* context, const v1::LoginRequest* request,
                     v1::LoginReply* reply) override;
  grpc::Status GetUser(grpc::ServerContext* context, const v1::GetUserRequest* request,
                       v1::GetUserReply* reply) override;
  grpc::Status BatchGetUsers(grpc::ServerContext* context, const v1::BatchGetUsersRequest* request,
                             v1::BatchGetUsersReply* reply) override;
  grpc::Status Refresh(grpc::ServerContext* context, const v1::RefreshRequest* request,
                       v1::RefreshReply* reply) override;
  grpc::Status Logout(grpc::ServerContext* context, const v1::LogoutRequest* request,
                      v1::LogoutReply* reply) override;
  grpc::Status ChangePassword(grpc::ServerContext* context,
                              const v1::ChangePasswordRequest* request,
                              v1::ChangePasswordReply* reply) override;
  grpc::Status CheckSession(grpc::ServerContext* context, const v1::CheckSessionRequest* request,
                            v1::CheckSessionReply* reply) override;
  grpc::Status UpdateProfile(grpc::ServerContext* context, const v1::UpdateProfileRequest* request,
                             v1::UpdateProfileReply* reply) override;
  grpc::Status ListUserIds(grpc::ServerContext* context, const v1::ListUserIdsRequest* request,
                           v1::ListUserIdsReply* reply) override;

 private:
  UserClient& impl_;
};

}  // namespace reel::user

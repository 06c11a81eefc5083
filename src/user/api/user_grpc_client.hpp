#pragma once

#include <memory>

#include "kit/clock/clock.hpp"
#include "kit/rpc/adaptive_throttle.hpp"
#include "kit/rpc/channel_set.hpp"
#include "kit/rpc/rpc_caller.hpp"
#include "kit/rpc/rpc_config.hpp"
#include "user/api/user_client.hpp"
#include "user/v1/user.grpc.pb.h"

namespace reel::user {

/// The user service reached over gRPC (a UserGrpcService in another process): the same
/// contract as the in-process UserRpc, with the service's own errors passed through
/// unchanged. Every call has the configured deadline and goes through the breaker; reads
/// are retried once after a transport failure, writes never (a write may have happened).
/// Reads: GetUser, BatchGetUsers, ListUserIds, CheckSession.
/// Transport errors: kUnavailable DEPENDENCY_UNAVAILABLE, DEPENDENCY_TIMEOUT or
/// DEPENDENCY_THROTTLED. Thread-safe.
class GrpcUserClient final : public UserClient {
 public:
  GrpcUserClient(std::unique_ptr<rpc::ChannelSet> channels, const rpc::RpcConfig& config,
                 const Clock& clock);

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

  /// The client's circuit breaker (for tests and metrics).
  rpc::AdaptiveThrottle& breaker() { return caller_.breaker(); }

 private:
  rpc::RpcCaller<v1::UserService> caller_;
};

}  // namespace reel::user

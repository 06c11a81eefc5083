#pragma once

#include "kit/auth/account_check.hpp"
#include "user/api/user_client.hpp"

namespace reel::user {

/// auth::AccountCheck answered by the user service through its client (in-process UserRpc
/// in `reel all` and in the user process, one gRPC call elsewhere): CheckSession. Wrap it in
/// an auth::CachedAccountCheck so a burst of writes asks once. Thread-safe.
class UserAccountCheck final : public auth::AccountCheck {
 public:
  explicit UserAccountCheck(UserClient& users) : users_(users) {}

  Status Check(std::int64_t user_id, std::int64_t session_id) override;

 private:
  UserClient& users_;
};

}  // namespace reel::user

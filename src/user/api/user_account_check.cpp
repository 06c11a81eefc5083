#include "user/api/user_account_check.hpp"

namespace reel::user {

Status UserAccountCheck::Check(std::int64_t user_id, std::int64_t session_id) {
  v1::CheckSessionRequest request;
  request.set_user_id(user_id);
  request.set_session_id(session_id);
  return users_.CheckSession(request).status();
}

}  // namespace reel::user

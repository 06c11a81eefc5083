#pragma once

#include <cstdint>

#include "kit/http/auth/request_authenticator.hpp"
#include "kit/http/params.hpp"
#include "kit/status/status.hpp"

namespace reel::auth {

/// What a list route is asked: whose list (`user_id`, or the caller's own when absent), who
/// is looking (the caller; 0 when anonymous) and which page (`cursor`, `limit`, beyond the
/// Douyin spec).
struct ListQuery {
  static constexpr std::int64_t kMaxLimit = 100;

  std::int64_t owner = 0;
  std::int64_t viewer = 0;
  std::int64_t cursor = 0;
  std::int64_t limit = 0;  // 0..kMaxLimit; 0 means the service's default page size
};

/// Errors: TOKEN_MISSING when neither a user_id nor a token is given; a present but invalid
/// token (TOKEN_INVALID / TOKEN_EXPIRED); malformed parameters (PARAM_INVALID).
Result<ListQuery> ReadListQuery(const http::Request& request, const http::Params& params,
                                const RequestAuthenticator& auth);

}  // namespace reel::auth

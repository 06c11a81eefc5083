#pragma once

#include <cstdint>

#include "kit/status/status.hpp"
#include "relation/api/relation_client.hpp"

namespace reel::relation {

/// Calls one of the caller-to-a-user actions (Follow, Unfollow, Block, Unblock) from
/// `user_id` to `to_user_id`; answers whether it changed anything. Errors: the call's.
template <typename Request, typename Reply>
Result<bool> UserPairAction(RelationClient& relations,
                            Result<Reply> (RelationClient::*action)(const Request&),
                            std::int64_t user_id, std::int64_t to_user_id) {
  Request request;
  request.set_user_id(user_id);
  request.set_to_user_id(to_user_id);
  auto reply = (relations.*action)(request);
  if (!reply.ok()) return reply.status();
  return reply->changed();
}

}  // namespace reel::relation

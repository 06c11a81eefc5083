#pragma once

#include "kit/auth/request_authenticator.hpp"
#include "kit/http/router.hpp"
#include "relation/api/relation_client.hpp"
#include "views/user_views.hpp"

namespace reel::relation {

/// The Douyin social routes:
///   POST /douyin/relation/action (token, to_user_id, action_type 1 follow / 2 unfollow);
///   GET /douyin/relation/follow/list, /follower/list, /friend/list (user_id, defaulting to
///     the caller; optional token, and beyond the spec `cursor` and `limit` for paging);
///   POST /douyin/message/action (token, to_user_id, action_type 1, content);
///   GET /douyin/message/chat (token, to_user_id, optional pre_msg_time in s or ms).
/// User objects come from `users` with the caller as viewer, so is_follow is theirs.
void AddRelationDouyinRoutes(http::Router& router, RelationClient& relations,
                             views::UserViews& users, const auth::RequestAuthenticator& auth);

}  // namespace reel::relation

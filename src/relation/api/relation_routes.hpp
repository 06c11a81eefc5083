#pragma once

#include "kit/http/auth/request_authenticator.hpp"
#include "kit/http/router.hpp"
#include "relation/api/relation_rpc.hpp"
#include "views/user_views.hpp"

namespace reel::relation {

/// The Douyin social routes:
///   POST /douyin/relation/action (token, to_user_id, action_type 1 follow / 2 unfollow);
///   GET /douyin/relation/follow/list, /follower/list, /friend/list (user_id, defaulting to
///     the caller; optional token, and beyond the spec `cursor` and `limit` for paging);
///   POST /douyin/message/action (token, to_user_id, action_type 1, content);
///   GET /douyin/message/chat (token, to_user_id, optional pre_msg_time in s or ms).
/// User objects come from `users` with the caller as viewer, so is_follow is theirs.
/// `relations` is this process's own RelationRpc: the listings use its in-process
/// ListPeople, so these routes are served by the relation service (or `reel all`).
void AddRelationDouyinRoutes(http::Router& router, RelationRpc& relations, views::UserViews& users,
                             const auth::RequestAuthenticator& auth);

/// The JSON API's social routes (/api error shape, bearer tokens only):
///   POST /api/relation/control (auth; {to_user_id, action: "follow"|"unfollow"}) answers
///     {changed, is_follow};
///   GET /api/relation/list (optional auth; user_id defaulting to the caller,
///     type=follow|follower|friend (default follow), cursor, limit) answers
///     {users, next_cursor, has_more}; on the caller's own friend list each user also has
///     last_message (a message object, or null when they have not talked);
///   POST /api/message/send (auth; {to_user_id, content}) answers {message};
///   GET /api/message/chat (auth; to_user_id, after (ms, default 0), limit) answers
///     {messages, next_after}, oldest first, messages with created_at > after.
/// A message is {id, from_user_id, to_user_id, content, created_at}. A named user (the
/// list's owner, the chat's peer) that does not exist is 404 USER_NOT_FOUND. `relations` as
/// for AddRelationDouyinRoutes.
void AddRelationApiRoutes(http::Router& router, RelationRpc& relations, views::UserViews& views,
                          const auth::RequestAuthenticator& auth);

/// The JSON API's block routes (issue 16; /api error shape, bearer tokens only):
///   POST /api/relation/block (auth; {to_user_id, action: "block"|"unblock"}) answers
///     {changed, is_blocked}; errors CANNOT_BLOCK_SELF (400), USER_NOT_FOUND (404);
///   GET /api/relation/blocked (auth; cursor, limit) answers the caller's own blocked users,
///     newest block first: {users, next_cursor, has_more}; with to_user_id, only that user
///     when the caller blocked them (else an empty page), for a profile's block button.
void AddRelationBlockRoutes(http::Router& router, RelationRpc& relations, views::UserViews& views,
                            const auth::RequestAuthenticator& auth);

}  // namespace reel::relation

#pragma once

#include "comment/api/comment_client.hpp"
#include "kit/auth/request_authenticator.hpp"
#include "kit/http/router.hpp"
#include "views/user_views.hpp"

namespace reel::comment {

/// POST /douyin/comment/action (token; video_id; action_type 1 with comment_text to comment,
/// 2 with comment_id to delete) and GET /douyin/comment/list (video_id; optional token, and
/// beyond the Douyin spec optional cursor and limit for paging, answered with next_cursor).
/// Comments carry their author as the full user object, is_follow relative to the caller.
void AddCommentDouyinRoutes(http::Router& router, CommentClient& comments, views::UserViews& users,
                            const auth::RequestAuthenticator& auth);

}  // namespace reel::comment

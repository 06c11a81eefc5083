#pragma once

#include "comment/api/comment_client.hpp"
#include "kit/http/auth/request_authenticator.hpp"
#include "kit/http/router.hpp"
#include "views/user_views.hpp"

namespace reel::comment {

/// POST /douyin/comment/action (token; video_id; action_type 1 with comment_text to comment,
/// 2 with comment_id to delete) and GET /douyin/comment/list (video_id; optional token, and
/// beyond the Douyin spec optional cursor and limit for paging, answered with next_cursor).
/// Comments carry their author as the full user object, is_follow relative to the caller.
void AddCommentDouyinRoutes(http::Router& router, CommentClient& comments, views::UserViews& users,
                            const auth::RequestAuthenticator& auth);

/// The JSON API's comment routes (/api error shape, bearer tokens only):
///   POST /api/comment/create (auth; {video_id, content}) answers {comment};
///   DELETE /api/comment/{id} (auth: the comment's author or the video's author, else 403
///     COMMENT_NOT_YOURS; unknown 404 COMMENT_NOT_FOUND) answers {deleted: true};
///   GET /api/comment/get (optional auth; video_id, cursor, limit) answers
///     {comments, next_cursor, has_more}, newest first.
/// A comment is {id, video_id, user, content, created_at, create_date}.
void AddCommentApiRoutes(http::Router& router, CommentClient& comments, views::UserViews& users,
                         const auth::RequestAuthenticator& auth);

}  // namespace reel::comment

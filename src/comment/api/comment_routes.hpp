#pragma once

#include "comment/api/comment_client.hpp"
#include "kit/http/auth/request_authenticator.hpp"
#include "kit/http/router.hpp"
#include "views/user_views.hpp"

namespace reel::comment {

/// POST /douyin/comment/action (token; video_id; action_type 1 with comment_text, and
/// optional parent_id to reply, to comment; 2 with comment_id to delete) and GET
/// /douyin/comment/list (video_id; optional token, and beyond the Douyin spec optional
/// cursor and limit for paging, answered with next_cursor): every comment the caller may see,
/// replies included, newest first, in the Douyin comment shape.
/// Comments carry their author as the full user object, is_follow relative to the caller.
void AddCommentDouyinRoutes(http::Router& router, CommentClient& comments, views::UserViews& users,
                            const auth::RequestAuthenticator& auth);

/// The JSON API's comment routes (/api error shape, bearer tokens only):
///   POST /api/comment/create and its alias /api/comment/creat (auth; {video_id, content,
///     optional parent_id}) answers {comment};
///   DELETE /api/comment/{id} (auth: the comment's author or the video's author, else 403
///     COMMENT_NOT_YOURS; unknown 404 COMMENT_NOT_FOUND) answers {deleted: true};
///   GET /api/comment/get (optional auth; video_id, cursor, limit) answers
///     {comments, next_cursor, has_more}: top-level comments, newest first, each with
///     reply_count and first_replies;
///   GET /api/comment/replies (optional auth; comment_id, cursor, limit) answers
///     {replies, next_cursor, has_more}, oldest first.
/// A comment is {id, video_id, user, content, created_at, create_date, parent_id,
/// reply_to_comment_id, reply_to_user, hidden} (see WriteApiCommentJson).
void AddCommentApiRoutes(http::Router& router, CommentClient& comments, views::UserViews& users,
                         const auth::RequestAuthenticator& auth);

}  // namespace reel::comment

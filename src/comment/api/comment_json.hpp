#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "comment/v1/comment.pb.h"
#include "kit/http/params.hpp"
#include "kit/json/json_writer.hpp"
#include "kit/status/status.hpp"
#include "user/v1/user.pb.h"
#include "views/user_views.hpp"

namespace reel::comment {

/// The day a comment was made, in UTC, as Douyin clients show it: "MM-DD" ("11-24").
std::string CreateDate(std::int64_t created_at_ms);

/// Writes the comment object both public APIs share as the next JSON value: id, video_id,
/// user (`author` as the full user object), content, created_at (ms) and create_date
/// ("MM-DD"). The Douyin clients read id, user, content and create_date and ignore the rest.
void WriteCommentJson(json::JsonWriter& w, const v1::Comment& comment,
                      const user::v1::User& author);

/// The parent_id of a comment being created: absent, empty or 0 for a comment on the video,
/// else the id of the comment answered. Errors: PARAM_INVALID (not a non-negative integer).
Result<std::int64_t> ReadParentId(const http::Params& params);

/// Users by id, as one look-up for a page of comments gives them.
using CommentUsers = std::unordered_map<std::int64_t, user::v1::User>;

/// Writes the /api comment object as the next JSON value: the shared fields (above), then
/// parent_id, reply_to_comment_id, reply_to_user (the user answered, null on top-level
/// comments or when that user is gone) and hidden; on comments of a top-level listing also
/// reply_count and first_replies (replies whose author is gone are left out). Nothing is
/// written when the comment's own author is not in `users`.
void WriteApiCommentJson(json::JsonWriter& w, const v1::Comment& comment, const CommentUsers& users,
                         bool with_replies);

/// The users a page of /api comments shows (authors, the users replies answer, and the same
/// for first_replies) as seen by `viewer`, in one call.
Result<CommentUsers> CommentPeople(views::UserViews& users,
                                   const google::protobuf::RepeatedPtrField<v1::Comment>& comments,
                                   std::int64_t viewer);

/// The authors of a page of comments as user objects seen by `viewer` (0: anonymous), by
/// id: one call however many comments each wrote. Authors who no longer exist are absent.
Result<std::unordered_map<std::int64_t, user::v1::User>> CommentAuthors(
    views::UserViews& users, const google::protobuf::RepeatedPtrField<v1::Comment>& comments,
    std::int64_t viewer);

}  // namespace reel::comment

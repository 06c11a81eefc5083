#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "comment/v1/comment.pb.h"
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

/// The authors of a page of comments as user objects seen by `viewer` (0: anonymous), by
/// id: one call however many comments each wrote. Authors who no longer exist are absent.
Result<std::unordered_map<std::int64_t, user::v1::User>> CommentAuthors(
    views::UserViews& users, const google::protobuf::RepeatedPtrField<v1::Comment>& comments,
    std::int64_t viewer);

}  // namespace reel::comment

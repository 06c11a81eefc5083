#pragma once

#include "kit/json/json_writer.hpp"
#include "user/v1/user.pb.h"

namespace reel::views {

/// Writes the user object both public APIs share (Douyin field names:
/// id, name, follow_count, follower_count, is_follow, avatar, background_image, signature,
/// total_favorited, work_count, favorite_count) as the next JSON value. `is_follow_end`,
/// when given, is set to the writer's size just past the is_follow value, for a rendering
/// kept apart from its viewer (views::RenderedVideo).
void WriteUserJson(json::JsonWriter& w, const user::v1::User& user,
                   std::size_t* is_follow_end = nullptr);

/// The same object with what only its owner is shown (issue 16): `role` ("user" or
/// "moderator") and `hidden` (hidden pending review). For /api's own profile.
void WriteOwnUserJson(json::JsonWriter& w, const user::v1::User& user);

}  // namespace reel::views

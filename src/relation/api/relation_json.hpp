#pragma once

#include <functional>

#include "kit/json/json_writer.hpp"
#include "relation/v1/relation.pb.h"
#include "user/v1/user.pb.h"

namespace reel::relation {

/// Writes the /api message object as the next JSON value: id, from_user_id, to_user_id,
/// content, created_at (ms).
void WriteMessageJson(json::JsonWriter& w, const v1::Message& message);

/// Writes `user` exactly as views::WriteUserJson does, followed by the fields `extra` writes
/// into the still-open object (a friend's latest message), so the user object's fields stay
/// defined in one place for every listing.
void WriteUserJsonWith(json::JsonWriter& w, const user::v1::User& user,
                       const std::function<void(json::JsonWriter&)>& extra);

}  // namespace reel::relation

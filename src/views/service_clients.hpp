#pragma once

#include "comment/api/comment_client.hpp"
#include "favorite/api/favorite_client.hpp"
#include "relation/api/relation_client.hpp"
#include "user/api/user_client.hpp"
#include "video/api/video_client.hpp"

namespace reel::views {

/// The services a view may ask. `users` is required; any other may be null in a process
/// that cannot reach that service, and its counters then read 0 while the rest is answered.
struct ServiceClients {
  user::UserClient* users = nullptr;
  video::VideoClient* videos = nullptr;
  favorite::FavoriteClient* favorites = nullptr;
  comment::CommentClient* comments = nullptr;
  relation::RelationClient* relations = nullptr;
};

}  // namespace reel::views

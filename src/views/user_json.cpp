#include "views/user_json.hpp"

namespace reel::views {

namespace {

void WriteUserFields(json::JsonWriter& w, const user::v1::User& user, std::size_t* is_follow_end) {
  w.BeginObject()
      .Field("id", user.id())
      .Field("name", user.name())
      .Field("follow_count", user.follow_count())
      .Field("follower_count", user.follower_count())
      .Field("is_follow", user.is_follow());
  if (is_follow_end) *is_follow_end = w.size();
  w.Field("avatar", user.avatar())
      .Field("background_image", user.background_image())
      .Field("signature", user.signature())
      .Field("total_favorited", user.total_favorited())
      .Field("work_count", user.work_count())
      .Field("favorite_count", user.favorite_count());
}

}  // namespace

void WriteUserJson(json::JsonWriter& w, const user::v1::User& user, std::size_t* is_follow_end) {
  WriteUserFields(w, user, is_follow_end);
  w.EndObject();
}

void WriteOwnUserJson(json::JsonWriter& w, const user::v1::User& user) {
  WriteUserFields(w, user, nullptr);
  w.Field("role", user.role().empty() ? std::string("user") : user.role())
      .Field("hidden", user.hidden())
      .EndObject();
}

}  // namespace reel::views

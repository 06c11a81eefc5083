// The JSON API's favorite routes: liking and unliking a video, and a user's liked videos.
#include <string>
#include <string_view>

#include "favorite/api/favorite_routes.hpp"
#include "favorite/api/video_action.hpp"
#include "favorite/api/video_page_answer.hpp"
#include "kit/http/api_page.hpp"
#include "kit/http/params.hpp"

namespace reel::favorite {
namespace {

// The counters the caller sees right after the action (read back: see StatAfter).
Result<http::Response> ActionAnswer(bool changed, std::int64_t user_id, std::int64_t video_id,
                                    FavoriteClient& favorites) {
  auto stat = StatAfter(favorites, user_id, video_id);
  if (!stat.ok()) return stat.status();
  json::JsonWriter w;
  w.BeginObject()
      .Field("changed", changed)
      .Field("is_favorite", stat->liked_by_viewer())
      .Field("favorite_count", stat->favorite_count())
      .EndObject();
  return http::Response::Json(w.Take());
}

Result<http::Response> Action(http::Request& req, FavoriteClient& favorites,
                              const auth::RequestAuthenticator& auth) {
  // Only the Authorization header counts on /api: tokens stay out of URLs.
  auto user = auth.Require(req, nullptr);
  if (!user.ok()) return user.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto video_id = params->RequiredId("video_id");
  if (!video_id.ok()) return video_id.status();
  auto liking = params->RequiredSwitch("action", "like", "unlike");
  if (!liking.ok()) return liking.status();

  auto changed = *liking ? VideoAction(favorites, &FavoriteClient::Like, *user, *video_id)
                         : VideoAction(favorites, &FavoriteClient::Unlike, *user, *video_id);
  if (!changed.ok()) return changed.status();
  return ActionAnswer(*changed, *user, *video_id, favorites);
}

Result<http::Response> Videos(http::Request& req, FavoriteClient& favorites,
                              views::VideoViews& views, video::VideoClient& videos,
                              const auth::RequestAuthenticator& auth) {
  // A token that is sent must be valid, even when user_id names someone.
  auto viewer = auth.Optional(req, nullptr);
  if (!viewer.ok()) return viewer.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto user_id = params->OptionalId("user_id");
  if (!user_id.ok()) return user_id.status();
  if (!*user_id && !*viewer) return Unauthenticated("TOKEN_MISSING", "give a user_id or sign in");
  auto page = http::ReadApiPage(*params);
  if (!page.ok()) return page.status();
  const std::int64_t owner = user_id->value_or(viewer->value_or(0));

  v1::ListLikedRequest list;
  list.set_user_id(owner);
  list.set_cursor(page->cursor);
  list.set_limit(page->limit);
  // A wrong id is a 404, not an empty list. One's own list needs no look-up: the token names
  // a user who exists, and one hidden pending review must still see their own (issue 16).
  list.set_owner_must_exist(owner != viewer->value_or(0));
  auto liked = favorites.ListLiked(list);
  if (!liked.ok()) return liked.status();

  return VideoPageAnswer(videos, views, liked->video_ids(), viewer->value_or(0),
                         liked->next_cursor());
}

}  // namespace

void AddFavoriteApiRoutes(http::Router& router, FavoriteClient& favorites, views::VideoViews& views,
                          video::VideoClient& videos, const auth::RequestAuthenticator& auth) {
  router.Add({.method = "POST",
              .pattern = "/api/favorite/action",
              .handler = [&](http::Request& req) { return Action(req, favorites, auth); }});
  router.Add(
      {.method = "GET", .pattern = "/api/favorite/videos", .handler = [&](http::Request& req) {
         return Videos(req, favorites, views, videos, auth);
       }});
}

}  // namespace reel::favorite

// The JSON API's collection routes (issue 16): bookmarking videos (收藏), a user's collection
// list, the collection privacy setting, and sharing.
#include <string>
#include <string_view>

#include "favorite/api/favorite_routes.hpp"
#include "favorite/api/video_action.hpp"
#include "favorite/api/video_page_answer.hpp"
#include "kit/http/api_page.hpp"
#include "kit/http/params.hpp"

namespace reel::favorite {
namespace {

Result<http::Response> Collect(http::Request& req, FavoriteClient& favorites,
                               const auth::RequestAuthenticator& auth) {
  // Only the Authorization header counts on /api: tokens stay out of URLs.
  auto user = auth.Require(req, nullptr);
  if (!user.ok()) return user.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto video_id = params->RequiredId("video_id");
  if (!video_id.ok()) return video_id.status();
  auto collecting = params->RequiredSwitch("action", "collect", "uncollect");
  if (!collecting.ok()) return collecting.status();

  auto changed = *collecting ? VideoAction(favorites, &FavoriteClient::Collect, *user, *video_id)
                             : VideoAction(favorites, &FavoriteClient::Uncollect, *user, *video_id);
  if (!changed.ok()) return changed.status();
  auto stat = StatAfter(favorites, *user, *video_id);
  if (!stat.ok()) return stat.status();
  json::JsonWriter w;
  w.BeginObject()
      .Field("changed", *changed)
      .Field("is_collected", stat->collected_by_viewer())
      .Field("collect_count", stat->collect_count())
      .EndObject();
  return http::Response::Json(w.Take());
}

Result<http::Response> Collections(http::Request& req, FavoriteClient& favorites,
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
  const std::int64_t viewer_id = viewer->value_or(0);

  v1::ListCollectedRequest list;
  list.set_user_id(user_id->value_or(viewer_id));
  list.set_viewer_id(viewer_id);
  list.set_cursor(page->cursor);
  list.set_limit(page->limit);
  auto collected = favorites.ListCollected(list);
  if (!collected.ok()) return collected.status();

  // As the viewer may see it: a bookmarked video that has since become private or gone is
  // left out (its bookmark stays, and shows again if the video does).
  return VideoPageAnswer(videos, views, collected->video_ids(), viewer_id,
                         collected->next_cursor());
}

Result<http::Response> SettingsAnswer(FavoriteClient& favorites, std::int64_t user,
                                      std::optional<bool> set) {
  v1::CollectionSettingsRequest request;
  request.set_user_id(user);
  if (set) request.set_public_(*set);
  auto reply = favorites.CollectionSettings(request);
  if (!reply.ok()) return reply.status();
  json::JsonWriter w;
  w.BeginObject().Field("collections_public", reply->public_()).EndObject();
  return http::Response::Json(w.Take());
}

Result<http::Response> GetSettings(http::Request& req, FavoriteClient& favorites,
                                   const auth::RequestAuthenticator& auth) {
  auto user = auth.Require(req, nullptr);
  if (!user.ok()) return user.status();
  return SettingsAnswer(favorites, *user, std::nullopt);
}

Result<http::Response> SetSettings(http::Request& req, FavoriteClient& favorites,
                                   const auth::RequestAuthenticator& auth) {
  auto user = auth.Require(req, nullptr);
  if (!user.ok()) return user.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto value = params->Required("collections_public");
  if (!value.ok()) return value.status();
  if (*value != "true" && *value != "false") {
    return InvalidArgument(
        "PARAM_INVALID",
        "parameter 'collections_public' must be true or false, got '" + std::string(*value) + "'");
  }
  // Always the caller's own setting: there is no user_id to name anyone else's.
  return SettingsAnswer(favorites, *user, *value == "true");
}

Result<http::Response> Share(http::Request& req, FavoriteClient& favorites,
                             const auth::RequestAuthenticator& auth) {
  auto user = auth.Require(req, nullptr);
  if (!user.ok()) return user.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto video_id = params->RequiredId("video_id");
  if (!video_id.ok()) return video_id.status();
  v1::ShareRequest share;
  share.set_user_id(*user);
  share.set_video_id(*video_id);
  auto reply = favorites.Share(share);
  if (!reply.ok()) return reply.status();
  json::JsonWriter w;
  // The web client's own page for one video.
  w.BeginObject()
      .Field("share_url", "/v/" + std::to_string(*video_id))
      .Field("counted", reply->counted())
      .Field("share_count", reply->share_count())
      .EndObject();
  return http::Response::Json(w.Take());
}

}  // namespace

void AddCollectionApiRoutes(http::Router& router, FavoriteClient& favorites,
                            views::VideoViews& views, video::VideoClient& videos,
                            const auth::RequestAuthenticator& auth) {
  router.Add({.method = "POST",
              .pattern = "/api/favorite/collect",
              .handler = [&](http::Request& req) { return Collect(req, favorites, auth); }});
  router.Add(
      {.method = "GET", .pattern = "/api/favorite/collections", .handler = [&](http::Request& req) {
         return Collections(req, favorites, views, videos, auth);
       }});
  router.Add({.method = "GET",
              .pattern = "/api/favorite/settings",
              .handler = [&](http::Request& req) { return GetSettings(req, favorites, auth); }});
  router.Add({.method = "POST",
              .pattern = "/api/favorite/settings",
              .handler = [&](http::Request& req) { return SetSettings(req, favorites, auth); }});
  router.Add({.method = "POST",
              .pattern = "/api/favorite/share",
              .handler = [&](http::Request& req) { return Share(req, favorites, auth); }});
}

}  // namespace reel::favorite

// Douyin simple-version favorite routes: liking and unliking a video, and the liked list.
#include <algorithm>
#include <string_view>

#include "favorite/api/favorite_routes.hpp"
#include "favorite/domain/favorite_service.hpp"
#include "kit/http/douyin_envelope.hpp"
#include "kit/http/params.hpp"

namespace reel::favorite {
namespace {

constexpr std::int64_t kActionLike = 1;
constexpr std::int64_t kActionUnlike = 2;

// Repeating an action is not an error: the client's state is already what it asked for.
http::Response ActionResponse(bool changed, std::string_view unchanged_msg) {
  json::JsonWriter w;
  w.BeginObject().Field("status_code", 0).Field("status_msg", changed ? "ok" : unchanged_msg);
  return http::FinishDouyin(w);
}

Result<http::Response> Action(http::Request& req, FavoriteClient& favorites,
                              const auth::RequestAuthenticator& auth) {
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto user = auth.Require(req, &*params);
  if (!user.ok()) return user.status();
  auto video_id = params->RequiredId("video_id");
  if (!video_id.ok()) return video_id.status();
  auto action = params->RequiredInt("action_type");
  if (!action.ok()) return action.status();

  if (*action == kActionLike) {
    v1::LikeRequest like;
    like.set_user_id(*user);
    like.set_video_id(*video_id);
    auto reply = favorites.Like(like);
    if (!reply.ok()) return reply.status();
    return ActionResponse(reply->changed(), "already liked");
  }
  if (*action == kActionUnlike) {
    v1::UnlikeRequest unlike;
    unlike.set_user_id(*user);
    unlike.set_video_id(*video_id);
    auto reply = favorites.Unlike(unlike);
    if (!reply.ok()) return reply.status();
    return ActionResponse(reply->changed(), "not liked");
  }
  return InvalidArgument("PARAM_INVALID", "action_type must be 1 (like) or 2 (unlike)");
}

Result<http::Response> List(http::Request& req, FavoriteClient& favorites, views::VideoViews& views,
                            video::VideoClient& videos, const auth::RequestAuthenticator& auth) {
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto viewer = auth.Optional(req, &*params);
  if (!viewer.ok()) return viewer.status();
  auto user_id = params->OptionalId("user_id");
  if (!user_id.ok()) return user_id.status();
  if (!*user_id && !*viewer) return Unauthenticated("TOKEN_MISSING", "give a user_id or sign in");
  auto cursor = params->OptionalInt("cursor");
  if (!cursor.ok()) return cursor.status();
  auto limit = params->OptionalInt("limit");
  if (!limit.ok()) return limit.status();

  v1::ListLikedRequest list;
  list.set_user_id(user_id->value_or(viewer->value_or(0)));
  list.set_cursor(cursor->value_or(0));
  // Clamped before narrowing to int32; the service turns 0 into its default page size.
  list.set_limit(static_cast<int>(
      std::clamp<std::int64_t>(limit->value_or(0), 0, FavoriteService::kMaxPageSize)));
  auto page = favorites.ListLiked(list);
  if (!page.ok()) return page.status();

  // One call for the whole page; it keeps the order asked for and leaves out videos that no
  // longer exist.
  video::v1::GetVideosReply found;
  if (!page->video_ids().empty()) {
    video::v1::GetVideosRequest get;
    *get.mutable_video_ids() = page->video_ids();
    auto reply = videos.GetVideos(get);
    if (!reply.ok()) return reply.status();
    found = std::move(*reply);
  }
  json::JsonWriter w;
  http::BeginDouyinOk(w);
  if (Status s = views.WriteVideoList(w, found.videos(), viewer->value_or(0)); !s.ok()) return s;
  w.Field("next_cursor", page->next_cursor());
  return http::FinishDouyin(w);
}

}  // namespace

void AddFavoriteDouyinRoutes(http::Router& router, FavoriteClient& favorites,
                             views::VideoViews& views, video::VideoClient& videos,
                             const auth::RequestAuthenticator& auth) {
  router.Add({.method = "POST",
              .pattern = "/douyin/favorite/action",
              .handler = [&](http::Request& req) { return Action(req, favorites, auth); },
              .render_error = http::DouyinErrorRenderer()});
  router.Add(
      {.method = "GET",
       .pattern = "/douyin/favorite/list",
       .handler = [&](http::Request& req) { return List(req, favorites, views, videos, auth); },
       .render_error = http::DouyinErrorRenderer([](json::JsonWriter& w) {
         w.BeginArray("video_list").EndArray().Field("next_cursor", std::int64_t{0});
       })});
}

}  // namespace reel::favorite

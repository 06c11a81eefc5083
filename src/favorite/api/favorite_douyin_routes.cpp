// Douyin simple-version favorite routes: liking and unliking a video, and the liked list.
#include <algorithm>
#include <string_view>

#include "favorite/api/favorite_routes.hpp"
#include "favorite/domain/favorite_service.hpp"
#include "kit/http/auth/list_query.hpp"
#include "kit/http/douyin_envelope.hpp"
#include "kit/http/params.hpp"

namespace reel::favorite {
namespace {

constexpr std::int64_t kActionLike = 1;
constexpr std::int64_t kActionUnlike = 2;

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
    return http::DouyinDone(reply->changed(), "already liked");
  }
  if (*action == kActionUnlike) {
    v1::UnlikeRequest unlike;
    unlike.set_user_id(*user);
    unlike.set_video_id(*video_id);
    auto reply = favorites.Unlike(unlike);
    if (!reply.ok()) return reply.status();
    return http::DouyinDone(reply->changed(), "not liked");
  }
  return InvalidArgument("PARAM_INVALID", "action_type must be 1 (like) or 2 (unlike)");
}

Result<http::Response> List(http::Request& req, FavoriteClient& favorites, views::VideoViews& views,
                            video::VideoClient& videos, const auth::RequestAuthenticator& auth) {
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto query = auth::ReadListQuery(req, *params, auth);
  if (!query.ok()) return query.status();

  v1::ListLikedRequest list;
  list.set_user_id(query->owner);
  list.set_cursor(query->cursor);
  list.set_limit(static_cast<int>(query->limit));  // 0: the service's default page size
  auto page = favorites.ListLiked(list);
  if (!page.ok()) return page.status();

  // One call for the whole page; it keeps the order asked for and leaves out videos that no
  // longer exist.
  video::v1::GetVideosReply found;
  if (!page->video_ids().empty()) {
    video::v1::GetVideosRequest get;
    *get.mutable_video_ids() = page->video_ids();
    get.set_viewer_id(query->viewer);  // another's private video is left out
    auto reply = videos.GetVideos(get);
    if (!reply.ok()) return reply.status();
    found = std::move(*reply);
  }
  json::JsonWriter w;
  http::BeginDouyinOk(w);
  if (Status s = views.WriteVideoList(w, found.videos(), query->viewer); !s.ok()) return s;
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

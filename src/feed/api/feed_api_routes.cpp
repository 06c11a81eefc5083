// GET /api/feed: the latest, following and hot feeds of the JSON API.
#include <string>

#include "feed/api/feed_routes.hpp"
#include "kit/http/api_page.hpp"
#include "kit/http/params.hpp"

namespace reel::feed {
namespace {

Result<http::Response> Feed(http::Request& req, FeedClient& feed, views::VideoViews& views,
                            const auth::RequestAuthenticator& auth) {
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto viewer = auth.Optional(req, nullptr);
  if (!viewer.ok()) return viewer.status();
  const std::string type(params->Get("type").value_or("latest"));

  v1::GetFeedRequest request;
  request.set_viewer_id(viewer->value_or(0));
  if (type == "hot") {
    auto limit = http::ReadApiLimit(*params);
    if (!limit.ok()) return limit.status();
    request.set_type(v1::HOT);
    request.set_cursor(std::string(params->Get("cursor").value_or("")));
    request.set_limit(*limit);
  } else if (type == "latest" || type == "following") {
    auto paging = http::ReadApiPage(*params);
    if (!paging.ok()) return paging.status();
    if (type == "following" && !*viewer) {
      return Unauthenticated("TOKEN_MISSING", "sign in to see the videos of people you follow");
    }
    request.set_type(type == "latest" ? v1::LATEST : v1::FOLLOWING);
    if (paging->cursor != 0) request.set_cursor(std::to_string(paging->cursor));
    request.set_limit(paging->limit);
  } else {
    return InvalidArgument("PARAM_INVALID",
                           "parameter 'type' must be latest, following or hot, got '" + type + "'");
  }
  auto page = feed.GetFeed(request);
  if (!page.ok()) return page.status();

  json::JsonWriter w;
  w.BeginObject();
  if (Status s = views.WriteVideoArray(w, "videos", page->videos(), viewer->value_or(0)); !s.ok()) {
    return s;
  }
  http::WriteApiPageEnd(w, page->next_cursor());
  w.EndObject();
  return http::Response::Json(w.Take());
}

}  // namespace

void AddFeedApiRoutes(http::Router& router, FeedClient& feed, views::VideoViews& views,
                      const auth::RequestAuthenticator& auth) {
  router.Add({.method = "GET", .pattern = "/api/feed", .handler = [&](http::Request& req) {
                return Feed(req, feed, views, auth);
              }});
}

}  // namespace reel::feed

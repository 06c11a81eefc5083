#include "feed/api/feed_routes.hpp"
#include "kit/http/douyin_envelope.hpp"
#include "kit/http/douyin_time.hpp"
#include "kit/http/params.hpp"

namespace reel::feed {

void AddFeedDouyinRoutes(http::Router& router, FeedRpc& feed, views::VideoViews& views,
                         const auth::RequestAuthenticator& auth) {
  router.Add({.method = "GET",
              .pattern = "/douyin/feed",
              .handler = [&](http::Request& req) -> Result<http::Response> {
                auto params = http::Params::From(req);
                if (!params.ok()) return params.status();
                auto latest = params->OptionalInt("latest_time");
                if (!latest.ok()) return latest.status();
                // A stale or broken token still gets the feed, as anyone would.
                auto viewer = auth.Optional(req, &*params);
                const std::int64_t viewer_id = viewer.ok() ? viewer->value_or(0) : 0;

                auto page = feed.DouyinFeed(http::DouyinTimeMs(latest->value_or(0)), viewer_id);
                if (!page.ok()) return page.status();
                json::JsonWriter w;
                http::BeginDouyinOk(w);
                if (Status s = views.WriteVideoList(w, page->videos.videos(), viewer_id); !s.ok())
                  return s;
                w.Field("next_time", page->next_time_ms);
                return http::FinishDouyin(w);
              },
              .render_error = http::DouyinErrorRenderer([](json::JsonWriter& w) {
                w.Field("next_time", std::int64_t{0}).BeginArray("video_list").EndArray();
              })});
}

}  // namespace reel::feed

#include "feed/api/feed_routes.hpp"
#include "kit/http/douyin_envelope.hpp"
#include "kit/http/douyin_time.hpp"
#include "kit/http/params.hpp"

namespace reel::feed {
namespace {

// Videos per feed page, as the Douyin clients expect.
constexpr int kFeedPageSize = 30;

}  // namespace

void AddFeedDouyinRoutes(http::Router& router, video::VideoClient& videos, views::VideoViews& views,
                         const auth::RequestAuthenticator& auth, const Clock& clock) {
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

                video::v1::ListVideosRequest list;
                list.set_before_ms(http::DouyinTimeMs(latest->value_or(0)));
                list.set_limit(kFeedPageSize);
                auto page = videos.ListVideos(list);
                if (!page.ok()) return page.status();
                json::JsonWriter w;
                http::BeginDouyinOk(w);
                if (Status s = views.WriteVideoList(w, page->videos(), viewer_id); !s.ok())
                  return s;
                // At the end of the feed, point back at the newest videos.
                const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                                clock.Now().time_since_epoch())
                                                .count();
                w.Field("next_time", page->videos().empty() ? now_ms : page->next_before_ms());
                return http::FinishDouyin(w);
              },
              .render_error = http::DouyinErrorRenderer([](json::JsonWriter& w) {
                w.Field("next_time", std::int64_t{0}).BeginArray("video_list").EndArray();
              })});
}

}  // namespace reel::feed

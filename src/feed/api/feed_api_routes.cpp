// GET /api/feed: the latest, following and hot feeds of the JSON API.
#include <string>
#include <vector>

#include "feed/api/feed_routes.hpp"
#include "kit/http/api_page.hpp"
#include "kit/http/params.hpp"

namespace reel::feed {
namespace {

// The following feed looks at this many followed accounts (the most recently followed).
constexpr int kMaxFollowedAuthors = 2000;

// What the route writes: the page's videos, in order, and where the next page starts.
struct FeedPage {
  google::protobuf::RepeatedPtrField<video::v1::Video> videos;
  std::string next_cursor;
};

// A time-ordered page asked for one video more than `limit`: the extra one, when it comes,
// says that another page exists (and is not shown).
FeedPage TimePage(video::v1::ListVideosReply&& reply, int limit) {
  FeedPage page;
  page.videos = std::move(*reply.mutable_videos());
  if (page.videos.size() > limit) {
    page.videos.DeleteSubrange(limit, page.videos.size() - limit);
    page.next_cursor = std::to_string(page.videos.rbegin()->created_at_ms());
  }
  return page;
}

Result<FeedPage> Latest(const views::ServiceClients& clients, const http::ApiPage& page) {
  video::v1::ListVideosRequest list;
  list.set_before_ms(page.cursor);
  list.set_limit(page.limit + 1);
  auto reply = clients.videos->ListVideos(list);
  if (!reply.ok()) return reply.status();
  return TimePage(std::move(*reply), page.limit);
}

Result<std::vector<std::int64_t>> FollowedAuthors(relation::RelationClient& relations,
                                                  std::int64_t user_id) {
  std::vector<std::int64_t> authors;
  relation::v1::ListRelationsRequest list;
  list.set_user_id(user_id);
  list.set_kind(relation::v1::FOLLOWING);
  list.set_limit(100);
  while (authors.size() < kMaxFollowedAuthors) {
    auto page = relations.ListRelations(list);
    if (!page.ok()) return page.status();
    authors.insert(authors.end(), page->user_ids().begin(), page->user_ids().end());
    if (page->next_cursor() == 0 || page->user_ids().empty()) break;
    list.set_cursor(page->next_cursor());
  }
  if (authors.size() > kMaxFollowedAuthors) authors.resize(kMaxFollowedAuthors);
  return authors;
}

Result<FeedPage> Following(const views::ServiceClients& clients, std::int64_t viewer,
                           const http::ApiPage& page) {
  if (!clients.relations) {
    return Unavailable("RELATION_UNAVAILABLE", "the following feed needs the relation service");
  }
  auto authors = FollowedAuthors(*clients.relations, viewer);
  if (!authors.ok()) return authors.status();
  if (authors->empty()) return FeedPage{};
  video::v1::ListVideosRequest list;
  list.set_before_ms(page.cursor);
  list.set_limit(page.limit + 1);
  for (std::int64_t id : *authors) list.add_author_ids(id);
  auto reply = clients.videos->ListVideos(list);
  if (!reply.ok()) return reply.status();
  return TimePage(std::move(*reply), page.limit);
}

Result<FeedPage> Hot(const views::ServiceClients& clients, HotSnapshots& hot,
                     std::string_view cursor, int limit) {
  auto ranked = hot.Page(cursor, limit);
  if (!ranked.ok()) return ranked.status();
  FeedPage page;
  page.next_cursor = std::move(ranked->next_cursor);
  if (ranked->video_ids.empty()) return page;
  video::v1::GetVideosRequest get;
  for (std::int64_t id : ranked->video_ids) get.add_video_ids(id);
  auto found = clients.videos->GetVideos(get);
  if (!found.ok()) return found.status();
  // GetVideos answers in the order asked; a video deleted since the ranking is skipped.
  page.videos = std::move(*found->mutable_videos());
  return page;
}

Result<http::Response> Feed(http::Request& req, const views::ServiceClients& clients,
                            views::VideoViews& views, const auth::RequestAuthenticator& auth,
                            HotSnapshots& hot) {
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto viewer = auth.Optional(req, nullptr);
  if (!viewer.ok()) return viewer.status();
  const std::string type(params->Get("type").value_or("latest"));

  Result<FeedPage> page = FeedPage{};
  if (type == "hot") {
    auto limit = http::ReadApiLimit(*params);
    if (!limit.ok()) return limit.status();
    page = Hot(clients, hot, params->Get("cursor").value_or(""), *limit);
  } else if (type == "latest" || type == "following") {
    auto paging = http::ReadApiPage(*params);
    if (!paging.ok()) return paging.status();
    if (type == "latest") {
      page = Latest(clients, *paging);
    } else if (!*viewer) {
      return Unauthenticated("TOKEN_MISSING", "sign in to see the videos of people you follow");
    } else {
      page = Following(clients, **viewer, *paging);
    }
  } else {
    return InvalidArgument("PARAM_INVALID",
                           "parameter 'type' must be latest, following or hot, got '" + type + "'");
  }
  if (!page.ok()) return page.status();

  json::JsonWriter w;
  w.BeginObject();
  if (Status s = views.WriteVideoArray(w, "videos", page->videos, viewer->value_or(0)); !s.ok()) {
    return s;
  }
  http::WriteApiPageEnd(w, page->next_cursor);
  w.EndObject();
  return http::Response::Json(w.Take());
}

}  // namespace

void AddFeedApiRoutes(http::Router& router, const views::ServiceClients& clients,
                      views::VideoViews& views, const auth::RequestAuthenticator& auth,
                      HotSnapshots& hot) {
  router.Add({.method = "GET", .pattern = "/api/feed", .handler = [&, clients](http::Request& req) {
                return Feed(req, clients, views, auth, hot);
              }});
}

}  // namespace reel::feed

#include "feed/api/feed_rpc.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <string>
#include <vector>

#include "views/degrade.hpp"

namespace reel::feed {
namespace {

constexpr int kMaxLimit = 100;
// The following feed looks at this many followed accounts (the most recently followed).
constexpr int kMaxFollowedAuthors = 2000;

// A time-ordered page asked for one video more than `limit`: the extra one, when it comes,
// says that another page exists (and is not shown).
v1::GetFeedReply TimePage(video::v1::ListVideosReply&& list, int limit) {
  v1::GetFeedReply page;
  *page.mutable_videos() = std::move(*list.mutable_videos());
  if (page.videos_size() > limit) {
    page.mutable_videos()->DeleteSubrange(limit, page.videos_size() - limit);
    page.set_next_cursor(std::to_string(page.videos().rbegin()->created_at_ms()));
  }
  return page;
}

// Latest and following cursors are a created_at in ms; empty is the first page.
Result<std::int64_t> TimeCursor(const std::string& cursor) {
  if (cursor.empty()) return std::int64_t{0};
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), value);
  if (error != std::errc() || end != cursor.data() + cursor.size() || value < 0) {
    return InvalidArgument("PARAM_INVALID",
                           "parameter 'cursor' must be a cursor from a previous page");
  }
  return value;
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

// Issue 16: whom `viewer` blocked, whose videos leave the viewer's feeds. Anonymous viewers
// and processes without the relation service have none; a relation service that cannot be
// reached leaves the feed unfiltered (logged) rather than failing it.
Result<std::vector<std::int64_t>> BlockedAuthors(relation::RelationClient* relations,
                                                 std::int64_t viewer) {
  if (viewer == 0 || relations == nullptr) return std::vector<std::int64_t>{};
  relation::v1::BlockedIdsRequest request;
  request.set_user_id(viewer);
  auto reply = relations->BlockedIds(request);
  if (!reply.ok()) {
    if (views::DegradeWhenDown(reply.status(), "blocked authors")) {
      return std::vector<std::int64_t>{};
    }
    return reply.status();
  }
  return std::vector<std::int64_t>(reply->user_ids().begin(), reply->user_ids().end());
}

// Drops the videos by `authors` from `videos`: the hot feed's ranked ids are fetched by id,
// which exclude_author_ids does not apply to (time pages are filtered by the video service).
void DropAuthors(google::protobuf::RepeatedPtrField<video::v1::Video>& videos,
                 const std::vector<std::int64_t>& authors) {
  if (authors.empty()) return;
  const auto blocked = [&](const video::v1::Video& v) {
    return std::find(authors.begin(), authors.end(), v.author_id()) != authors.end();
  };
  videos.erase(std::remove_if(videos.begin(), videos.end(), blocked), videos.end());
}

Result<v1::GetFeedReply> Latest(video::VideoClient& videos, std::int64_t viewer,
                                std::int64_t before, int limit,
                                const std::vector<std::int64_t>& blocked) {
  video::v1::ListVideosRequest list;
  list.set_viewer_id(viewer);  // every author: only videos visible to everyone
  list.set_before_ms(before);
  list.set_limit(limit + 1);
  list.mutable_exclude_author_ids()->Add(blocked.begin(), blocked.end());
  auto reply = videos.ListVideos(list);
  if (!reply.ok()) return reply.status();
  return TimePage(std::move(*reply), limit);
}

Result<v1::GetFeedReply> Following(const views::ServiceClients& clients, std::int64_t viewer,
                                   std::int64_t before, int limit) {
  if (!clients.relations) {
    return Unavailable("RELATION_UNAVAILABLE", "the following feed needs the relation service");
  }
  auto authors = FollowedAuthors(*clients.relations, viewer);
  if (!authors.ok()) return authors.status();
  if (authors->empty()) return v1::GetFeedReply{};
  video::v1::ListVideosRequest list;
  list.set_before_ms(before);
  list.set_limit(limit + 1);
  for (std::int64_t id : *authors) list.add_author_ids(id);
  list.set_viewer_id(viewer);
  auto reply = clients.videos->ListVideos(list);
  if (!reply.ok()) return reply.status();
  return TimePage(std::move(*reply), limit);
}

Result<v1::GetFeedReply> Hot(video::VideoClient& videos, HotSnapshots& hot, std::int64_t viewer,
                             std::string_view cursor, int limit,
                             const std::vector<std::int64_t>& blocked) {
  auto ranked = hot.Page(cursor, limit);
  if (!ranked.ok()) return ranked.status();
  v1::GetFeedReply page;
  page.set_next_cursor(std::move(ranked->next_cursor));
  if (ranked->video_ids.empty()) return page;
  video::v1::GetVideosRequest get;
  for (std::int64_t id : ranked->video_ids) get.add_video_ids(id);
  get.set_viewer_id(viewer);
  auto found = videos.GetVideos(get);
  if (!found.ok()) return found.status();
  // GetVideos answers in the order asked; a video deleted, made private or held for review
  // since the ranking (the snapshot is older than that change) is skipped.
  *page.mutable_videos() = std::move(*found->mutable_videos());
  DropAuthors(*page.mutable_videos(), blocked);
  return page;
}

}  // namespace

Result<v1::GetFeedReply> FeedRpc::GetFeed(const v1::GetFeedRequest& request) {
  const int limit = request.limit();
  if (limit < 1 || limit > kMaxLimit) {
    return InvalidArgument("PARAM_INVALID",
                           "parameter 'limit' must be between 1 and " + std::to_string(kMaxLimit));
  }
  // The following feed needs no filter: blocking removed the follows it is made of.
  std::vector<std::int64_t> blocked;
  if (request.type() != v1::FOLLOWING) {
    auto got = BlockedAuthors(clients_.relations, request.viewer_id());
    if (!got.ok()) return got.status();
    blocked = std::move(*got);
  }
  if (request.type() == v1::HOT) {
    return Hot(*clients_.videos, hot_, request.viewer_id(), request.cursor(), limit, blocked);
  }
  auto before = TimeCursor(request.cursor());
  if (!before.ok()) return before.status();
  if (request.type() != v1::FOLLOWING) {
    return Latest(*clients_.videos, request.viewer_id(), *before, limit, blocked);
  }
  if (request.viewer_id() == 0) {
    return Unauthenticated("TOKEN_MISSING", "sign in to see the videos of people you follow");
  }
  return Following(clients_, request.viewer_id(), *before, limit);
}

Result<FeedRpc::DouyinPage> FeedRpc::DouyinFeed(std::int64_t latest_time_ms,
                                                std::int64_t viewer_id) {
  auto blocked = BlockedAuthors(clients_.relations, viewer_id);
  if (!blocked.ok()) return blocked.status();
  video::v1::ListVideosRequest list;
  list.set_before_ms(latest_time_ms);
  list.set_limit(kDouyinPageSize);
  list.mutable_exclude_author_ids()->Add(blocked->begin(), blocked->end());
  auto page = clients_.videos->ListVideos(list);
  if (!page.ok()) return page.status();
  DouyinPage out;
  out.next_time_ms =
      page->videos().empty()
          ? std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
                .count()
          : page->next_before_ms();
  out.videos = std::move(*page);
  return out;
}

}  // namespace reel::feed

#include "feed/api/hot_candidates.hpp"

#include <unordered_map>

#include "views/degrade.hpp"

namespace reel::feed {
namespace {

constexpr int kListPage = 100;

Status AddRecent(video::VideoClient& videos, int count,
                 std::unordered_map<std::int64_t, HotCandidate>& out) {
  std::int64_t before_ms = 0;
  for (int listed = 0; listed < count;) {
    video::v1::ListVideosRequest list;
    list.set_before_ms(before_ms);
    list.set_limit(std::min(kListPage, count - listed));
    auto page = videos.ListVideos(list);
    if (!page.ok()) return page.status();
    for (const auto& v : page->videos()) out[v.id()] = {v.id(), v.created_at_ms(), 0, 0};
    listed += page->videos_size();
    if (page->videos_size() < list.limit() || page->next_before_ms() == 0) break;
    before_ms = page->next_before_ms();
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<HotCandidate>> GatherHotCandidates(const views::ServiceClients& clients,
                                                      const HotSources& sources) {
  std::unordered_map<std::int64_t, HotCandidate> by_id;
  if (Status s = AddRecent(*clients.videos, sources.recent, by_id); !s.ok()) return s;

  // Older hits: their ids first, then their times from the video service in one call.
  video::v1::GetVideosRequest older;
  const auto add_older = [&](std::int64_t id) {
    if (!by_id.contains(id)) older.add_video_ids(id);
  };
  if (clients.favorites) {
    favorite::v1::TopVideosRequest top;
    top.set_limit(sources.most_liked);
    auto liked = clients.favorites->TopVideos(top);
    if (liked.ok()) {
      for (const auto& v : liked->videos()) add_older(v.video_id());
    } else if (!views::DegradeWhenDown(liked.status(), "most liked videos")) {
      return liked.status();
    }
  }
  if (clients.comments) {
    comment::v1::TopVideosRequest top;
    top.set_limit(sources.most_commented);
    auto commented = clients.comments->TopVideos(top);
    if (commented.ok()) {
      for (const auto& v : commented->videos()) add_older(v.video_id());
    } else if (!views::DegradeWhenDown(commented.status(), "most commented videos")) {
      return commented.status();
    }
  }
  if (older.video_ids_size() > 0) {
    auto found = clients.videos->GetVideos(older);
    if (!found.ok()) return found.status();
    // Ids of deleted videos are simply not found, and so not ranked.
    for (const auto& v : found->videos()) by_id[v.id()] = {v.id(), v.created_at_ms(), 0, 0};
  }
  if (by_id.empty()) return std::vector<HotCandidate>{};

  // Every candidate's counts in one call per service.
  favorite::v1::VideoStatsRequest likes;
  comment::v1::CountCommentsRequest comments;
  for (const auto& [id, _] : by_id) {
    likes.add_video_ids(id);
    comments.add_video_ids(id);
  }
  if (clients.favorites) {
    auto stats = clients.favorites->VideoStats(likes);
    if (stats.ok()) {
      for (const auto& [id, stat] : stats->stats()) {
        if (auto it = by_id.find(id); it != by_id.end()) it->second.likes = stat.favorite_count();
      }
    } else if (!views::DegradeWhenDown(stats.status(), "like counts")) {
      return stats.status();
    }
  }
  if (clients.comments) {
    auto counts = clients.comments->CountByVideos(comments);
    if (counts.ok()) {
      for (const auto& [id, count] : counts->counts()) {
        if (auto it = by_id.find(id); it != by_id.end()) it->second.comments = count;
      }
    } else if (!views::DegradeWhenDown(counts.status(), "comment counts")) {
      return counts.status();
    }
  }

  std::vector<HotCandidate> out;
  out.reserve(by_id.size());
  for (auto& [id, candidate] : by_id) out.push_back(candidate);
  return out;
}

}  // namespace reel::feed

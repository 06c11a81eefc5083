#include "views/rendered_videos.hpp"

#include <algorithm>
#include <cassert>
#include <string_view>

#include "kit/cache/shard_index.hpp"

namespace reel::views {

void RenderedVideo::WriteFor(json::JsonWriter& w, bool follows_author, bool likes_video,
                             bool collected_video) const {
  constexpr std::size_t kFalse = 5;  // strlen("false")
  assert(json.compare(is_follow_end - kFalse, kFalse, "false") == 0);
  assert(json.compare(is_favorite_end - kFalse, kFalse, "false") == 0);
  assert(json.compare(is_collected_end - kFalse, kFalse, "false") == 0);
  const std::string_view all(json);
  w.RawParts({all.substr(0, is_follow_end - kFalse), follows_author ? "true" : "false",
              all.substr(is_follow_end, is_favorite_end - kFalse - is_follow_end),
              likes_video ? "true" : "false",
              all.substr(is_favorite_end, is_collected_end - kFalse - is_favorite_end),
              collected_video ? "true" : "false", all.substr(is_collected_end)});
}

RenderedVideos::RenderedVideos(const cache::ChangeEpoch& epoch, std::size_t capacity)
    : epoch_(epoch), per_shard_(std::max<std::size_t>(1, capacity / kShards)) {}

const RenderedVideos::Shard& RenderedVideos::ShardOf(std::int64_t id) const {
  return shards_[cache::ShardIndex(static_cast<std::uint64_t>(id), kShards)];
}

std::shared_ptr<const RenderedVideo> RenderedVideos::Find(std::int64_t id,
                                                          std::uint64_t epoch) const {
  const Shard& shard = ShardOf(id);
  std::lock_guard lock(shard.mutex);
  auto it = shard.videos.find(id);
  if (it == shard.videos.end() || it->second->epoch != epoch) return nullptr;
  return it->second;
}

void RenderedVideos::Keep(std::shared_ptr<const RenderedVideo> video) {
  const std::int64_t id = video->video_id;
  Shard& shard = ShardOf(id);
  std::lock_guard lock(shard.mutex);
  // Checked under the lock only for tidiness: a write that advances the epoch after this
  // check makes the kept rendering stale, and Find refuses stale ones.
  if (epoch_.Now() != video->epoch) return;
  if (shard.videos.size() >= per_shard_ && !shard.videos.contains(id)) shard.videos.clear();
  shard.videos.insert_or_assign(id, std::move(video));
}

}  // namespace reel::views

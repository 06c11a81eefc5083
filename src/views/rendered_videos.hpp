#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "kit/cache/change_epoch.hpp"
#include "kit/json/json_writer.hpp"

namespace reel::views {

/// A video object as any viewer sees it, with the three values that depend on the viewer
/// (its author's is_follow, its own is_favorite and is_collected) written as `false` and
/// their ends noted, so one rendering serves every viewer. Empty `json`: the video is not shown
/// (its author is gone), which is worth remembering too.
struct RenderedVideo {
  std::string json;
  std::size_t is_follow_end = 0;     // just past the author's is_follow value
  std::size_t is_favorite_end = 0;   // just past the video's is_favorite value
  std::size_t is_collected_end = 0;  // just past the video's is_collected value (issue 16)
  std::int64_t video_id = 0;
  std::int64_t author_id = 0;
  std::uint64_t epoch = 0;  // the ChangeEpoch it was rendered at

  bool shown() const { return !json.empty(); }
  /// Writes it as the next value of `w`, with the viewer's three values in place. Only when
  /// shown().
  void WriteFor(json::JsonWriter& w, bool follows_author, bool likes_video,
                bool collected_video) const;
};

/// Rendered videos by id, each current while the process's ChangeEpoch has not moved since
/// it was rendered: a video's object depends on five stores (the video, its author, their
/// likes, comments and follows), and any write to them advances the epoch. Only where every
/// store is in this process (`reel all`); a cluster renders each time. Bounded: a shard that
/// is full starts over. Thread-safe.
class RenderedVideos {
 public:
  RenderedVideos(const cache::ChangeEpoch& epoch, std::size_t capacity);

  /// The epoch now: note it before reading what a rendering is made of.
  std::uint64_t Epoch() const { return epoch_.Now(); }
  /// The rendering of `id` made at `epoch`, or null.
  std::shared_ptr<const RenderedVideo> Find(std::int64_t id, std::uint64_t epoch) const;
  /// Keeps `video` unless the epoch has moved since `video->epoch` (something it was made
  /// of may have changed while it was rendered).
  void Keep(std::shared_ptr<const RenderedVideo> video);

 private:
  static constexpr std::size_t kShards = 16;
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::int64_t, std::shared_ptr<const RenderedVideo>> videos;
  };
  const Shard& ShardOf(std::int64_t id) const;
  Shard& ShardOf(std::int64_t id) { return const_cast<Shard&>(std::as_const(*this).ShardOf(id)); }

  const cache::ChangeEpoch& epoch_;
  std::size_t per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace reel::views

#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <span>
#include <thread>

#include "kit/events/event.hpp"
#include "kit/status/status.hpp"
#include "search/search_index.hpp"
#include "views/service_clients.hpp"

namespace reel::search {

inline constexpr std::string_view kVideoKind = "video";
inline constexpr std::string_view kUserKind = "user";

/// Keeps the search index in step with the services, from their events.
///
/// Documents are read from the owning services when an event arrives (events only name
/// what changed), so late or repeated events are harmless. Publishing, editing or deleting
/// a video and registering or editing a user are indexed before the event returns: the
/// author can find the video as soon as the publish call answers. Likes and comments only
/// move popularity, the tie-breaker of equal relevance; they are collected and applied in
/// one batch every `popularity_delay` by a background thread, so a burst of likes costs one
/// index commit instead of one each. Only videos visible to everyone are indexed (they are
/// read as an anonymous viewer): a video made private, held or rejected (VIDEO_UPDATED) is
/// removed, and comes back when it is visible again. Thread-safe.
class SearchIndexer {
 public:
  struct Options {
    std::chrono::milliseconds popularity_delay{std::chrono::seconds(2)};
  };

  SearchIndexer(SearchIndex& index, const views::ServiceClients& clients, Options options);
  SearchIndexer(SearchIndex& index, const views::ServiceClients& clients)
      : SearchIndexer(index, clients, {}) {}
  /// Applies pending popularity changes, then stops the background thread.
  ~SearchIndexer();
  SearchIndexer(const SearchIndexer&) = delete;
  SearchIndexer& operator=(const SearchIndexer&) = delete;

  /// The bus subscriber. Failures are thrown (the bus logs them).
  void OnEvent(const events::Event& event);

  /// (Re)indexes these videos / users as they are now; ids that no longer exist (or, for
  /// videos, are not visible to everyone) are removed.
  Status IndexVideos(std::span<const std::int64_t> ids);
  Status IndexUsers(std::span<const std::int64_t> ids);

  /// Indexes every video and every user (for `reel reindex`, into an empty index).
  /// `progress` is told the running totals.
  Status IndexEverything(
      const std::function<void(std::size_t videos, std::size_t users)>& progress);

  /// Applies the pending popularity changes now.
  void FlushPopularity();

 private:
  void RunPopularityLoop();

  SearchIndex& index_;
  views::ServiceClients clients_;
  Options options_;

  std::mutex mutex_;  // guards dirty_videos_ and stopping_
  std::condition_variable wake_;
  std::set<std::int64_t> dirty_videos_;
  bool stopping_ = false;
  std::thread popularity_thread_;  // last: started when everything above exists
};

}  // namespace reel::search

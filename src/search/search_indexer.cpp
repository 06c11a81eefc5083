#include "search/search_indexer.hpp"

#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "kit/log/log.hpp"

namespace reel::search {
namespace {

// Ids per service call and per index commit.
constexpr std::size_t kBatch = 500;

void ThrowIfFailed(const Status& status) {
  if (!status.ok()) throw std::runtime_error(status.reason + ": " + status.message);
}

// Runs `apply` on consecutive slices of `ids` of at most kBatch.
Status InBatches(std::span<const std::int64_t> ids,
                 const std::function<Status(std::span<const std::int64_t>)>& apply) {
  for (std::size_t at = 0; at < ids.size(); at += kBatch) {
    if (Status s = apply(ids.subspan(at, std::min(kBatch, ids.size() - at))); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

SearchIndexer::SearchIndexer(SearchIndex& index, const views::ServiceClients& clients,
                             Options options)
    : index_(index),
      clients_(clients),
      options_(options),
      popularity_thread_([this] { RunPopularityLoop(); }) {}

SearchIndexer::~SearchIndexer() {
  {
    const std::scoped_lock lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  popularity_thread_.join();
  FlushPopularity();
}

void SearchIndexer::OnEvent(const events::Event& event) {
  const std::int64_t id = event.subject_id;
  switch (event.kind) {
    case events::EventKind::kVideoPublished:
    case events::EventKind::kVideoUpdated:
      ThrowIfFailed(IndexVideos(std::span(&id, 1)));
      break;
    case events::EventKind::kVideoDeleted:
      index_.Remove(kVideoKind, id);
      break;
    case events::EventKind::kUserRegistered:
    case events::EventKind::kUserUpdated:
      ThrowIfFailed(IndexUsers(std::span(&id, 1)));
      break;
    case events::EventKind::kVideoLiked:
    case events::EventKind::kVideoUnliked:
    case events::EventKind::kCommentCreated:
    case events::EventKind::kCommentDeleted: {
      const std::scoped_lock lock(mutex_);
      dirty_videos_.insert(id);
      wake_.notify_all();
      break;
    }
    default:
      break;  // nothing searchable changed
  }
}

Status SearchIndexer::IndexVideos(std::span<const std::int64_t> ids) {
  return InBatches(ids, [this](std::span<const std::int64_t> batch) -> Status {
    video::v1::GetVideosRequest get;
    get.mutable_video_ids()->Add(batch.begin(), batch.end());
    // As anyone sees them (viewer 0, not all_states): hidden videos are "gone" below.
    auto found = clients_.videos->GetVideos(get);
    if (!found.ok()) return found.status();

    // Popularity: likes, and comments twice, as the hot feed weighs them.
    std::unordered_map<std::int64_t, std::int64_t> popularity;
    if (clients_.favorites && found->videos_size() > 0) {
      favorite::v1::VideoStatsRequest stats;
      for (const auto& v : found->videos()) stats.add_video_ids(v.id());
      auto reply = clients_.favorites->VideoStats(stats);
      if (!reply.ok()) return reply.status();
      for (const auto& [id, stat] : reply->stats()) popularity[id] += stat.favorite_count();
    }
    if (clients_.comments && found->videos_size() > 0) {
      comment::v1::CountCommentsRequest counts;
      for (const auto& v : found->videos()) counts.add_video_ids(v.id());
      auto reply = clients_.comments->CountByVideos(counts);
      if (!reply.ok()) return reply.status();
      for (const auto& [id, count] : reply->counts()) popularity[id] += 2 * count;
    }

    std::vector<Document> puts;
    std::unordered_map<std::int64_t, bool> present;
    for (const auto& v : found->videos()) {
      present[v.id()] = true;
      puts.push_back({v.id(), std::string(kVideoKind), v.title(), v.description(),
                      std::vector<std::string>(v.tags().begin(), v.tags().end()),
                      popularity[v.id()], v.created_at_ms()});
    }
    std::vector<std::int64_t> gone;
    for (std::int64_t id : batch) {
      if (!present.contains(id)) gone.push_back(id);
    }
    index_.Apply(puts, kVideoKind, gone);
    return Status::Ok();
  });
}

Status SearchIndexer::IndexUsers(std::span<const std::int64_t> ids) {
  return InBatches(ids, [this](std::span<const std::int64_t> batch) -> Status {
    user::v1::BatchGetUsersRequest get;
    get.mutable_user_ids()->Add(batch.begin(), batch.end());
    auto found = clients_.users->BatchGetUsers(get);
    if (!found.ok()) return found.status();

    // Popularity: followers.
    std::unordered_map<std::int64_t, std::int64_t> followers;
    if (clients_.relations && found->users_size() > 0) {
      relation::v1::RelationStatsRequest stats;
      for (const auto& u : found->users()) stats.add_user_ids(u.id());
      auto reply = clients_.relations->Stats(stats);
      if (!reply.ok()) return reply.status();
      for (const auto& [id, stat] : reply->stats()) followers[id] = stat.follower_count();
    }

    std::vector<Document> puts;
    std::unordered_map<std::int64_t, bool> present;
    for (const auto& u : found->users()) {
      present[u.id()] = true;
      puts.push_back(
          {u.id(), std::string(kUserKind), u.name(), u.signature(), {}, followers[u.id()], 0});
    }
    std::vector<std::int64_t> gone;
    for (std::int64_t id : batch) {
      if (!present.contains(id)) gone.push_back(id);
    }
    index_.Apply(puts, kUserKind, gone);
    return Status::Ok();
  });
}

Status SearchIndexer::IndexEverything(
    const std::function<void(std::size_t videos, std::size_t users)>& progress) {
  std::size_t videos = 0;
  std::size_t users = 0;
  video::v1::ListVideosRequest list;
  list.set_limit(100);
  for (;;) {
    auto page = clients_.videos->ListVideos(list);
    if (!page.ok()) return page.status();
    std::vector<std::int64_t> ids;
    for (const auto& v : page->videos()) ids.push_back(v.id());
    if (Status s = IndexVideos(ids); !s.ok()) return s;
    videos += ids.size();
    if (progress) progress(videos, users);
    if (ids.empty() || page->next_before_ms() == 0) break;
    list.set_before_ms(page->next_before_ms());
  }
  user::v1::ListUserIdsRequest user_list;
  user_list.set_limit(static_cast<int>(kBatch));
  for (;;) {
    auto page = clients_.users->ListUserIds(user_list);
    if (!page.ok()) return page.status();
    const std::vector<std::int64_t> ids(page->user_ids().begin(), page->user_ids().end());
    if (Status s = IndexUsers(ids); !s.ok()) return s;
    users += ids.size();
    if (progress) progress(videos, users);
    if (ids.empty() || page->next_after_id() == 0) break;
    user_list.set_after_id(page->next_after_id());
  }
  return Status::Ok();
}

void SearchIndexer::FlushPopularity() {
  std::set<std::int64_t> batch;
  {
    const std::scoped_lock lock(mutex_);
    batch.swap(dirty_videos_);
  }
  if (batch.empty()) return;
  const std::vector<std::int64_t> ids(batch.begin(), batch.end());
  try {
    if (Status s = IndexVideos(ids); !s.ok()) {
      log::Warn("search popularity update failed",
                {{"reason", s.reason}, {"videos", static_cast<std::int64_t>(ids.size())}});
    }
  } catch (const std::exception& e) {
    log::Error("search popularity update failed", {{"error", e.what()}});
  }
}

void SearchIndexer::RunPopularityLoop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait(lock, [this] { return stopping_ || !dirty_videos_.empty(); });
    if (stopping_) break;
    // Let a burst gather, then apply it in one commit.
    wake_.wait_for(lock, options_.popularity_delay, [this] { return stopping_; });
    lock.unlock();
    FlushPopularity();
    lock.lock();
  }
}

}  // namespace reel::search

#include "feed/domain/hot_snapshots.hpp"

#include <algorithm>
#include <charconv>

namespace reel::feed {
namespace {

struct Position {
  std::int64_t ranking = 0;
  std::size_t offset = 0;
};

// Cursors read "<ranking id>-<offset>".
std::string FormatCursor(std::int64_t ranking, std::size_t offset) {
  return std::to_string(ranking) + "-" + std::to_string(offset);
}

bool ParseNumber(std::string_view text, auto& out) {
  if (text.empty()) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

Result<Position> ParseCursor(std::string_view cursor) {
  const std::size_t dash = cursor.find('-');
  Position p;
  if (dash == std::string_view::npos || !ParseNumber(cursor.substr(0, dash), p.ranking) ||
      !ParseNumber(cursor.substr(dash + 1), p.offset) || p.ranking <= 0) {
    return InvalidArgument("PARAM_INVALID",
                           "parameter 'cursor' is not a hot feed cursor; use the next_cursor of "
                           "the previous page, or none for the first page");
  }
  return p;
}

}  // namespace

HotSnapshots::HotSnapshots(Gather gather, const Clock& clock, Options options)
    : gather_(std::move(gather)), clock_(clock), options_(options) {}

HotSnapshots::RankingPtr HotSnapshots::Find(std::int64_t id) {
  const std::scoped_lock lock(mutex_);
  auto it = rankings_.find(id);
  return it == rankings_.end() ? nullptr : it->second;
}

Result<HotSnapshots::RankingPtr> HotSnapshots::Current() {
  const auto fresh = [this](const RankingPtr& r) {
    if (!r) return false;
    const auto age = clock_.Monotonic() - r->made_at;
    return age < options_.refresh_after && !(stale_ && age >= options_.stale_after);
  };
  const auto newest = [this]() -> RankingPtr {
    const std::scoped_lock lock(mutex_);
    return rankings_.empty() ? nullptr : rankings_.rbegin()->second;
  };
  if (RankingPtr r = newest(); fresh(r)) return r;

  const std::scoped_lock gathering(gather_mutex_);
  // Someone else may have made one while this thread waited.
  if (RankingPtr r = newest(); fresh(r)) return r;
  stale_ = false;  // what moves the counts from now on makes this ranking stale in turn
  auto candidates = gather_();
  if (!candidates.ok()) return candidates.status();

  const std::int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
          .count();
  auto ranking = std::make_shared<Ranking>();
  ranking->made_at = clock_.Monotonic();
  ranking->video_ids = RankHot(std::move(*candidates), now_ms);
  if (ranking->video_ids.size() > options_.max_videos) {
    ranking->video_ids.resize(options_.max_videos);
  }

  const std::scoped_lock lock(mutex_);
  const std::int64_t last = rankings_.empty() ? 0 : rankings_.rbegin()->first;
  ranking->id = std::max(now_ms, last + 1);
  // Rankings no cursor may still need go; the new one is kept whatever its age.
  std::erase_if(rankings_, [&](const auto& entry) {
    return ranking->made_at - entry.second->made_at > options_.keep_for;
  });
  rankings_.emplace(ranking->id, ranking);
  return RankingPtr(ranking);
}

Result<HotPage> HotSnapshots::Page(std::string_view cursor, int limit) {
  Position position;
  RankingPtr ranking;
  if (!cursor.empty()) {
    auto parsed = ParseCursor(cursor);
    if (!parsed.ok()) return parsed.status();
    position = *parsed;
    ranking = Find(position.ranking);
  }
  if (!ranking) {
    auto current = Current();
    if (!current.ok()) return current.status();
    ranking = std::move(*current);
  }

  const std::vector<std::int64_t>& ids = ranking->video_ids;
  const std::size_t begin = std::min(position.offset, ids.size());
  const std::size_t end =
      std::min(begin + static_cast<std::size_t>(std::max(limit, 1)), ids.size());
  HotPage page;
  page.video_ids.assign(ids.begin() + static_cast<std::ptrdiff_t>(begin),
                        ids.begin() + static_cast<std::ptrdiff_t>(end));
  if (end < ids.size()) page.next_cursor = FormatCursor(ranking->id, end);
  return page;
}

}  // namespace reel::feed

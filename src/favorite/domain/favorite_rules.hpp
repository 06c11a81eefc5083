#pragma once

// The rules both favorite services (likes and collections) apply alike: who may be named,
// which video may be acted on, and how a list page is cut.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "favorite/domain/favorite.hpp"
#include "favorite/domain/user_directory.hpp"
#include "favorite/domain/video_directory.hpp"
#include "kit/clock/clock.hpp"
#include "kit/status/status.hpp"

namespace reel::favorite {

/// Ok for a positive id; USER_ID_INVALID otherwise (likes and bookmarks are keyed by user,
/// and a non-positive id would file them under nobody).
Status CheckUser(std::int64_t user_id);

/// VIDEO_NOT_FOUND naming the video.
Status VideoNotFound(std::int64_t video_id);

/// The author of a video `user_id` may see; VIDEO_NOT_FOUND (also for another's private or
/// not-approved video), or why the video service could not say.
Result<std::int64_t> AuthorOfVisible(VideoDirectory& videos, std::int64_t video_id,
                                     std::int64_t user_id);

/// Whether the video is gone now, asked again after a write: the video service commits a
/// delete before its cascade starts, so asking after the write closes the window in which
/// the cascade ran before it. False when the video service cannot answer now: it answered
/// a moment ago.
bool GoneSince(VideoDirectory& videos, std::int64_t video_id);

/// Ok when the user exists; USER_NOT_FOUND otherwise (a wrong id is a 404 rather than an
/// empty or "private" list, which would hide the mistake), or why the user service could
/// not say.
Status CheckUserExists(UserDirectory& users, std::int64_t user_id);

std::int64_t NowMs(const Clock& clock);

/// A page of `size` video ids from `rows`, read with one row beyond the page: that row
/// tells whether another page exists, so the last page says so instead of sending the
/// client after an empty one. The last row's `cursor` member is the next page's cursor.
template <typename Row>
LikedPage PageOf(std::vector<Row> rows, int size, std::int64_t Row::*cursor) {
  LikedPage page;
  if (rows.size() > static_cast<std::size_t>(size)) {
    rows.resize(static_cast<std::size_t>(size));
    page.next_cursor = rows.back().*cursor;
  }
  page.video_ids.reserve(rows.size());
  for (const Row& row : rows) page.video_ids.push_back(row.video_id);
  return page;
}

}  // namespace reel::favorite

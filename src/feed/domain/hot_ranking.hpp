#pragma once

#include <cstdint>
#include <vector>

namespace reel::feed {

/// A video as the hot ranking sees it.
struct HotCandidate {
  std::int64_t video_id = 0;
  std::int64_t created_at_ms = 0;
  std::int64_t likes = 0;
  std::int64_t comments = 0;
};

/// likes·1 + comments·2 + 1000 / (hours since publishing + 2)^1.2: engagement counts for
/// ever, freshness fades, so a new video gets a few hours on top before older hits win.
/// A video from the future (clock skew) counts as brand new.
double HotScore(const HotCandidate& video, std::int64_t now_ms);

/// The candidates' ids, hottest first; equal scores put the newer video first.
std::vector<std::int64_t> RankHot(std::vector<HotCandidate> candidates, std::int64_t now_ms);

}  // namespace reel::feed

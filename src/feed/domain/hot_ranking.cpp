#include "feed/domain/hot_ranking.hpp"

#include <algorithm>
#include <cmath>

namespace reel::feed {

double HotScore(const HotCandidate& video, std::int64_t now_ms) {
  constexpr double kMsPerHour = 3'600'000.0;
  const double hours =
      std::max<double>(0.0, static_cast<double>(now_ms - video.created_at_ms) / kMsPerHour);
  const double freshness = 1000.0 / std::pow(hours + 2.0, 1.2);
  return static_cast<double>(video.likes) + 2.0 * static_cast<double>(video.comments) + freshness;
}

std::vector<std::int64_t> RankHot(std::vector<HotCandidate> candidates, std::int64_t now_ms) {
  struct Scored {
    double score;
    std::int64_t created_at_ms;
    std::int64_t video_id;
  };
  std::vector<Scored> scored;
  scored.reserve(candidates.size());
  for (const HotCandidate& c : candidates) {
    scored.push_back({HotScore(c, now_ms), c.created_at_ms, c.video_id});
  }
  std::sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.created_at_ms != b.created_at_ms) return a.created_at_ms > b.created_at_ms;
    return a.video_id > b.video_id;
  });
  std::vector<std::int64_t> ids;
  ids.reserve(scored.size());
  for (const Scored& s : scored) ids.push_back(s.video_id);
  return ids;
}

}  // namespace reel::feed

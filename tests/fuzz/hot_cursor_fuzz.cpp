// Feed cursors: the hot feed's "<ranking>-<offset>" cursor and page limit as a client sends
// them, over a ranking of a size the input picks, and the Douyin feed's latest_time. A page
// holds at most `limit` videos (at least one) and a next_cursor it gives must lead on to the
// following videos of the same ranking.
//
// Input: <number of videos> <4 bytes of limit> <8 bytes of latest_time> <cursor>.

#include <cstdint>
#include <string>
#include <vector>

#include "feed/domain/hot_snapshots.hpp"
#include "fuzz_input.hpp"
#include "kit/clock/clock.hpp"
#include "kit/http/douyin_time.hpp"

namespace {

using reel::fuzz::Check;

std::vector<reel::feed::HotCandidate> Candidates(std::size_t count) {
  std::vector<reel::feed::HotCandidate> out;
  for (std::size_t i = 1; i <= count; ++i) {
    const auto id = static_cast<std::int64_t>(i);
    out.push_back({.video_id = id, .created_at_ms = id * 1000, .likes = id % 7, .comments = 0});
  }
  return out;
}

void FuzzOne(const std::uint8_t* data, std::size_t size) {
  reel::fuzz::FuzzInput in(data, size);
  const std::size_t videos = in.Byte();
  std::uint32_t limit_bits = 0;
  for (int i = 0; i < 4; ++i) limit_bits = (limit_bits << 8) | in.Byte();
  const auto limit = static_cast<int>(limit_bits);
  const auto latest_time = static_cast<std::int64_t>(in.U64());
  const std::string cursor(in.Rest());

  const std::int64_t bound = reel::http::DouyinTimeMs(latest_time);
  Check(bound >= 0, "a feed bound below 0");

  const reel::ManualClock clock;
  reel::feed::HotSnapshots snapshots(
      [&]() -> reel::Result<std::vector<reel::feed::HotCandidate>> { return Candidates(videos); },
      clock);
  // A real cursor first, so a fuzzed one can name a ranking that exists.
  (void)snapshots.Page("", 1);
  auto page = snapshots.Page(cursor, limit);
  if (!page.ok()) return;
  const std::size_t most = limit < 1 ? 1 : static_cast<std::size_t>(limit);
  Check(page->video_ids.size() <= most, "a hot page longer than its limit");
  if (page->next_cursor.empty()) return;
  Check(!page->video_ids.empty(), "a next_cursor after an empty page");
  auto next = snapshots.Page(page->next_cursor, 1);
  Check(next.ok() && !next->video_ids.empty(), "a next_cursor that leads nowhere");
  for (std::int64_t id : page->video_ids) {
    Check(id != next->video_ids.front(), "a next_cursor that repeats a video");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  reel::fuzz::OnSmallStack([&] { FuzzOne(data, size); });
  return 0;
}

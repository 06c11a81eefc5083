#include "feed/domain/hot_ranking.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "feed/domain/hot_snapshots.hpp"

namespace reel::feed {
namespace {

constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kNow = 1'000 * kHourMs;

TEST(HotScore, FollowsTheBriefsFormula) {
  // 10 likes, 3 comments, 6 hours old: 10 + 6 + 1000 / 8^1.2.
  const HotCandidate v{1, kNow - 6 * kHourMs, 10, 3};
  EXPECT_NEAR(HotScore(v, kNow), 16.0 + 1000.0 / std::pow(8.0, 1.2), 1e-9);
}

TEST(HotScore, AVideoFromTheFutureCountsAsBrandNew) {
  const HotCandidate future{1, kNow + kHourMs, 0, 0};
  const HotCandidate now{2, kNow, 0, 0};
  EXPECT_DOUBLE_EQ(HotScore(future, kNow), HotScore(now, kNow));
}

TEST(RankHot, EngagementBeatsAgeOnceFreshnessHasFaded) {
  const std::vector<HotCandidate> videos = {
      {1, kNow - 200 * kHourMs, 40, 0},  // old but liked: 40 + ~1.7
      {2, kNow, 0, 0},                   // brand new, nobody reacted: ~435
      {3, kNow - 48 * kHourMs, 0, 5},    // two days, five comments: 10 + ~9.1
  };
  EXPECT_EQ(RankHot(videos, kNow), (std::vector<std::int64_t>{2, 1, 3}));
}

TEST(RankHot, CommentsWeighTwiceAsMuchAsLikes) {
  const std::int64_t old = kNow - 10'000 * kHourMs;
  const std::vector<HotCandidate> videos = {{1, old, 5, 0}, {2, old - 1, 0, 3}};
  EXPECT_EQ(RankHot(videos, kNow), (std::vector<std::int64_t>{2, 1}));
}

TEST(RankHot, EqualScoresPutTheNewerVideoFirst) {
  const std::vector<HotCandidate> videos = {{1, kNow, 0, 0}, {2, kNow, 0, 0}, {3, kNow, 0, 0}};
  EXPECT_EQ(RankHot(videos, kNow), (std::vector<std::int64_t>{3, 2, 1}));
}

class HotSnapshotsTest : public ::testing::Test {
 protected:
  // Candidates 1..n, the higher id the more likes.
  void SetCandidates(int n) {
    candidates_.clear();
    for (int i = 1; i <= n; ++i) candidates_.push_back({i, 0, i, 0});
  }
  HotSnapshots::Gather Gatherer() {
    return [this]() -> Result<std::vector<HotCandidate>> {
      ++gathers_;
      if (fail_) return Unavailable("FAVORITE_UNAVAILABLE", "down");
      return candidates_;
    };
  }
  std::vector<std::int64_t> ReadAll(HotSnapshots& feed, int limit) {
    std::vector<std::int64_t> seen;
    std::string cursor;
    for (int pages = 0; pages < 100; ++pages) {
      auto page = feed.Page(cursor, limit);
      EXPECT_TRUE(page.ok()) << page.status().message;
      if (!page.ok()) break;
      seen.insert(seen.end(), page->video_ids.begin(), page->video_ids.end());
      if (page->next_cursor.empty()) break;
      cursor = page->next_cursor;
      clock_.Advance(std::chrono::seconds(20));  // pages are read over minutes
      // Meanwhile likes reorder everything: the ranking a cursor names must not change.
      for (auto& c : candidates_) c.likes = 1000 - c.likes;
    }
    return seen;
  }

  ManualClock clock_;
  std::vector<HotCandidate> candidates_;
  int gathers_ = 0;
  bool fail_ = false;
};

TEST_F(HotSnapshotsTest, FollowingCursorsSeesEveryVideoOnceWhileScoresChange) {
  SetCandidates(23);
  HotSnapshots feed(Gatherer(), clock_);
  const std::vector<std::int64_t> seen = ReadAll(feed, 5);
  ASSERT_EQ(seen.size(), 23u);
  EXPECT_EQ(std::set<std::int64_t>(seen.begin(), seen.end()).size(), 23u);
  EXPECT_EQ(seen.front(), 23);  // the most liked when the first page was asked for
  EXPECT_EQ(seen.back(), 1);
}

TEST_F(HotSnapshotsTest, ARankingIsReusedUntilItIsStale) {
  SetCandidates(3);
  HotSnapshots feed(Gatherer(), clock_, {.refresh_after = std::chrono::seconds(30)});
  ASSERT_TRUE(feed.Page("", 10).ok());
  clock_.Advance(std::chrono::seconds(10));
  ASSERT_TRUE(feed.Page("", 10).ok());
  EXPECT_EQ(gathers_, 1);
  clock_.Advance(std::chrono::seconds(30));
  ASSERT_TRUE(feed.Page("", 10).ok());
  EXPECT_EQ(gathers_, 2);
}

// Events (likes, comments, new videos) mark the ranking stale: the next first page after
// stale_after ranks anew, not only after refresh_after; without them nothing changes.
TEST_F(HotSnapshotsTest, AStaleMarkRanksAgainAfterStaleAfterOnly) {
  SetCandidates(3);
  HotSnapshots feed(
      Gatherer(), clock_,
      {.refresh_after = std::chrono::seconds(30), .stale_after = std::chrono::seconds(2)});
  ASSERT_EQ(feed.Page("", 10)->video_ids.front(), 3);
  candidates_[0].likes = 100;  // video 1 is liked a lot
  feed.MarkStale();
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(feed.Page("", 10)->video_ids.front(), 3) << "younger than stale_after: kept";
  EXPECT_EQ(gathers_, 1);
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(feed.Page("", 10)->video_ids.front(), 1) << "stale and old enough: ranked anew";
  EXPECT_EQ(gathers_, 2);
  clock_.Advance(std::chrono::seconds(5));
  ASSERT_TRUE(feed.Page("", 10).ok());
  EXPECT_EQ(gathers_, 2) << "no event since: the ranking lives until refresh_after";
}

TEST_F(HotSnapshotsTest, ADroppedRankingContinuesAtTheSameOffsetOfTheNewest) {
  SetCandidates(10);
  HotSnapshots feed(
      Gatherer(), clock_,
      {.refresh_after = std::chrono::seconds(1), .keep_for = std::chrono::minutes(1)});
  auto first = feed.Page("", 4);
  ASSERT_TRUE(first.ok());
  clock_.Advance(std::chrono::minutes(5));
  ASSERT_TRUE(feed.Page("", 4).ok());  // a new ranking; the first one is dropped
  auto next = feed.Page(first->next_cursor, 4);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->video_ids, (std::vector<std::int64_t>{6, 5, 4, 3}));
}

TEST_F(HotSnapshotsTest, TheFeedEndsAtMaxVideos) {
  SetCandidates(50);
  HotSnapshots feed(Gatherer(), clock_, {.max_videos = 12});
  EXPECT_EQ(ReadAll(feed, 5).size(), 12u);
}

TEST_F(HotSnapshotsTest, AnEmptyPlatformHasAnEmptyLastPage) {
  HotSnapshots feed(Gatherer(), clock_);
  auto page = feed.Page("", 10);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->video_ids.empty());
  EXPECT_TRUE(page->next_cursor.empty());
}

TEST_F(HotSnapshotsTest, ForeignCursorsAreRefused) {
  SetCandidates(3);
  HotSnapshots feed(Gatherer(), clock_);
  for (const char* bad :
       {"abc", "12", "-3", "0-1", "5-", "5-x", "1e3-2", "99999999999999999999-1"}) {
    auto page = feed.Page(bad, 10);
    ASSERT_FALSE(page.ok()) << bad;
    EXPECT_EQ(page.status().reason, "PARAM_INVALID") << bad;
  }
}

TEST_F(HotSnapshotsTest, AGathererFailureIsThePagesErrorAndIsNotCached) {
  SetCandidates(3);
  fail_ = true;
  HotSnapshots feed(Gatherer(), clock_);
  auto failed = feed.Page("", 10);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().reason, "FAVORITE_UNAVAILABLE");
  fail_ = false;
  auto page = feed.Page("", 10);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->video_ids.size(), 3u);
}

}  // namespace
}  // namespace reel::feed

#include "comment/domain/comment_service.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <thread>

#include "comment/domain/testing/comment_service_fixture.hpp"

namespace reel::comment {
namespace {

using namespace comment_testing;  // NOLINT: the fixture's names

TEST_F(CommentServiceTest, CreateListAndCount) {
  auto first = service_->Create(kAlice, kVideo, "  first!  ");
  ASSERT_TRUE(first.ok()) << first.status().message;
  EXPECT_GT(first->id, 0);
  EXPECT_EQ(first->video_id, kVideo);
  EXPECT_EQ(first->user_id, kAlice);
  EXPECT_EQ(first->content, "first!");
  EXPECT_EQ(first->created_at_ms,
            std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
                .count());
  clock_.Advance(5ms);
  const Comment second = Post(kStranger, kVideo, "second");
  Post(kAlice, kOtherVideo);

  auto page = service_->List(kVideo, 0, 0);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->comments.size(), 2u);
  EXPECT_EQ(page->comments[0].comment.id, second.id);  // newest first
  EXPECT_EQ(page->comments[0].comment.created_at_ms, first->created_at_ms + 5);
  EXPECT_EQ(page->comments[1].comment.content, "first!");
  EXPECT_EQ(page->next_cursor, 0);
  EXPECT_EQ(CountOf(kVideo), 2);
  EXPECT_EQ(CountOf(kOtherVideo), 1);
}

TEST_F(CommentServiceTest, RefusedCommentsChangeNothing) {
  Post(kAlice, kVideo);
  EXPECT_EQ(service_->Create(kAlice, kVideo, "   ").status().reason, "COMMENT_INVALID");
  EXPECT_EQ(service_->Create(kAlice, kVideo, "beep\x07").status().reason, "COMMENT_INVALID");
  auto missing = service_->Create(kAlice, 404, "hello");
  EXPECT_EQ(missing.status().code, Code::kNotFound);
  EXPECT_EQ(missing.status().reason, "VIDEO_NOT_FOUND");
  EXPECT_EQ(CountOf(kVideo), 1);
  EXPECT_EQ(CountOf(404), 0);
  EXPECT_EQ(RowsOf(kVideo), 1);
  EXPECT_EQ(RowsOf(404), 0);
}

TEST_F(CommentServiceTest, FiveHundredChineseCharactersFitAndOneMoreDoesNot) {
  std::string longest;
  for (int i = 0; i < 500; ++i) longest += "论";
  EXPECT_EQ(Post(kAlice, kVideo, longest).content, longest);
  auto refused = service_->Create(kAlice, kVideo, longest + "论");
  EXPECT_EQ(refused.status().reason, "COMMENT_INVALID");
  EXPECT_EQ(CountOf(kVideo), 1);
}

TEST_F(CommentServiceTest, AuthorOrVideoAuthorMayDelete) {
  const Comment own = Post(kAlice, kVideo);
  const Comment other = Post(kStranger, kVideo);
  auto by_author = service_->Delete(kAlice, own.id);
  ASSERT_TRUE(by_author.ok()) << by_author.status().message;
  EXPECT_EQ(by_author->id, own.id);
  auto by_video_author = service_->Delete(kVideoAuthor, other.id);
  ASSERT_TRUE(by_video_author.ok()) << by_video_author.status().message;
  EXPECT_EQ(CountOf(kVideo), 0);
  EXPECT_TRUE(service_->List(kVideo, 0, 0)->comments.empty());
}

TEST_F(CommentServiceTest, StrangersCannotDelete) {
  const Comment c = Post(kAlice, kVideo);
  for (std::int64_t who : {kStranger, kOtherAuthor}) {  // another video's author is a stranger
    auto refused = service_->Delete(who, c.id);
    EXPECT_EQ(refused.status().code, Code::kPermissionDenied);
    EXPECT_EQ(refused.status().reason, "COMMENT_NOT_YOURS");
    EXPECT_EQ(refused.status().message,
              "only the comment's author or the video's author can delete it");
  }
  EXPECT_EQ(CountOf(kVideo), 1);
  EXPECT_EQ(service_->List(kVideo, 0, 0)->comments.size(), 1u);
}

TEST_F(CommentServiceTest, DeletingTwiceFindsNothingTheSecondTime) {
  const Comment c = Post(kAlice, kVideo);
  Post(kAlice, kVideo);
  ASSERT_TRUE(service_->Delete(kAlice, c.id).ok());
  auto again = service_->Delete(kAlice, c.id);
  EXPECT_EQ(again.status().code, Code::kNotFound);
  EXPECT_EQ(again.status().reason, "COMMENT_NOT_FOUND");
  EXPECT_EQ(service_->Delete(kAlice, 12345).status().reason, "COMMENT_NOT_FOUND");
  EXPECT_EQ(CountOf(kVideo), 1);
}

TEST_F(CommentServiceTest, PagesNeitherRepeatNorSkip) {
  std::set<std::int64_t> posted;
  for (int i = 0; i < 8; ++i) posted.insert(Post(kAlice, kVideo).id);
  Post(kAlice, kOtherVideo);  // not on this video's pages
  std::set<std::int64_t> seen;
  std::int64_t cursor = 0;
  std::vector<std::size_t> sizes;
  do {
    auto page = service_->List(kVideo, cursor, 3);
    ASSERT_TRUE(page.ok());
    sizes.push_back(page->comments.size());
    for (std::size_t i = 1; i < page->comments.size(); ++i) {
      EXPECT_GT(page->comments[i - 1].comment.id, page->comments[i].comment.id);
    }
    for (const CommentThread& t : page->comments)
      EXPECT_TRUE(seen.insert(t.comment.id).second) << t.comment.id;
    cursor = page->next_cursor;
  } while (cursor != 0 && sizes.size() < 10);
  EXPECT_EQ(sizes, (std::vector<std::size_t>{3, 3, 2}));
  EXPECT_EQ(seen, posted);
}

TEST_F(CommentServiceTest, PageSizeIsClampedAndMissingVideosRefused) {
  for (int i = 0; i < 105; ++i) Post(kAlice, kVideo);
  EXPECT_EQ(service_->List(kVideo, 0, 0)->comments.size(), 30u);
  EXPECT_EQ(service_->List(kVideo, 0, 1000)->comments.size(), 100u);
  EXPECT_EQ(service_->List(kVideo, 0, -4)->comments.size(), 1u);
  EXPECT_EQ(service_->List(404, 0, 0).status().reason, "VIDEO_NOT_FOUND");
  EXPECT_EQ(service_->List(kVideo, -1, 0).status().reason, "CURSOR_INVALID");
}

TEST_F(CommentServiceTest, EveryRequestedVideoHasACount) {
  Post(kAlice, kVideo);
  Post(kAlice, kVideo);
  const std::int64_t ids[] = {kVideo, kOtherVideo, 404, kVideo};
  auto counts = service_->CountByVideos(ids);
  EXPECT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts.at(kVideo), 2);
  EXPECT_EQ(counts.at(kOtherVideo), 0);
  EXPECT_EQ(counts.at(404), 0);
  EXPECT_TRUE(service_->CountByVideos({}).empty());
}

TEST_F(CommentServiceTest, ConcurrentCommentersKeepCountsExact) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 40;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      std::mt19937 rng(static_cast<unsigned>(t));
      const std::int64_t user = 1000 + t;
      std::vector<std::int64_t> mine;
      for (int i = 0; i < kRounds; ++i) {
        const std::int64_t video = 1 + static_cast<std::int64_t>(rng() % 3);
        if (auto c = service_->Create(user, video, "round " + std::to_string(i)); c.ok()) {
          mine.push_back(c->id);
        }
        // Delete one of ours now and then, and race the video authors for the same ones.
        if (!mine.empty() && rng() % 3 == 0) {
          const std::int64_t id = mine[rng() % mine.size()];
          (void)service_->Delete(user, id);
          (void)service_->Delete(kVideoAuthor, id);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  std::int64_t total = 0;
  for (std::int64_t video : {std::int64_t{1}, std::int64_t{2}, std::int64_t{3}}) {
    EXPECT_EQ(CountOf(video), RowsOf(video)) << "video " << video;
    total += RowsOf(video);
  }
  EXPECT_GT(total, 0);
  EXPECT_LT(total, kThreads * kRounds);  // some deletes happened
}

TEST_F(CommentServiceTest, EventsArePublishedForEveryStoredCommentAndDeletion) {
  using events::EventKind::kCommentCreated;
  using events::EventKind::kCommentDeleted;
  const Comment first = Post(kAlice, kVideo);
  const Comment second = Post(kStranger, kVideo);
  EXPECT_EQ(service_->Create(kAlice, kVideo, "  ").status().reason, "COMMENT_INVALID");
  EXPECT_EQ(service_->Create(kAlice, 404, "hello").status().reason, "VIDEO_NOT_FOUND");
  EXPECT_EQ(service_->Delete(kStranger, first.id).status().reason, "COMMENT_NOT_YOURS");
  ASSERT_TRUE(service_->Delete(kVideoAuthor, first.id).ok());
  EXPECT_EQ(service_->Delete(kVideoAuthor, first.id).status().reason, "COMMENT_NOT_FOUND");
  ASSERT_TRUE(service_->Delete(kStranger, second.id).ok());
  // Subject: the video; actor: the comment's author (also when the video's author deleted
  // it, as here for Alice's).
  EXPECT_EQ(published_, (Published{{kCommentCreated, kVideo, kAlice},
                                   {kCommentCreated, kVideo, kStranger},
                                   {kCommentDeleted, kVideo, kAlice},
                                   {kCommentDeleted, kVideo, kStranger}}));
}

TEST_F(CommentServiceTest, TopVideosRankByCommentsThenNewerVideo) {
  for (int i = 0; i < 2; ++i) Post(kAlice, kVideo);
  for (int i = 0; i < 2; ++i) Post(kAlice, kOtherVideo);
  Post(kAlice, 3);
  const auto top = service_->TopVideos(10);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].video_id, kOtherVideo);  // 2 comments, the newer of the two
  EXPECT_EQ(top[0].count, 2);
  EXPECT_EQ(top[1].video_id, kVideo);
  EXPECT_EQ(top[2].video_id, 3);
  EXPECT_EQ(top[2].count, 1);
  EXPECT_EQ(service_->TopVideos(0).size(), 1u);  // clamped to 1
  EXPECT_EQ(service_->TopVideos(5000).size(), 3u);

  Post(kStranger, kVideo);
  EXPECT_EQ(service_->TopVideos(1)[0].video_id, kVideo);
}

}  // namespace
}  // namespace reel::comment

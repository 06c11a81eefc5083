// Replies, threads, blocks, visibility and hiding in CommentService (issue 16).
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <thread>
#include <vector>

#include "comment/domain/testing/comment_service_fixture.hpp"

namespace reel::comment {
namespace {

using namespace comment_testing;  // NOLINT: the fixture's names

class CommentRepliesTest : public CommentServiceTest {
 protected:
  Comment ReplyTo(std::int64_t user, const Comment& to, const std::string& text = "re") {
    auto c = service_->Create(user, to.video_id, text, to.id);
    EXPECT_TRUE(c.ok()) << c.status().message;
    return c.ok() ? *c : Comment{};
  }
  // Every reply of a thread, paging with `page_size`; fails on repeats.
  std::vector<std::int64_t> AllReplies(std::int64_t thread, int page_size,
                                       std::int64_t viewer = 0) {
    std::vector<std::int64_t> ids;
    std::int64_t cursor = 0;
    for (int pages = 0; pages < 50; ++pages) {
      auto page = service_->ListReplies(thread, cursor, page_size, viewer);
      EXPECT_TRUE(page.ok()) << page.status().message;
      if (!page.ok()) break;
      for (const Comment& r : page->replies) ids.push_back(r.id);
      cursor = page->next_cursor;
      if (cursor == 0) break;
    }
    return ids;
  }
};

TEST_F(CommentRepliesTest, AReplyToAReplyJoinsTheThreadAndNamesWhomItAnswers) {
  const Comment top = Post(kAlice, kVideo);
  const Comment reply = ReplyTo(kStranger, top);
  EXPECT_EQ(reply.parent_id, top.id);
  EXPECT_EQ(reply.reply_to_comment_id, top.id);
  EXPECT_EQ(reply.reply_to_user_id, kAlice);
  const Comment answer = ReplyTo(kVideoAuthor, reply);  // "kVideoAuthor ▸ kStranger"
  EXPECT_EQ(answer.parent_id, top.id);
  EXPECT_EQ(answer.reply_to_comment_id, reply.id);
  EXPECT_EQ(answer.reply_to_user_id, kStranger);
  EXPECT_EQ(CountOf(kVideo), 3);  // replies count, as Douyin counts them
  EXPECT_EQ(AllReplies(top.id, 1), (std::vector<std::int64_t>{reply.id, answer.id}));
}

TEST_F(CommentRepliesTest, AParentOnAnotherVideoOrMissingIsRefusedAndNothingChanges) {
  const Comment elsewhere = Post(kAlice, kOtherVideo);
  auto foreign = service_->Create(kStranger, kVideo, "re", elsewhere.id);
  EXPECT_EQ(foreign.status().code, Code::kNotFound);
  EXPECT_EQ(foreign.status().reason, "COMMENT_NOT_FOUND");
  EXPECT_EQ(foreign.status().message,
            "comment " + std::to_string(elsewhere.id) + " is not on video 1");
  EXPECT_EQ(service_->Create(kStranger, kVideo, "re", 999).status().reason, "COMMENT_NOT_FOUND");
  EXPECT_EQ(CountOf(kVideo), 0);
  EXPECT_EQ(RowsOf(kVideo), 0);
  EXPECT_EQ(CountOf(kOtherVideo), 1);
}

TEST_F(CommentRepliesTest, TopLevelListsCarryReplyCountsAndTheFirstThreeReplies) {
  const Comment quiet = Post(kAlice, kVideo);
  const Comment busy = Post(kStranger, kVideo);
  std::vector<std::int64_t> replies;
  for (int i = 0; i < 5; ++i) replies.push_back(ReplyTo(kAlice, busy).id);
  auto page = service_->List(kVideo, 0, 10, /*top_level_only=*/true);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->comments.size(), 2u);
  EXPECT_EQ(page->comments[0].comment.id, busy.id);
  EXPECT_EQ(page->comments[0].reply_count, 5);
  ASSERT_EQ(page->comments[0].first_replies.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(page->comments[0].first_replies[i].id, replies[i]);
  EXPECT_EQ(page->comments[1].comment.id, quiet.id);
  EXPECT_EQ(page->comments[1].reply_count, 0);
  // The flat (Douyin) list has every comment, agreeing with the count.
  EXPECT_EQ(service_->List(kVideo, 0, 100)->comments.size(), 7u);
  EXPECT_EQ(CountOf(kVideo), 7);
  // Replies page oldest first, never repeating or skipping.
  EXPECT_EQ(AllReplies(busy.id, 2), replies);
  EXPECT_EQ(service_->ListReplies(replies[0], 0, 10, 0).status().reason, "COMMENT_NOT_FOUND");
  EXPECT_EQ(service_->ListReplies(busy.id, -1, 10, 0).status().reason, "CURSOR_INVALID");
}

TEST_F(CommentRepliesTest, DeletingATopLevelCommentDeletesItsRepliesWithExactCounts) {
  const Comment top = Post(kAlice, kVideo);
  const Comment kept = Post(kAlice, kVideo);
  const Comment reply = ReplyTo(kStranger, top);
  ReplyTo(kVideoAuthor, reply);
  ReplyTo(kStranger, kept);
  EXPECT_EQ(CountOf(kVideo), 5);
  ASSERT_TRUE(service_->Delete(kAlice, top.id).ok());
  EXPECT_EQ(CountOf(kVideo), 2);
  EXPECT_EQ(RowsOf(kVideo), 2);
  EXPECT_EQ(service_->ListReplies(top.id, 0, 10, 0).status().reason, "COMMENT_NOT_FOUND");
  // A reply to the deleted thread is refused now.
  EXPECT_EQ(service_->Create(kStranger, kVideo, "late", reply.id).status().reason,
            "COMMENT_NOT_FOUND");
  EXPECT_EQ(CountOf(kVideo), 2);
}

TEST_F(CommentRepliesTest, BlockedCommentersAreRefusedAndNothingChanges) {
  const Comment top = Post(kAlice, kVideo);
  blocks_.pairs = {{kVideoAuthor, kStranger}};  // the video's author blocked kStranger
  auto on_video = service_->Create(kStranger, kVideo, "hi");
  EXPECT_EQ(on_video.status().code, Code::kPermissionDenied);
  EXPECT_EQ(on_video.status().reason, "BLOCKED");
  EXPECT_EQ(on_video.status().message, "the video's author has blocked you");
  EXPECT_EQ(service_->Create(kStranger, kVideo, "re", top.id).status().reason, "BLOCKED");

  blocks_.pairs = {{kAlice, kStranger}};  // the author of the comment answered blocked them
  auto reply = service_->Create(kStranger, kVideo, "re", top.id);
  EXPECT_EQ(reply.status().reason, "BLOCKED");
  EXPECT_EQ(reply.status().message, "the author of that comment has blocked you");
  EXPECT_TRUE(service_->Create(kStranger, kVideo, "on the video itself").ok());
  EXPECT_EQ(CountOf(kVideo), 2);
  EXPECT_EQ(RowsOf(kVideo), 2);
}

TEST_F(CommentRepliesTest, ViewersListsLeaveOutUsersTheyBlocked) {
  const Comment top = Post(kStranger, kVideo);
  ReplyTo(kStranger, Post(kAlice, kVideo));
  ReplyTo(kOtherAuthor, top);
  blocks_.pairs = {{kAlice, kStranger}};
  auto seen = service_->List(kVideo, 0, 10, true, kAlice);
  ASSERT_TRUE(seen.ok());
  ASSERT_EQ(seen->comments.size(), 1u);  // kStranger's thread is gone
  EXPECT_EQ(seen->comments[0].comment.user_id, kAlice);
  EXPECT_EQ(seen->comments[0].reply_count, 0);  // and kStranger's reply under Alice's
  EXPECT_EQ(service_->List(kVideo, 0, 10, false, kAlice)->comments.size(), 2u);
  // Anyone else sees all of it.
  EXPECT_EQ(service_->List(kVideo, 0, 10, false, kOtherAuthor)->comments.size(), 4u);
  EXPECT_EQ(CountOf(kVideo), 4);
}

TEST_F(CommentRepliesTest, HiddenCommentsAreListedToTheirAuthorOnlyAndNotCounted) {
  const Comment top = Post(kAlice, kVideo);
  const Comment reply = ReplyTo(kStranger, top);
  ReplyTo(kVideoAuthor, top);
  auto hidden = service_->SetHidden(reply.id, true);
  ASSERT_TRUE(hidden.ok());
  EXPECT_TRUE(hidden->hidden);
  EXPECT_TRUE(service_->SetHidden(reply.id, true).ok());  // idempotent
  EXPECT_EQ(CountOf(kVideo), 2);
  EXPECT_EQ(service_->List(kVideo, 0, 10, true, kAlice)->comments[0].reply_count, 1);
  EXPECT_EQ(service_->List(kVideo, 0, 10, true, kStranger)->comments[0].reply_count, 2);
  EXPECT_EQ(service_->List(kVideo, 0, 10, false, 0)->comments.size(), 2u);

  // Hiding the thread hides its replies; showing it brings them back, exactly.
  ASSERT_TRUE(service_->SetHidden(top.id, true).ok());
  EXPECT_EQ(CountOf(kVideo), 0);
  EXPECT_TRUE(service_->List(kVideo, 0, 10, true, kStranger)->comments.empty());
  EXPECT_EQ(service_->ListReplies(top.id, 0, 10, kStranger).status().reason, "COMMENT_NOT_FOUND");
  EXPECT_EQ(service_->Create(kStranger, kVideo, "re", top.id).status().reason, "COMMENT_NOT_FOUND");
  ASSERT_TRUE(service_->SetHidden(top.id, false).ok());
  EXPECT_EQ(CountOf(kVideo), 2);
  EXPECT_EQ(service_->SetHidden(404, true).status().reason, "COMMENT_NOT_FOUND");

  const std::int64_t ids[] = {reply.id, 404, top.id};
  auto got = service_->GetComments(ids);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 2u);  // hidden ones included, missing ones left out
  EXPECT_TRUE((*got)[0].hidden);
  EXPECT_EQ((*got)[1].id, top.id);
  const std::vector<std::int64_t> too_many(CommentService::kMaxGetComments + 1, top.id);
  EXPECT_EQ(service_->GetComments(too_many).status().reason, "PARAM_INVALID");
}

TEST_F(CommentRepliesTest, AnotherUsersPrivateVideoCannotBeCommentedOrRead) {
  EXPECT_EQ(service_->Create(kStranger, kPrivateVideo, "hi").status().reason, "VIDEO_NOT_FOUND");
  EXPECT_EQ(service_->List(kPrivateVideo, 0, 10, true, kStranger).status().reason,
            "VIDEO_NOT_FOUND");
  const Comment own = Post(kVideoAuthor, kPrivateVideo);
  EXPECT_EQ(service_->ListReplies(own.id, 0, 10, kStranger).status().reason, "COMMENT_NOT_FOUND");
  EXPECT_EQ(service_->List(kPrivateVideo, 0, 10, true, kVideoAuthor)->comments.size(), 1u);
}

// Replies, replies to replies and deletes of whole threads from 8 threads at once: each
// video's count ends equal to its rows (nothing here is hidden).
TEST_F(CommentRepliesTest, ConcurrentRepliesAndThreadDeletesKeepCountsExact) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 30;
  std::vector<Comment> seeds;
  for (std::int64_t video = 1; video <= 3; ++video) seeds.push_back(Post(kAlice, video));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(100 + t));
      const std::int64_t user = 1000 + t;
      std::vector<Comment> mine;
      for (int i = 0; i < kRounds; ++i) {
        const Comment& seed = seeds[rng() % seeds.size()];
        const int kind = static_cast<int>(rng() % 4);
        if (kind == 0 || mine.empty()) {
          if (auto c = service_->Create(user, seed.video_id, "top"); c.ok()) mine.push_back(*c);
        } else if (kind == 1) {
          // Answers the seed, or one of ours (which a delete may be taking away meanwhile).
          const Comment& to = rng() % 2 ? seed : mine[rng() % mine.size()];
          if (auto c = service_->Create(user, to.video_id, "re", to.id); c.ok()) {
            mine.push_back(*c);
          }
        } else {
          (void)service_->Delete(user, mine[rng() % mine.size()].id);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (std::int64_t video = 1; video <= 3; ++video) {
    EXPECT_EQ(CountOf(video), RowsOf(video)) << "video " << video;
  }
  // And no reply outlived its thread.
  const std::int64_t orphans = db_->Read([](db::Connection& conn) {
    auto row = conn.Prepare(
        "SELECT COUNT(*) FROM comments c WHERE c.parent_id <> 0 AND NOT EXISTS "
        "(SELECT 1 FROM comments p WHERE p.id = c.parent_id)");
    row.Step();
    return row.Int(0);
  });
  EXPECT_EQ(orphans, 0);
}

}  // namespace
}  // namespace reel::comment

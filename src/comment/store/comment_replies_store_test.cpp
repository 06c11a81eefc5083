// Replies and hiding in the store (issue 16), on every engine: the v3 migration, threads, and the
// per-video count staying equal to the visible rows under every kind of write.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <vector>

#include "comment/store/comment_migrations.hpp"
#include "comment/store/sql_comment_repository.hpp"
#include "kit/db/testing/test_database.hpp"

namespace reel::comment {
namespace {

// An empty database on each engine (db::testing::AllEngines); Migrate() applies the schema,
// so a test may first apply only the older migrations.
class CommentRepliesStoreTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    dir_ = db::testing::FreshTestDir("reel_comment_replies");
    database_ = std::make_unique<db::testing::TestDatabase>(GetParam(), dir_.string(), "comment",
                                                            std::span<const db::Migration>{});
    db_ = &database_->db();
  }
  void Migrate() {
    ASSERT_TRUE(db::ApplyMigrations(*db_, "comment", CommentMigrations()).ok());
    repo_ = std::make_unique<SqlCommentRepository>(*db_);
  }
  void TearDown() override {
    repo_.reset();
    database_.reset();
    std::filesystem::remove_all(dir_);
  }

  Comment Top(std::int64_t video, std::int64_t user = 1) {
    auto c = repo_->Create(NewComment{video, user, "top", 1000});
    EXPECT_TRUE(c.ok()) << c.status().message;
    return c.ok() ? *c : Comment{};
  }
  // A reply answering `to` (which may itself be a reply).
  Result<Comment> Reply(const Comment& to, std::int64_t user = 2) {
    const std::int64_t thread = to.parent_id != 0 ? to.parent_id : to.id;
    return repo_->Create(NewComment{to.video_id, user, "re", 1000, thread, to.user_id, to.id});
  }
  std::int64_t CountOf(std::int64_t video) {
    const std::int64_t ids[] = {video};
    auto counts = repo_->CountByVideos(ids);
    return counts.count(video) ? counts.at(video) : 0;
  }
  // What the count must be: comments not hidden whose top-level comment is not hidden.
  std::int64_t VisibleRows(std::int64_t video) {
    return db::testing::QueryInt(
        *db_,
        "SELECT COUNT(*) FROM comments c LEFT JOIN comments p ON p.id = c.parent_id "
        "WHERE c.video_id = ? AND c.hidden = 0 AND (p.id IS NULL OR p.hidden = 0)",
        video);
  }
  std::int64_t Rows() { return db::testing::QueryInt(*db_, "SELECT COUNT(*) FROM comments"); }

  std::filesystem::path dir_;
  std::unique_ptr<db::testing::TestDatabase> database_;
  db::Database* db_ = nullptr;
  std::unique_ptr<SqlCommentRepository> repo_;
};

TEST_P(CommentRepliesStoreTest, ExistingCommentsBecomeVisibleTopLevelComments) {
  const auto all = CommentMigrations();
  ASSERT_TRUE(db::ApplyMigrations(*db_, "comment", all.first(2)).ok());
  db_->Write([](db::Connection& conn) {
    conn.Prepare(
            "INSERT INTO comments (video_id, user_id, content, created_at_ms) "
            "VALUES (5, 7, 'old', 1)")
        .Run();
    conn.Prepare("INSERT INTO video_comment_counts (video_id, comment_count) VALUES (5, 1)").Run();
  });
  Migrate();
  auto old = repo_->FindById(1);
  ASSERT_TRUE(old);
  EXPECT_EQ(old->parent_id, 0);
  EXPECT_EQ(old->reply_to_user_id, 0);
  EXPECT_EQ(old->reply_to_comment_id, 0);
  EXPECT_FALSE(old->hidden);
  EXPECT_EQ(CountOf(5), 1);
  // And it takes replies like a new one.
  ASSERT_TRUE(Reply(*old).ok());
  EXPECT_EQ(CountOf(5), 2);
}

TEST_P(CommentRepliesStoreTest, ReplyToAMissingOrForeignParentStoresNothing) {
  Migrate();
  const Comment top = Top(5);
  const std::int64_t rows = Rows();
  auto gone = repo_->Create(NewComment{5, 2, "re", 1, top.id + 100, 1, top.id + 100});
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.status().reason, "COMMENT_NOT_FOUND");
  // The parent is on video 5, not 6.
  auto foreign = repo_->Create(NewComment{6, 2, "re", 1, top.id, top.user_id, top.id});
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.status().reason, "COMMENT_NOT_FOUND");
  EXPECT_EQ(Rows(), rows);
  EXPECT_EQ(CountOf(5), 1);
  EXPECT_EQ(CountOf(6), 0);
}

TEST_P(CommentRepliesStoreTest, DeletingATopLevelCommentTakesItsReplies) {
  Migrate();
  const Comment top = Top(5);
  const Comment other = Top(5);
  auto r1 = Reply(top);
  ASSERT_TRUE(r1.ok());
  auto r2 = Reply(*r1, 3);  // a reply to a reply, in the same thread
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->parent_id, top.id);
  ASSERT_TRUE(Reply(other).ok());
  EXPECT_EQ(CountOf(5), 5);
  ASSERT_TRUE(repo_->Delete(top.id).ok());
  EXPECT_EQ(CountOf(5), 2);
  EXPECT_FALSE(repo_->FindById(r1->id));
  EXPECT_FALSE(repo_->FindById(r2->id));
  EXPECT_EQ(Rows(), 2);
  // Deleting a reply takes only itself.
  const auto left = repo_->ListReplies(other.id, {}, 0, 10);
  ASSERT_EQ(left.size(), 1u);
  ASSERT_TRUE(repo_->Delete(left[0].id).ok());
  EXPECT_EQ(CountOf(5), 1);
  EXPECT_TRUE(repo_->FindById(other.id));
}

TEST_P(CommentRepliesStoreTest, ListsFilterHiddenAndBlockedAuthors) {
  Migrate();
  const Comment top = Top(5, 1);
  auto by_two = Reply(top, 2);
  auto by_three = Reply(top, 3);
  ASSERT_TRUE(by_two.ok() && by_three.ok());
  ASSERT_TRUE(repo_->SetHidden(by_two->id, true).ok());
  const std::int64_t parents[] = {top.id};

  const CommentFilter anonymous;
  EXPECT_EQ(repo_->ListReplies(top.id, anonymous, 0, 10).size(), 1u);
  EXPECT_EQ(repo_->CountReplies(parents, anonymous).at(top.id), 1);
  // Its author still sees the hidden reply.
  const CommentFilter author{2, {}};
  EXPECT_EQ(repo_->ListReplies(top.id, author, 0, 10).size(), 2u);
  EXPECT_EQ(repo_->CountReplies(parents, author).at(top.id), 2);
  // A viewer who blocked user 3 sees neither.
  const CommentFilter blocker{4, {3}};
  EXPECT_TRUE(repo_->ListReplies(top.id, blocker, 0, 10).empty());
  EXPECT_FALSE(repo_->CountReplies(parents, blocker).contains(top.id));
  EXPECT_EQ(repo_->List(5, false, blocker, 0, 10).size(), 1u);  // only the top-level one
  EXPECT_EQ(repo_->List(5, true, anonymous, 0, 10).size(), 1u);
  EXPECT_EQ(repo_->List(5, false, anonymous, 0, 10).size(), 2u);

  // Hiding the top-level comment hides its thread from the flat list too.
  ASSERT_TRUE(repo_->SetHidden(top.id, true).ok());
  EXPECT_TRUE(repo_->List(5, false, anonymous, 0, 10).empty());
  EXPECT_EQ(repo_->List(5, false, CommentFilter{1, {}}, 0, 10).size(), 2u);
  EXPECT_EQ(CountOf(5), 0);
}

// Random creates, replies, deletes and hides over three videos: after every step each
// video's count equals its visible rows.
TEST_P(CommentRepliesStoreTest, CountsStayEqualToVisibleRowsUnderEveryWrite) {
  Migrate();
  std::mt19937 rng(16);
  std::vector<Comment> live;
  for (int step = 0; step < 400; ++step) {
    const int kind = static_cast<int>(rng() % 5);
    if (live.empty() || kind == 0) {
      live.push_back(Top(static_cast<std::int64_t>(1 + rng() % 3)));
    } else {
      const Comment target = live[rng() % live.size()];
      if (kind == 1 || kind == 2) {
        if (auto r = Reply(target); r.ok()) live.push_back(*r);  // fails if target is gone
      } else if (kind == 3) {
        (void)repo_->Delete(target.id);
        std::erase_if(live, [&](const Comment& c) {
          return c.id == target.id || (target.parent_id == 0 && c.parent_id == target.id);
        });
      } else {
        (void)repo_->SetHidden(target.id, (rng() & 1) != 0);
      }
    }
    for (std::int64_t video = 1; video <= 3; ++video) {
      ASSERT_EQ(CountOf(video), VisibleRows(video)) << "step " << step << " video " << video;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, CommentRepliesStoreTest, db::testing::AllEngines(),
                         db::testing::EngineName);

}  // namespace
}  // namespace reel::comment

#include "comment/store/sql_comment_repository.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "comment/store/comment_migrations.hpp"
#include "kit/db/sqlite.hpp"

namespace reel::comment {
namespace {

class SqlCommentRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_comment_repo_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<db::SqliteDb>(db::SqliteOptions{(dir_ / "c.db").string()});
    ASSERT_TRUE(db::ApplyMigrations(*db_, "comment", CommentMigrations()).ok());
    repo_ = std::make_unique<SqlCommentRepository>(*db_);
  }
  void TearDown() override {
    repo_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  Comment Add(std::int64_t video, std::int64_t user = 1) {
    return *repo_->Create(NewComment{video, user, "text", 1000});
  }
  std::int64_t CountOf(std::int64_t video) {
    const std::int64_t ids[] = {video};
    auto counts = repo_->CountByVideos(ids);
    return counts.count(video) ? counts.at(video) : 0;
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::SqliteDb> db_;
  std::unique_ptr<SqlCommentRepository> repo_;
};

TEST_F(SqlCommentRepositoryTest, MigrationsAreIdempotent) {
  EXPECT_TRUE(db::ApplyMigrations(*db_, "comment", CommentMigrations()).ok());
  EXPECT_EQ(db::CurrentVersion(*db_, "comment"), 3);
}

TEST_F(SqlCommentRepositoryTest, CreateStoresAndCounts) {
  const Comment c = *repo_->Create(NewComment{5, 7, "多行\n评论", 1234});
  auto found = repo_->FindById(c.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->video_id, 5);
  EXPECT_EQ(found->user_id, 7);
  EXPECT_EQ(found->content, "多行\n评论");
  EXPECT_EQ(found->created_at_ms, 1234);
  EXPECT_EQ(CountOf(5), 1);
  EXPECT_FALSE(repo_->FindById(c.id + 1));
}

TEST_F(SqlCommentRepositoryTest, DeletedIdsAreNotReused) {
  const Comment first = Add(5);
  ASSERT_TRUE(repo_->Delete(first.id).ok());
  EXPECT_GT(Add(5).id, first.id);
  EXPECT_EQ(CountOf(5), 1);
}

TEST_F(SqlCommentRepositoryTest, ConcurrentDeletesOfOneCommentSucceedOnce) {
  Add(5);
  const Comment target = Add(5);
  std::atomic<int> succeeded{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      auto removed = repo_->Delete(target.id);
      if (removed.ok()) {
        ++succeeded;
      } else {
        EXPECT_EQ(removed.status().reason, "COMMENT_NOT_FOUND");
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(succeeded.load(), 1);
  EXPECT_EQ(CountOf(5), 1);
}

TEST_F(SqlCommentRepositoryTest, DeleteRefusesToDriftAMissingCounter) {
  const Comment c = Add(5);
  db_->Write([](db::Connection& conn) { conn.Exec("DELETE FROM video_comment_counts"); });
  EXPECT_EQ(repo_->Delete(c.id).status().code, Code::kInternal);
  EXPECT_TRUE(repo_->FindById(c.id));  // rolled back
}

TEST_F(SqlCommentRepositoryTest, ListIsPerVideoNewestFirstBelowTheCursor) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(Add(5).id);
    Add(6);
  }
  auto all = repo_->List(5, false, {}, 0, 10);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all.front().id, ids.back());
  auto older = repo_->List(5, false, {}, ids[3], 2);
  ASSERT_EQ(older.size(), 2u);
  EXPECT_EQ(older[0].id, ids[2]);
  EXPECT_EQ(older[1].id, ids[1]);
  EXPECT_TRUE(repo_->List(5, false, {}, ids[0], 10).empty());
  EXPECT_TRUE(repo_->List(7, false, {}, 0, 10).empty());
}

TEST_F(SqlCommentRepositoryTest, CountsSpanSeveralChunks) {
  std::vector<std::int64_t> videos;
  for (std::int64_t v = 1; v <= 150; ++v) {
    videos.push_back(v);
    if (v % 2 == 0) Add(v);
  }
  Add(149);
  auto counts = repo_->CountByVideos(videos);
  EXPECT_EQ(counts.size(), 76u);  // videos without comments are absent here
  EXPECT_EQ(counts.at(2), 1);
  EXPECT_EQ(counts.at(150), 1);
  EXPECT_EQ(counts.at(149), 1);
  EXPECT_EQ(counts.count(1), 0u);
}

TEST_F(SqlCommentRepositoryTest, RemovingAVideosCommentsTakesItsCountAndNothingElse) {
  for (int i = 0; i < 3; ++i) Add(5, i + 1);
  const Comment kept = Add(6);
  EXPECT_EQ(repo_->RemoveCommentsOfVideo(5), 3);
  EXPECT_EQ(repo_->RemoveCommentsOfVideo(5), 0);  // a repeat finds nothing
  EXPECT_EQ(repo_->RemoveCommentsOfVideo(7), 0);  // never commented
  EXPECT_TRUE(repo_->List(5, false, {}, 0, 10).empty());
  const std::int64_t ids[] = {5, 6};
  const auto counts = repo_->CountByVideos(ids);
  EXPECT_FALSE(counts.contains(5));  // the deleted video's count row is gone, not left at 0
  EXPECT_EQ(counts.at(6), 1);
  EXPECT_TRUE(repo_->FindById(kept.id));
}

TEST_F(SqlCommentRepositoryTest, MostCommentedRanksByCountThenHigherId) {
  for (int i = 0; i < 3; ++i) Add(2);
  for (int i = 0; i < 3; ++i) Add(8);
  Add(3);
  const Comment gone = Add(9);
  ASSERT_TRUE(repo_->Delete(gone.id).ok());  // back at 0: not ranked
  const auto top = repo_->MostCommented(10);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].video_id, 8);
  EXPECT_EQ(top[0].count, 3);
  EXPECT_EQ(top[1].video_id, 2);
  EXPECT_EQ(top[2].video_id, 3);
  EXPECT_EQ(top[2].count, 1);
  EXPECT_EQ(repo_->MostCommented(2).size(), 2u);
}

// The ranking and the cascade must not scan or sort whole tables: SQLite's plan for each
// statement names an index and no temporary sort.
TEST_F(SqlCommentRepositoryTest, RankingAndCascadeAreServedByIndexes) {
  const auto plan = [&](const std::string& sql) {
    return db_->Read([&](db::Connection& conn) {
      std::string out;
      auto rows = conn.Prepare("EXPLAIN QUERY PLAN " + sql);
      rows.BindAll(1);
      while (rows.Step()) out += rows.Text(3) + "\n";
      return out;
    });
  };
  const std::string ranking = plan(
      "SELECT video_id, comment_count FROM video_comment_counts WHERE comment_count > 0 "
      "ORDER BY comment_count DESC, video_id DESC LIMIT ?");
  EXPECT_NE(ranking.find("video_comment_counts_by_count"), std::string::npos) << ranking;
  EXPECT_EQ(ranking.find("TEMP B-TREE"), std::string::npos) << ranking;
  const std::string cascade = plan("SELECT id FROM comments WHERE video_id = ?");
  EXPECT_NE(cascade.find("comments_by_video"), std::string::npos) << cascade;
}

}  // namespace
}  // namespace reel::comment

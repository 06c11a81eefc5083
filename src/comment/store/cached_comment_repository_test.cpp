#include "comment/store/cached_comment_repository.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "comment/store/comment_migrations.hpp"
#include "comment/store/sql_comment_repository.hpp"
#include "kit/db/testing/test_database.hpp"

namespace reel::comment {
namespace {

// Runs on every engine (db::testing::AllEngines).
class CachedCommentRepositoryTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    dir_ = db::testing::FreshTestDir("reel_cached_comment");
    database_ = std::make_unique<db::testing::TestDatabase>(GetParam(), dir_.string(), "comment",
                                                            CommentMigrations());
    db_ = &database_->db();
    store_ = std::make_unique<SqlCommentRepository>(*db_);
    cached_ = std::make_unique<CachedCommentRepository>(*store_, 1000);
  }
  void TearDown() override {
    cached_.reset();
    store_.reset();
    database_.reset();
    std::filesystem::remove_all(dir_);
  }

  Comment Add(std::int64_t video, std::int64_t user = 1) {
    return *cached_->Create(NewComment{video, user, "text", 1000});
  }
  std::int64_t CountOf(std::int64_t video) {
    const std::int64_t ids[] = {video};
    auto counts = cached_->CountByVideos(ids);
    return counts.contains(video) ? counts.at(video) : 0;
  }
  // Changes a count behind the cache's back, as no real writer may.
  void DamageCount(std::int64_t video, std::int64_t count) {
    db_->Write([&](db::Connection& conn) {
      conn.Prepare("UPDATE video_comment_counts SET comment_count = ? WHERE video_id = ?")
          .BindAll(count, video)
          .Run();
    });
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::testing::TestDatabase> database_;
  db::Database* db_ = nullptr;
  std::unique_ptr<SqlCommentRepository> store_;
  std::unique_ptr<CachedCommentRepository> cached_;
};

TEST_P(CachedCommentRepositoryTest, CountsAreServedFromMemoryOnceRead) {
  Add(4);
  EXPECT_EQ(CountOf(4), 1);
  DamageCount(4, 50);
  EXPECT_EQ(CountOf(4), 1) << "the second read came from the cache, not the store";
  const std::int64_t ids[] = {4};
  EXPECT_EQ(store_->CountByVideos(ids).at(4), 50);
}

TEST_P(CachedCommentRepositoryTest, CreateAndDeleteMoveOnlyTheirVideosCachedCount) {
  // Fill the cache, absent entries included.
  const std::int64_t ids[] = {4, 5};
  EXPECT_TRUE(cached_->CountByVideos(ids).empty());
  Add(5);
  EXPECT_EQ(CountOf(5), 1);
  DamageCount(5, 30);  // shows whether video 5's entry is left alone

  const Comment first = Add(4);
  EXPECT_EQ(CountOf(4), 1) << "the video cached as having none";
  const Comment second = Add(4, 2);
  EXPECT_EQ(CountOf(4), 2);
  EXPECT_EQ(CountOf(5), 1) << "another video's cached count was not invalidated";

  ASSERT_TRUE(cached_->Delete(first.id).ok());
  EXPECT_EQ(CountOf(4), 1);
  auto again = cached_->Delete(first.id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().reason, "COMMENT_NOT_FOUND");
  EXPECT_EQ(CountOf(4), 1);
  ASSERT_TRUE(cached_->Delete(second.id).ok());
  EXPECT_EQ(CountOf(4), 0);
  EXPECT_EQ(cached_->CountByVideos(ids).at(5), 1);
}

TEST_P(CachedCommentRepositoryTest, HidingAndThreadDeletesMoveOnlyTheirVideosCachedCount) {
  const Comment top = Add(4);
  ASSERT_TRUE(cached_->Create(NewComment{4, 2, "re", 1000, top.id, 1, top.id}).ok());
  Add(5);
  EXPECT_EQ(CountOf(4), 2);
  EXPECT_EQ(CountOf(5), 1);
  DamageCount(5, 30);  // shows whether video 5's entry is left alone

  ASSERT_TRUE(cached_->SetHidden(top.id, true).ok());
  EXPECT_EQ(CountOf(4), 0) << "the thread and its reply are hidden";
  ASSERT_TRUE(cached_->SetHidden(top.id, false).ok());
  EXPECT_EQ(CountOf(4), 2);
  EXPECT_FALSE(cached_->SetHidden(999, true).ok());
  ASSERT_TRUE(cached_->Delete(top.id).ok());
  EXPECT_EQ(CountOf(4), 0) << "the thread went with its reply";
  EXPECT_EQ(CountOf(5), 1);
}

TEST_P(CachedCommentRepositoryTest, RemovingAVideosCommentsEmptiesItsCachedCount) {
  for (std::int64_t user = 1; user <= 5; ++user) Add(7, user);
  Add(8);
  EXPECT_EQ(CountOf(7), 5);
  EXPECT_EQ(CountOf(8), 1);

  EXPECT_EQ(cached_->RemoveCommentsOfVideo(7), 5);
  EXPECT_EQ(CountOf(7), 0);
  const std::int64_t ids[] = {7, 8};
  const auto counts = cached_->CountByVideos(ids);
  EXPECT_FALSE(counts.contains(7));
  EXPECT_EQ(counts.at(8), 1);
  EXPECT_TRUE(cached_->List(7, false, {}, 0, 10).empty());
  EXPECT_EQ(cached_->RemoveCommentsOfVideo(7), 0);
  EXPECT_EQ(CountOf(7), 0);

  // A comment after the removal counts from zero.
  Add(7);
  EXPECT_EQ(CountOf(7), 1);
  ASSERT_EQ(cached_->MostCommented(10).size(), 2u);
}

TEST_P(CachedCommentRepositoryTest, ConcurrentWritersAndReadersLeaveNoStaleCount) {
  // Four writers comment and delete at random while two readers keep filling the cache; at
  // the end every count read through the cache equals a count over the rows.
  constexpr int kVideos = 6;
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      std::vector<std::int64_t> all;
      for (std::int64_t id = 1; id <= kVideos + 2; ++id) all.push_back(id);
      while (!stop) cached_->CountByVideos(all);
    });
  }
  std::mutex ids_mutex;
  std::vector<std::int64_t> comment_ids;  // created so far, some already deleted
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      std::mt19937 rng(w);
      for (int i = 0; i < 300; ++i) {
        const std::int64_t video = 1 + rng() % kVideos;
        const int action = static_cast<int>(rng() % 10);
        if (action < 6) {
          const Comment c = Add(video, w);
          std::lock_guard lock(ids_mutex);
          comment_ids.push_back(c.id);
        } else if (action < 9) {
          std::int64_t id = 0;
          {
            std::lock_guard lock(ids_mutex);
            if (!comment_ids.empty()) id = comment_ids[rng() % comment_ids.size()];
          }
          (void)cached_->Delete(id);  // a comment deleted already is COMMENT_NOT_FOUND
        } else {
          cached_->RemoveCommentsOfVideo(video);
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  stop = true;
  for (auto& t : readers) t.join();

  const auto truth = db_->Read([](db::Connection& conn) {
    std::map<std::int64_t, std::int64_t> counts;
    auto rows = conn.Prepare("SELECT video_id, COUNT(*) FROM comments GROUP BY video_id");
    while (rows.Step()) counts[rows.Int(0)] = rows.Int(1);
    return counts;
  });
  for (std::int64_t v = 1; v <= kVideos + 2; ++v) {
    EXPECT_EQ(CountOf(v), truth.contains(v) ? truth.at(v) : 0) << "video " << v;
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, CachedCommentRepositoryTest, db::testing::AllEngines(),
                         db::testing::EngineName);

}  // namespace
}  // namespace reel::comment

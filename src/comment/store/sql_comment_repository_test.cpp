#include "comment/store/sql_comment_repository.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "comment/store/comment_migrations.hpp"
#include "kit/db/testing/test_database.hpp"

namespace reel::comment {
namespace {

// Runs on every engine (db::testing::AllEngines): a temp SQLite file, or a fresh database on
// the suite's MariaDB.
class SqlCommentRepositoryTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    dir_ = db::testing::FreshTestDir("reel_comment_repo");
    database_ = std::make_unique<db::testing::TestDatabase>(GetParam(), dir_.string(), "comment",
                                                            CommentMigrations());
    db_ = &database_->db();
    repo_ = std::make_unique<SqlCommentRepository>(*db_);
  }
  void TearDown() override {
    repo_.reset();
    database_.reset();
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
  // What the count must be: comments not hidden whose top-level comment is not hidden.
  std::int64_t VisibleRows(std::int64_t video) {
    return db::testing::QueryInt(
        *db_,
        "SELECT COUNT(*) FROM comments c LEFT JOIN comments p ON p.id = c.parent_id "
        "WHERE c.video_id = ? AND c.hidden = 0 AND (p.id IS NULL OR p.hidden = 0)",
        video);
  }
  // Replies whose top-level comment is gone: none may ever be left behind.
  std::int64_t OrphanReplies() {
    return db::testing::QueryInt(*db_,
                                 "SELECT COUNT(*) FROM comments c WHERE c.parent_id <> 0 AND NOT "
                                 "EXISTS (SELECT 1 FROM comments p WHERE p.id = c.parent_id)");
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::testing::TestDatabase> database_;
  db::Database* db_ = nullptr;
  std::unique_ptr<SqlCommentRepository> repo_;
};

TEST_P(SqlCommentRepositoryTest, MigrationsAreIdempotent) {
  EXPECT_TRUE(db::ApplyMigrations(*db_, "comment", CommentMigrations()).ok());
  EXPECT_EQ(db::CurrentVersion(*db_, "comment"), 3);
}

TEST_P(SqlCommentRepositoryTest, CreateStoresAndCounts) {
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

TEST_P(SqlCommentRepositoryTest, DeletedIdsAreNotReused) {
  const Comment first = Add(5);
  ASSERT_TRUE(repo_->Delete(first.id).ok());
  EXPECT_GT(Add(5).id, first.id);
  EXPECT_EQ(CountOf(5), 1);
}

TEST_P(SqlCommentRepositoryTest, ConcurrentDeletesOfOneCommentSucceedOnce) {
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

TEST_P(SqlCommentRepositoryTest, DeleteRefusesToDriftAMissingCounter) {
  const Comment c = Add(5);
  db_->Write([](db::Connection& conn) { conn.Exec("DELETE FROM video_comment_counts"); });
  EXPECT_EQ(repo_->Delete(c.id).status().code, Code::kInternal);
  EXPECT_TRUE(repo_->FindById(c.id));  // rolled back
}

TEST_P(SqlCommentRepositoryTest, ListIsPerVideoNewestFirstBelowTheCursor) {
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

TEST_P(SqlCommentRepositoryTest, CountsSpanSeveralChunks) {
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

TEST_P(SqlCommentRepositoryTest, RemovingAVideosCommentsTakesItsCountAndNothingElse) {
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

TEST_P(SqlCommentRepositoryTest, MostCommentedRanksByCountThenHigherId) {
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

// The ranking and the cascade must not scan or sort whole tables: each engine's plan for each
// statement names an index and no sort (SQLite: EXPLAIN QUERY PLAN without a temp B-tree;
// MySQL: EXPLAIN's key column, and no filesort in Extra).
TEST_P(SqlCommentRepositoryTest, RankingAndCascadeAreServedByIndexes) {
  const bool mysql = GetParam() == db::Engine::kMysql;
  const auto plan = [&](const std::string& sql) { return db::testing::QueryPlan(*db_, sql); };
  const std::string ranking = plan(
      "SELECT video_id, comment_count FROM video_comment_counts WHERE comment_count > 0 "
      "ORDER BY comment_count DESC, video_id DESC LIMIT 10");
  EXPECT_NE(ranking.find("video_comment_counts_by_count"), std::string::npos) << ranking;
  EXPECT_EQ(ranking.find(mysql ? "filesort" : "TEMP B-TREE"), std::string::npos) << ranking;
  const std::string cascade = plan("SELECT id FROM comments WHERE video_id = 1");
  EXPECT_NE(cascade.find("comments_"), std::string::npos) << cascade;
  const std::string replies = plan("SELECT id FROM comments WHERE parent_id = 1 ORDER BY id");
  EXPECT_NE(replies.find("comments_by_parent"), std::string::npos) << replies;
}

// Authors excluded by the viewer travel as a padded NOT IN list: at every padded length (and
// across a bucket's boundary) exactly the excluded authors' comments are left out.
TEST_P(SqlCommentRepositoryTest, ExcludedAuthorsAreLeftOutWhateverTheirNumber) {
  for (std::int64_t user = 1; user <= 6; ++user) Add(5, user);
  for (std::size_t blocked : {std::size_t{1}, std::size_t{4}, std::size_t{5}, std::size_t{17},
                              std::size_t{300}, std::size_t{2000}}) {
    // Users 2 and 3 and then strangers who never commented, up to `blocked` ids.
    CommentFilter filter{1, {2}};
    for (std::int64_t id = 3; filter.excluded_authors.size() < blocked; ++id) {
      filter.excluded_authors.push_back(id == 4 ? 1000 : id);  // user 4 stays visible
    }
    std::vector<std::int64_t> shown;
    for (const Comment& c : repo_->List(5, false, filter, 0, 10)) shown.push_back(c.user_id);
    std::vector<std::int64_t> expected;
    for (std::int64_t user = 6; user >= 1; --user) {
      if (std::find(filter.excluded_authors.begin(), filter.excluded_authors.end(), user) ==
          filter.excluded_authors.end()) {
        expected.push_back(user);
      }
    }
    EXPECT_EQ(shown, expected) << blocked << " excluded";
  }
}

// Writers racing on a few threads (creates, replies, deletes, hides; on MariaDB each Write
// on its own pooled connection, as several processes would run them): afterwards every
// video's count equals a COUNT(*) of its visible rows, and no reply outlived its thread.
TEST_P(SqlCommentRepositoryTest, RacingWritersKeepCountsEqualToVisibleRows) {
  constexpr int kThreads = 6;
  constexpr int kOpsPerThread = 150;
  constexpr std::int64_t kVideos = 2;
  std::mutex mutex;
  std::vector<Comment> known;  // comments some thread created, possibly deleted since
  for (std::int64_t v = 1; v <= kVideos; ++v) known.push_back(Add(v));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t) + 1);  // seeded: a failure can be replayed
      for (int i = 0; i < kOpsPerThread; ++i) {
        Comment target;
        {
          std::lock_guard lock(mutex);
          // Recent comments mostly, so threads meet on the same threads.
          const std::size_t recent = std::min<std::size_t>(known.size(), 8);
          target = known[known.size() - 1 - rng() % recent];
        }
        const int kind = static_cast<int>(rng() % 6);
        if (kind == 0) {
          const Comment c = Add(1 + static_cast<std::int64_t>(rng() % kVideos));
          std::lock_guard lock(mutex);
          known.push_back(c);
        } else if (kind <= 2) {
          const std::int64_t thread = target.parent_id != 0 ? target.parent_id : target.id;
          auto reply = repo_->Create(
              NewComment{target.video_id, 2, "re", 1000, thread, target.user_id, target.id});
          if (reply.ok()) {
            std::lock_guard lock(mutex);
            known.push_back(*reply);
          } else {
            EXPECT_EQ(reply.status().reason, "COMMENT_NOT_FOUND");
          }
        } else if (kind == 3) {
          (void)repo_->Delete(target.id);
        } else {
          (void)repo_->SetHidden(target.id, kind == 4);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (std::int64_t v = 1; v <= kVideos; ++v) {
    EXPECT_EQ(CountOf(v), VisibleRows(v)) << "video " << v;
  }
  EXPECT_EQ(OrphanReplies(), 0);
  EXPECT_GT(VisibleRows(1) + VisibleRows(2), 0);
}

// The video cascade racing comments on the same video: a comment committed while the
// cascade runs is either removed with the count row or counted in a row of its own, never
// left uncounted.
TEST_P(SqlCommentRepositoryTest, CascadeRacingCommentsLeavesNoUncountedComment) {
  constexpr int kWriters = 4;
  constexpr int kCommentsPerWriter = 100;
  std::atomic<int> writers_done{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kCommentsPerWriter; ++i) {
        const Comment top = Add(1, w + 1);
        if (i % 3 == 0) {
          (void)repo_->Create(NewComment{1, 9, "re", 1000, top.id, top.user_id, top.id});
        }
      }
      ++writers_done;
    });
  }
  threads.emplace_back([&] {
    for (int round = 0; round < 10000 && writers_done < kWriters; ++round) {
      repo_->RemoveCommentsOfVideo(1);
    }
  });
  for (auto& t : threads) t.join();
  EXPECT_EQ(CountOf(1), VisibleRows(1));
  EXPECT_EQ(OrphanReplies(), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, SqlCommentRepositoryTest, db::testing::AllEngines(),
                         db::testing::EngineName);

}  // namespace
}  // namespace reel::comment

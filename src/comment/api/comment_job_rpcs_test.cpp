// The comment RPCs the job service calls, through CommentRpc down to the cached SQL store on
// every engine: ReconcileCounters repairs drift injected with SQL by the store's own count
// rules (hidden comments and replies under a hidden top-level comment do not count), reports
// it, and is seen through the cache; ForgetVideo removes a video's comments and count, and a
// repeat removes nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "comment/api/comment_rpc.hpp"
#include "comment/store/cached_comment_repository.hpp"
#include "comment/store/comment_migrations.hpp"
#include "comment/store/sql_comment_repository.hpp"
#include "kit/clock/clock.hpp"
#include "kit/db/testing/test_database.hpp"
#include "kit/events/commit_hook.hpp"

namespace reel::comment {
namespace {

// Neither RPC asks the directories; the service needs them to be built.
class NoVideos final : public VideoDirectory {
 public:
  Result<std::optional<std::int64_t>> AuthorOf(std::int64_t, std::int64_t) override {
    return std::optional<std::int64_t>();
  }
};
class NoBlocks final : public BlockList {
 public:
  Result<std::vector<std::int64_t>> BlockedBy(std::int64_t,
                                              std::span<const std::int64_t>) override {
    return std::vector<std::int64_t>{};
  }
  Result<std::vector<std::int64_t>> BlockedIds(std::int64_t) override {
    return std::vector<std::int64_t>{};
  }
};

class CommentJobRpcsTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    dir_ = db::testing::FreshTestDir("reel_comment_job_rpcs");
    database_ = std::make_unique<db::testing::TestDatabase>(GetParam(), dir_.string(), "comment",
                                                            CommentMigrations());
    store_ = std::make_unique<SqlCommentRepository>(database_->db());
    cached_ = std::make_unique<CachedCommentRepository>(*store_, 100);
    service_ = std::make_unique<CommentService>(*cached_, videos_, blocks_, committed_, clock_);
    rpc_ = std::make_unique<CommentRpc>(*service_);
  }
  void TearDown() override {
    rpc_.reset();
    service_.reset();
    cached_.reset();
    store_.reset();
    database_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::int64_t Top(std::int64_t video) {
    auto c = cached_->Create(NewComment{video, 1, "top", 1});
    EXPECT_TRUE(c.ok());
    return c.ok() ? c->id : 0;
  }
  std::int64_t Reply(std::int64_t video, std::int64_t parent) {
    auto c = cached_->Create(NewComment{video, 2, "reply", 1, parent, 1, parent});
    EXPECT_TRUE(c.ok());
    return c.ok() ? c->id : 0;
  }
  void Hide(std::int64_t id, bool hidden = true) {
    ASSERT_TRUE(cached_->SetHidden(id, hidden).ok());
  }
  void Sql(const std::string& sql) {
    database_->db().Write([&](db::Connection& conn) { conn.Prepare(sql).Run(); });
  }
  std::int64_t Int(const std::string& sql) { return db::testing::QueryInt(database_->db(), sql); }

  // Through the cache, as callers read it; absent reads 0.
  std::int64_t CountOf(std::int64_t video) {
    const std::int64_t ids[] = {video};
    auto counts = cached_->CountByVideos(ids);
    return counts.contains(video) ? counts.at(video) : 0;
  }
  // The rows_fixed of the one counter checked; -1 when the reply is not exactly that.
  std::int64_t Reconcile() {
    auto reply = rpc_->ReconcileCounters(v1::ReconcileCountersRequest());
    EXPECT_TRUE(reply.ok());
    if (!reply.ok() || reply->repairs_size() != 1) return -1;
    EXPECT_EQ(reply->repairs(0).counter(), "video_comment_counts.comment_count");
    return reply->repairs(0).rows_fixed();
  }
  std::int64_t Forget(std::int64_t video) {
    v1::ForgetVideoRequest request;
    request.set_video_id(video);
    auto reply = rpc_->ForgetVideo(request);
    EXPECT_TRUE(reply.ok());
    return reply.ok() ? reply->removed() : -1;
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::testing::TestDatabase> database_;
  std::unique_ptr<SqlCommentRepository> store_;
  std::unique_ptr<CachedCommentRepository> cached_;
  NoVideos videos_;
  NoBlocks blocks_;
  events::NoCommitHook committed_;
  ManualClock clock_;
  std::unique_ptr<CommentService> service_;
  std::unique_ptr<CommentRpc> rpc_;
};

TEST_P(CommentJobRpcsTest, ReconcileRepairsDriftByTheVisibleCommentsRule) {
  // Video 20: a shown thread (a shown reply and a hidden one) and a hidden thread (whose
  // shown reply does not count either): 2 count.
  const std::int64_t shown = Top(20);
  Reply(20, shown);
  Hide(Reply(20, shown));
  const std::int64_t hidden = Top(20);
  Reply(20, hidden);
  Hide(hidden);
  Top(21);                    // 1
  Hide(Top(22));              // 0, its row at 0
  Reply(23, Top(23));         // 2
  EXPECT_EQ(Reconcile(), 0);  // the store kept them exact

  // Too high, too low, two missing rows (one of a count of 0), a row without comments.
  Sql("UPDATE video_comment_counts SET comment_count = 5 WHERE video_id = 20");
  Sql("UPDATE video_comment_counts SET comment_count = 0 WHERE video_id = 21");
  Sql("DELETE FROM video_comment_counts WHERE video_id IN (22, 23)");
  Sql("INSERT INTO video_comment_counts (video_id, comment_count) VALUES (99, 4)");
  ASSERT_EQ(CountOf(20), 5);  // cached now: the repair must drop it

  EXPECT_EQ(Reconcile(), 5);  // 20, 21, 22 (created at 0: writes lock it), 23, 99
  EXPECT_EQ(CountOf(20), 2);
  EXPECT_EQ(CountOf(21), 1);
  EXPECT_EQ(CountOf(22), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM video_comment_counts WHERE video_id = 22"), 1);
  EXPECT_EQ(CountOf(23), 2);
  EXPECT_EQ(CountOf(99), 0);
  EXPECT_EQ(Reconcile(), 0);

  // The repaired counts are the ones the store's own moves keep: showing the hidden thread
  // brings it and its shown reply back (4), and the reconciler agrees.
  Hide(hidden, false);
  EXPECT_EQ(CountOf(20), 4);
  EXPECT_EQ(Reconcile(), 0);
}

TEST_P(CommentJobRpcsTest, ForgetVideoRemovesItsCommentsAndCount) {
  const std::int64_t top = Top(30);
  Reply(30, top);
  Hide(Reply(30, top));
  Top(31);
  ASSERT_EQ(CountOf(30), 2);  // cached now

  EXPECT_EQ(Forget(30), 3);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM comments WHERE video_id = 30"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM video_comment_counts WHERE video_id = 30"), 0);
  EXPECT_EQ(CountOf(30), 0);
  EXPECT_EQ(CountOf(31), 1);
  EXPECT_EQ(Reconcile(), 0);

  EXPECT_EQ(Forget(30), 0);
  EXPECT_EQ(Forget(404), 0);
  EXPECT_EQ(CountOf(31), 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, CommentJobRpcsTest, db::testing::AllEngines(),
                         db::testing::EngineName);

}  // namespace
}  // namespace reel::comment

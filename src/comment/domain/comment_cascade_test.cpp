// The comment service's side of deleting a video: the VIDEO_DELETED event removes its
// comments and their count, repeats and other events change nothing, and a comment racing
// the deletion does not survive it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "comment/domain/comment_service.hpp"
#include "comment/store/comment_migrations.hpp"
#include "comment/store/sql_comment_repository.hpp"
#include "kit/db/sqlite.hpp"
#include "kit/events/testing/outbox_recorder.hpp"

namespace reel::comment {
namespace {

// Nobody has blocked anybody.
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

constexpr std::int64_t kVideos = 20;

std::int64_t AuthorOf(std::int64_t video_id) {
  return 100 + video_id % 3;
}

// Videos 1..kVideos that the test can delete, as the video service would.
class DeletableVideos final : public VideoDirectory {
 public:
  Result<std::optional<std::int64_t>> AuthorOf(std::int64_t video_id, std::int64_t) override {
    std::lock_guard lock(mutex_);
    if (video_id < 1 || video_id > kVideos || deleted_.contains(video_id))
      return std::optional<std::int64_t>();
    // A delete landing between the service's check and its insert.
    if (video_id == delete_after_lookup_) deleted_.insert(video_id);
    return std::optional<std::int64_t>(comment::AuthorOf(video_id));
  }
  void Delete(std::int64_t video_id) {
    std::lock_guard lock(mutex_);
    deleted_.insert(video_id);
  }
  void DeleteAfterNextLookup(std::int64_t video_id) {
    std::lock_guard lock(mutex_);
    delete_after_lookup_ = video_id;
  }

 private:
  std::mutex mutex_;
  std::set<std::int64_t> deleted_;
  std::int64_t delete_after_lookup_ = 0;
};

class CommentCascadeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_comment_cascade_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<db::SqliteDb>(db::SqliteOptions{(dir_ / "c.db").string()});
    ASSERT_TRUE(db::ApplyMigrations(*db_, "comment", CommentMigrations()).ok());
    recorder_ = std::make_unique<events::testing::OutboxRecorder>(*db_, clock_);
    recorder_->ForwardTo(bus_);
    repo_ = std::make_unique<SqlCommentRepository>(*db_, &recorder_->outbox());
    service_ = std::make_unique<CommentService>(*repo_, videos_, blocks_, *recorder_, clock_);
    // As the app wires it, plus a counter of what the service itself publishes.
    // What the job service's cascade asks of the comment service (CommentRpc::ForgetVideo).
    bus_.Subscribe("job", [this](const events::Event& e) {
      if (e.kind == events::EventKind::kVideoDeleted) service_->RemoveCommentsOfVideo(e.subject_id);
    });
    bus_.Subscribe("recorder", [this](const events::Event& e) {
      std::lock_guard lock(published_mutex_);
      // A comment removed again cancels its COMMENT_CREATED.
      if (e.kind == events::EventKind::kCommentCreated) ++created_published_;
      if (e.kind == events::EventKind::kCommentDeleted) --created_published_;
    });
  }
  void TearDown() override {
    service_.reset();
    repo_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // What the video service does: the row goes, then the event.
  void DeleteVideo(std::int64_t video_id) {
    videos_.Delete(video_id);
    bus_.Publish(
        events::MakeEvent(events::EventKind::kVideoDeleted, video_id, AuthorOf(video_id), 1));
  }

  void Post(std::int64_t user, std::int64_t video) {
    auto c = service_->Create(user, video, "hello");
    EXPECT_TRUE(c.ok()) << c.status().message;
  }

  std::int64_t Rows(const std::string& where) {
    return db_->Read([&](db::Connection& conn) {
      auto row = conn.Prepare("SELECT COUNT(*) FROM comments WHERE " + where);
      row.Step();
      return row.Int(0);
    });
  }

  // Every video's count equals a COUNT(*) over its comments.
  void ExpectCountsMatchRows() {
    std::vector<std::int64_t> videos;
    for (std::int64_t v = 1; v <= kVideos; ++v) videos.push_back(v);
    const auto counts = service_->CountByVideos(videos);
    for (std::int64_t v : videos) {
      EXPECT_EQ(counts.at(v), Rows("video_id = " + std::to_string(v))) << "video " << v;
    }
  }

  ManualClock clock_;
  events::InProcessEventBus bus_;
  std::unique_ptr<events::testing::OutboxRecorder> recorder_;  // the store's outbox
  std::mutex published_mutex_;
  int created_published_ = 0;
  DeletableVideos videos_;
  NoBlocks blocks_;
  std::filesystem::path dir_;
  std::unique_ptr<db::SqliteDb> db_;
  std::unique_ptr<SqlCommentRepository> repo_;
  std::unique_ptr<CommentService> service_;
};

TEST_F(CommentCascadeTest, DeletingAVideoRemovesItsCommentsAndCount) {
  for (std::int64_t user : {1, 2, 3}) {
    Post(user, 10);
    Post(user, 11);
  }
  Post(AuthorOf(10), 10);
  DeleteVideo(10);

  EXPECT_EQ(Rows("video_id = 10"), 0);
  EXPECT_EQ(Rows("1"), 3);
  ExpectCountsMatchRows();
  EXPECT_EQ(service_->List(11, 0, 0)->comments.size(), 3u);
  EXPECT_EQ(service_->List(10, 0, 0).status().reason, "VIDEO_NOT_FOUND");
  const auto top = service_->TopVideos(100);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].video_id, 11);
}

TEST_F(CommentCascadeTest, DeletingAVideoRemovesItsRepliesToo) {
  auto thread = service_->Create(1, 10, "thread");
  ASSERT_TRUE(thread.ok());
  auto reply = service_->Create(2, 10, "reply", thread->id);
  ASSERT_TRUE(reply.ok());
  ASSERT_TRUE(service_->Create(3, 10, "reply to reply", reply->id).ok());
  auto other = service_->Create(1, 11, "elsewhere");
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(service_->Create(2, 11, "reply elsewhere", other->id).ok());
  DeleteVideo(10);

  EXPECT_EQ(Rows("video_id = 10"), 0);
  EXPECT_EQ(Rows("parent_id <> 0"), 1);  // video 11's reply stays
  ExpectCountsMatchRows();
  EXPECT_EQ(service_->ListReplies(thread->id, 0, 0, 0).status().reason, "COMMENT_NOT_FOUND");
}

TEST_F(CommentCascadeTest, RepeatedAndUnrelatedEventsChangeNothing) {
  for (std::int64_t user : {1, 2}) {
    Post(user, 4);
    Post(user, 5);
  }
  DeleteVideo(4);
  DeleteVideo(4);  // delivered again: nothing more to remove
  EXPECT_EQ(service_->RemoveCommentsOfVideo(4), 0);
  for (auto kind : {events::EventKind::kVideoPublished, events::EventKind::kVideoUpdated,
                    events::EventKind::kCommentDeleted, events::EventKind::kVideoUnliked}) {
    bus_.Publish(events::MakeEvent(kind, 5, AuthorOf(5), 1));
  }
  EXPECT_EQ(Rows("video_id = 5"), 2);
  EXPECT_EQ(Rows("1"), 2);
  ExpectCountsMatchRows();
  EXPECT_EQ(service_->RemoveCommentsOfVideo(5), 2);
  ExpectCountsMatchRows();
}

TEST_F(CommentCascadeTest, ACommentRacingTheDeletionIsRemoved) {
  Post(2, 7);
  const int published_before = created_published_;
  videos_.DeleteAfterNextLookup(7);
  auto raced = service_->Create(1, 7, "too late");
  EXPECT_EQ(raced.status().reason, "VIDEO_NOT_FOUND");
  DeleteVideo(7);  // the cascade of the deletion that raced it
  EXPECT_EQ(Rows("1"), 0);
  ExpectCountsMatchRows();
  EXPECT_EQ(created_published_, published_before);
}

TEST_F(CommentCascadeTest, ConcurrentCommentsAndDeletionsLeaveNoCommentOfADeletedVideo) {
  constexpr int kThreads = 6;
  constexpr int kOpsPerThread = 200;
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([this, t] {
      std::mt19937 rng(static_cast<unsigned>(t) + 11);  // seeded: a failure can be replayed
      std::uniform_int_distribution<std::int64_t> video(1, kVideos);
      for (int i = 0; i < kOpsPerThread; ++i) {
        // Refusals (the video is gone) are expected; only what remains matters.
        (void)service_->Create(1000 + t, video(rng), "comment " + std::to_string(i));
      }
    });
  }
  for (std::int64_t v = 1; v <= kVideos; ++v) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    DeleteVideo(v);
  }
  for (auto& t : writers) t.join();

  EXPECT_EQ(Rows("1"), 0) << "a comment outlived its video";
  ExpectCountsMatchRows();
}

}  // namespace
}  // namespace reel::comment

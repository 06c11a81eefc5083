// The comment service over a temporary SQLite store with fake video and block directories:
// the fixture of the service's unit tests (comment_service_test.cpp, comment_replies_test.cpp).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <tuple>

#include "comment/domain/comment_service.hpp"
#include "comment/store/comment_migrations.hpp"
#include "comment/store/sql_comment_repository.hpp"
#include "kit/db/sqlite.hpp"
#include "kit/events/testing/outbox_recorder.hpp"

namespace reel::comment::comment_testing {

using namespace std::chrono_literals;

constexpr std::int64_t kVideo = 1;       // published by kVideoAuthor
constexpr std::int64_t kOtherVideo = 2;  // published by kOtherAuthor
constexpr std::int64_t kVideoAuthor = 100;
constexpr std::int64_t kOtherAuthor = 200;
constexpr std::int64_t kAlice = 7;
constexpr std::int64_t kStranger = 9;
constexpr std::int64_t kPrivateVideo = 4;  // kVideoAuthor's, private

// Videos fixed at construction, so concurrent readers need no lock.
class FakeVideos final : public VideoDirectory {
 public:
  explicit FakeVideos(std::map<std::int64_t, std::int64_t> authors)
      : authors_(std::move(authors)) {}
  FakeVideos(std::map<std::int64_t, std::int64_t> authors, std::set<std::int64_t> private_ids)
      : authors_(std::move(authors)), private_(std::move(private_ids)) {}
  Result<std::optional<std::int64_t>> AuthorOf(std::int64_t video_id,
                                               std::int64_t viewer_id) override {
    auto it = authors_.find(video_id);
    if (it == authors_.end()) return std::optional<std::int64_t>();
    // A private video is seen by its author only, and by the service's bookkeeping.
    if (private_.contains(video_id) && viewer_id != kAllStates && viewer_id != it->second) {
      return std::optional<std::int64_t>();
    }
    return std::optional<std::int64_t>(it->second);
  }

 private:
  const std::map<std::int64_t, std::int64_t> authors_;
  const std::set<std::int64_t> private_;
};

// Blocks as pairs (blocker, blocked); tests set them before acting.
class FakeBlocks final : public BlockList {
 public:
  Result<std::vector<std::int64_t>> BlockedBy(std::int64_t actor_id,
                                              std::span<const std::int64_t> user_ids) override {
    ++calls;
    std::vector<std::int64_t> out;
    for (std::int64_t u : user_ids) {
      if (pairs.contains({u, actor_id})) out.push_back(u);
    }
    return out;
  }
  Result<std::vector<std::int64_t>> BlockedIds(std::int64_t user_id) override {
    ++calls;
    std::vector<std::int64_t> out;
    for (const auto& [blocker, blocked] : pairs) {
      if (blocker == user_id) out.push_back(blocked);
    }
    return out;
  }
  std::set<std::pair<std::int64_t, std::int64_t>> pairs;
  std::atomic<int> calls{0};
};

class CommentServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_comment_service_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<db::SqliteDb>(db::SqliteOptions{(dir_ / "c.db").string()});
    ASSERT_TRUE(db::ApplyMigrations(*db_, "comment", CommentMigrations()).ok());
    recorder_ = std::make_unique<events::testing::OutboxRecorder>(*db_, clock_);
    recorder_->ForwardTo(bus_);
    repo_ = std::make_unique<SqlCommentRepository>(*db_, &recorder_->outbox());
    service_ = std::make_unique<CommentService>(*repo_, videos_, blocks_, *recorder_, clock_);
    bus_.Subscribe("recorder", [this](const events::Event& e) {
      std::lock_guard lock(published_mutex_);
      published_.emplace_back(e.kind, e.subject_id, e.actor_id);
    });
  }
  void TearDown() override {
    service_.reset();
    repo_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  Comment Post(std::int64_t user, std::int64_t video, const std::string& text = "hi") {
    auto c = service_->Create(user, video, text);
    EXPECT_TRUE(c.ok()) << c.status().message;
    return c.ok() ? *c : Comment{};
  }
  std::int64_t CountOf(std::int64_t video) {
    const std::int64_t ids[] = {video};
    return service_->CountByVideos(ids).at(video);
  }
  std::int64_t RowsOf(std::int64_t video) {
    return db_->Read([&](db::Connection& conn) {
      auto row = conn.Prepare("SELECT COUNT(*) FROM comments WHERE video_id = ?");
      row.BindAll(video);
      row.Step();
      return row.Int(0);
    });
  }

  using Published = std::vector<std::tuple<events::EventKind, std::int64_t, std::int64_t>>;

  ManualClock clock_;
  events::InProcessEventBus bus_;
  std::unique_ptr<events::testing::OutboxRecorder> recorder_;  // the store's outbox
  std::mutex published_mutex_;
  Published published_;
  FakeVideos videos_{{{kVideo, kVideoAuthor},
                      {kOtherVideo, kOtherAuthor},
                      {3, 300},
                      {kPrivateVideo, kVideoAuthor}},
                     {kPrivateVideo}};
  FakeBlocks blocks_;
  std::filesystem::path dir_;
  std::unique_ptr<db::SqliteDb> db_;
  std::unique_ptr<SqlCommentRepository> repo_;
  std::unique_ptr<CommentService> service_;
};

}  // namespace reel::comment::comment_testing

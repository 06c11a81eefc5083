#include "moderation/store/sql_moderation_repository.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <random>
#include <thread>
#include <vector>

#include "kit/db/testing/test_database.hpp"
#include "moderation/store/moderation_migrations.hpp"

namespace reel::moderation {
namespace {

class SqlModerationRepositoryTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    dir_ = db::testing::FreshTestDir("reel_moderation_repo");
    test_db_ = std::make_unique<db::testing::TestDatabase>(GetParam(), dir_.string(), "moderation",
                                                           ModerationMigrations());
    db_ = &test_db_->db();
    repo_ = std::make_unique<SqlModerationRepository>(*db_);
  }
  void TearDown() override {
    repo_.reset();
    test_db_.reset();
    std::filesystem::remove_all(dir_);
  }

  StoredReport Add(std::int64_t reporter, Target target, std::int64_t threshold = 3) {
    Report r;
    r.reporter_id = reporter;
    r.target = target;
    r.reason = ReportReason::kSpam;
    r.text = "t" + std::to_string(reporter);
    r.created_at_ms = 1000 + reporter;
    return repo_->AddReport(r, threshold);
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::testing::TestDatabase> test_db_;
  db::Database* db_ = nullptr;
  std::unique_ptr<SqlModerationRepository> repo_;
};

constexpr Target kVideo7{TargetType::kVideo, 7};
constexpr Target kComment7{TargetType::kComment, 7};

TEST_P(SqlModerationRepositoryTest, OneOpenReportPerReporterAndTarget) {
  const StoredReport first = Add(1, kVideo7);
  EXPECT_TRUE(first.changed);
  EXPECT_EQ(first.open_reporters, 1);
  const StoredReport again = Add(1, kVideo7);
  EXPECT_FALSE(again.changed);
  EXPECT_EQ(again.report.id, first.report.id);
  EXPECT_EQ(again.report.text, "t1");
  EXPECT_EQ(again.open_reporters, 1);
  // The same id of another kind is another target.
  EXPECT_TRUE(Add(1, kComment7).changed);
  EXPECT_EQ(repo_->ListReports(ReportStatus::kOpen, 0, 10).items.size(), 2u);
}

TEST_P(SqlModerationRepositoryTest, TheThresholdMarksTheTargetOnce) {
  EXPECT_FALSE(Add(1, kVideo7).reached_threshold);
  EXPECT_FALSE(Add(2, kVideo7).reached_threshold);
  EXPECT_FALSE(repo_->IsHiddenByReports(kVideo7));
  const StoredReport third = Add(3, kVideo7);
  EXPECT_TRUE(third.reached_threshold);
  EXPECT_EQ(third.open_reporters, 3);
  EXPECT_TRUE(repo_->IsHiddenByReports(kVideo7));
  EXPECT_FALSE(Add(4, kVideo7).reached_threshold);  // marked already
  EXPECT_FALSE(Add(3, kVideo7).reached_threshold);  // a repeat is no new reporter
}

TEST_P(SqlModerationRepositoryTest, ResolvingClosesEveryOpenReportAndDropsTheMark) {
  for (std::int64_t u = 1; u <= 3; ++u) Add(u, kVideo7);
  Add(1, kComment7);
  ASSERT_TRUE(repo_->IsHiddenByReports(kVideo7));
  EXPECT_EQ(repo_->ResolveTarget(kVideo7, ReportStatus::kDismissed, 99, 5000, "fine"), 3);
  EXPECT_FALSE(repo_->IsHiddenByReports(kVideo7));
  const auto open = repo_->ListReports(ReportStatus::kOpen, 0, 10).items;
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].target, kComment7);
  const auto dismissed = repo_->ListReports(ReportStatus::kDismissed, 0, 10).items;
  ASSERT_EQ(dismissed.size(), 3u);
  EXPECT_EQ(dismissed[0].resolved_by, 99);
  EXPECT_EQ(dismissed[0].resolved_at_ms, 5000);
  EXPECT_EQ(dismissed[0].resolution, "fine");
  // Resolved reports no longer count: the same reporter may report again.
  const StoredReport fresh = Add(1, kVideo7);
  EXPECT_TRUE(fresh.changed);
  EXPECT_EQ(fresh.open_reporters, 1);
}

TEST_P(SqlModerationRepositoryTest, ListsPageNewestFirstWithoutRepeats) {
  for (std::int64_t u = 1; u <= 5; ++u) Add(u, {TargetType::kUser, 100 + u});
  std::vector<std::int64_t> seen;
  std::int64_t cursor = 0;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = repo_->ListReports(ReportStatus::kOpen, cursor, 2);
    for (const Report& r : page.items) seen.push_back(r.reporter_id);
    cursor = page.next_cursor;
    if (cursor == 0) break;
  }
  EXPECT_EQ(seen, (std::vector<std::int64_t>{5, 4, 3, 2, 1}));

  for (int i = 1; i <= 3; ++i) {
    repo_->RecordAction({0, 9, "approve_video", {TargetType::kVideo, i}, "", 10L * i});
  }
  auto first = repo_->ListActions(0, 2);
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_EQ(first.items[0].target.id, 3);
  EXPECT_EQ(first.items[0].moderator_id, 9);
  EXPECT_EQ(first.items[0].at_ms, 30);
  auto second = repo_->ListActions(first.next_cursor, 2);
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_EQ(second.items[0].target.id, 1);
  EXPECT_EQ(second.next_cursor, 0);
}

// Reporters racing on one target (each of them twice): one open report per reporter, and the
// target is hidden once, by exactly one of the reports that reached the threshold. On MySQL
// the count is read by the hiding insert itself, so no two reports each miss the other's.
TEST_P(SqlModerationRepositoryTest, RacingReportersHideTheTargetOnce) {
  constexpr int kReporters = 8;
  std::atomic<int> changed{0};
  std::atomic<int> reached{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2 * kReporters; ++t) {
    threads.emplace_back([&, t] {
      const StoredReport stored = Add(1 + t % kReporters, kVideo7, 3);
      if (stored.changed) ++changed;
      if (stored.reached_threshold) ++reached;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(changed.load(), kReporters);
  EXPECT_EQ(reached.load(), 1);
  EXPECT_TRUE(repo_->IsHiddenByReports(kVideo7));
  const std::int64_t open = db_->Read([](db::Connection& conn) {
    auto row = conn.Prepare("SELECT COUNT(*) FROM reports WHERE status = 1");
    row.Step();
    return row.Int(0);
  });
  EXPECT_EQ(open, kReporters);
  EXPECT_EQ(Add(1, kVideo7).open_reporters, kReporters);
}

// Reports on a few targets racing with their resolutions: each target's open count equals its
// open report rows (the COUNT(*) ground truth) when the dust settles.
TEST_P(SqlModerationRepositoryTest, RacingReportsAndResolutionsKeepOpenCountsExact) {
  constexpr int kThreads = 6;
  constexpr int kOpsPerThread = 40;
  const Target targets[] = {kVideo7, kComment7, Target{TargetType::kUser, 7}};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(77 + t);
      for (int i = 0; i < kOpsPerThread; ++i) {
        const Target target = targets[rng() % 3];
        if (rng() % 5 == 0) {
          repo_->ResolveTarget(target, ReportStatus::kDismissed, 99, i, "");
        } else {
          Add(1 + static_cast<std::int64_t>(rng() % 10), target, 4);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const Target& target : targets) {
    const std::int64_t rows = db_->Read([&](db::Connection& conn) {
      auto row = conn.Prepare(
          "SELECT COUNT(*) FROM reports WHERE target_type = ? AND target_id = ? AND status = 1");
      row.BindAll(static_cast<std::int64_t>(target.type), target.id);
      row.Step();
      return row.Int(0);
    });
    const StoredReport again = Add(1, target, 1000);  // a repeat or a new one: reads the count
    EXPECT_EQ(again.open_reporters, rows + (again.changed ? 1 : 0))
        << static_cast<int>(target.type);
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, SqlModerationRepositoryTest, db::testing::AllEngines(),
                         db::testing::EngineName);

}  // namespace
}  // namespace reel::moderation

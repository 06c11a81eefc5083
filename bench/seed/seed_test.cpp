#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "kit/auth/password_hasher.hpp"
#include "kit/db/sqlite.hpp"
#include "seed/seeder.hpp"

namespace reel::bench {
namespace {
namespace fs = std::filesystem;

constexpr std::int64_t kNowMs = 1'750'000'000'000;

class SeedTest : public ::testing::Test {
 protected:
  // The first seed makes its clip with ffmpeg; the others reuse the stored object as
  // --clip, which also checks that path.
  static void SetUpTestSuite() {
    suite_dir_ = new fs::path(fs::temp_directory_path() /
                              ("reel_seed_suite_" + std::to_string(std::random_device{}())));
    const SeedOutcome first = Seed(Tiny(*suite_dir_ / "data"));
    clip_ = new fs::path(*suite_dir_ / "data" / "media" / first.media_key.substr(0, 2) /
                         first.media_key);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*suite_dir_);
    delete clip_;
    delete suite_dir_;
  }

  void SetUp() override {
    root_ =
        fs::temp_directory_path() / ("reel_seed_test_" + std::to_string(std::random_device{}()));
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  static SeedRequest Tiny(const fs::path& dir) {
    SeedRequest r;
    r.data_dir = dir.string();
    r.plan.users = 60;
    r.plan.videos = 40;
    r.plan.likes = 500;
    r.plan.comments = 300;
    r.plan.follows = 200;
    r.plan.action_users = 5;
    r.plan.seed = 7;
    r.plan.now_ms = kNowMs;
    r.argon2 = auth::Argon2Params{1, 8};  // the cheapest hash: the test checks it verifies
    if (clip_) r.clip = clip_->string();
    return r;
  }

  static SeedOutcome Seed(const SeedRequest& request) {
    Progress quiet(stderr, false);
    return SeedDataDir(request, quiet);
  }

  static std::int64_t Scalar(db::Connection& conn, const std::string& sql) {
    auto stmt = conn.Prepare(sql);
    EXPECT_TRUE(stmt.Step()) << sql;
    return stmt.Int(0);
  }

  static std::string Text(db::Connection& conn, const std::string& sql) {
    auto stmt = conn.Prepare(sql);
    EXPECT_TRUE(stmt.Step()) << sql;
    return stmt.Text(0);
  }

  static db::SqliteConnection Open(const fs::path& dir, bool read_only = true) {
    return db::SqliteConnection((dir / "reel.db").string(), std::chrono::seconds(5), read_only);
  }

  static inline fs::path* suite_dir_ = nullptr;
  static inline fs::path* clip_ = nullptr;
  fs::path root_;
};

TEST_F(SeedTest, RowsAndCountersMatchThePlan) {
  const SeedRequest request = Tiny(root_ / "data");
  const SeedOutcome outcome = Seed(request);
  db::SqliteConnection conn = Open(root_ / "data");

  EXPECT_EQ(Scalar(conn, "SELECT COUNT(*) FROM users"), 60);
  EXPECT_EQ(Scalar(conn, "SELECT COUNT(*) FROM videos"), 40);
  EXPECT_EQ(Scalar(conn, "SELECT COUNT(*) FROM favorites"), 500);
  EXPECT_EQ(Scalar(conn, "SELECT COUNT(*) FROM comments"), 300);
  EXPECT_EQ(Scalar(conn, "SELECT COUNT(*) FROM follows"), 200);
  EXPECT_TRUE(CounterMismatches(conn).empty());
  EXPECT_EQ(Scalar(conn, "SELECT SUM(favorite_count) FROM video_favorite_counts"), 500);
  EXPECT_EQ(Scalar(conn, "SELECT SUM(total_favorited) FROM user_favorite_counts"), 500);
  EXPECT_EQ(Scalar(conn, "SELECT SUM(follower_count) FROM follow_counts"), 200);

  // New rows made by the server continue after the seeded ids.
  EXPECT_EQ(Scalar(conn, "SELECT seq FROM sqlite_sequence WHERE name = 'favorites'"), 500);
  EXPECT_EQ(Scalar(conn, "SELECT seq FROM sqlite_sequence WHERE name = 'videos'"), 40);

  // The action users are untouched, so every like the benchmark makes as them is new.
  EXPECT_EQ(outcome.facts.first_action_user, 56);
  EXPECT_EQ(Scalar(conn, "SELECT COUNT(*) FROM favorites WHERE user_id >= 56"), 0);
  EXPECT_EQ(Scalar(conn, "SELECT COUNT(*) FROM follows WHERE follower_id >= 56"), 0);
  EXPECT_EQ(Scalar(conn, "SELECT COUNT(*) FROM follows WHERE follower_id = followee_id"), 0);

  // One media object, every video showing it; times unique and increasing, newest = now.
  EXPECT_EQ(Scalar(conn, "SELECT COUNT(*) FROM media_objects"), 1);
  EXPECT_EQ(Text(conn, "SELECT DISTINCT media_key FROM videos"), outcome.media_key);
  EXPECT_TRUE(
      fs::exists(root_ / "data" / "media" / outcome.media_key.substr(0, 2) / outcome.media_key));
  EXPECT_EQ(Scalar(conn,
                   "SELECT COUNT(*) FROM videos a JOIN videos b ON b.id = a.id + 1 "
                   "WHERE b.created_at_ms <= a.created_at_ms"),
            0);
  EXPECT_EQ(Scalar(conn, "SELECT MAX(created_at_ms) FROM videos"), kNowMs);
  EXPECT_EQ(Scalar(conn, "SELECT COUNT(DISTINCT title) FROM videos"), 40);

  // Every user signs in with the one password.
  auth::InitCrypto();
  auth::PasswordHasher hasher(auth::Argon2Params{1, 8});
  EXPECT_TRUE(hasher.Verify(Text(conn, "SELECT password_hash FROM users WHERE name = 'user17'"),
                            "bench-password"));
  EXPECT_EQ(Text(conn, "PRAGMA journal_mode"), "wal");
}

TEST_F(SeedTest, SchemaIsTheServersOwn) {
  Seed(Tiny(root_ / "data"));
  // The same indexes (rebuilt after the load) as a database the migrations made.
  {
    db::SqliteDb fresh(db::SqliteOptions{(root_ / "fresh.db").string()});
    ApplySchemas(fresh);
  }
  const std::string schema_sql =
      "SELECT group_concat(name || ':' || IFNULL(sql, ''), '|') FROM "
      "(SELECT name, sql FROM sqlite_master ORDER BY name)";
  db::SqliteConnection seeded = Open(root_ / "data");
  db::SqliteConnection fresh((root_ / "fresh.db").string(), std::chrono::seconds(5), true);
  EXPECT_EQ(Text(seeded, schema_sql), Text(fresh, schema_sql));

  // Start-up would apply nothing: every service is at its current version.
  db::SqliteDb db(db::SqliteOptions{(root_ / "data" / "reel.db").string()});
  EXPECT_TRUE(SchemasCurrent(db));
  EXPECT_NO_THROW(ApplySchemas(db));
}

TEST_F(SeedTest, SameSeedSameRows) {
  Seed(Tiny(root_ / "a"));
  Seed(Tiny(root_ / "b"));
  SeedRequest other = Tiny(root_ / "c");
  other.plan.seed = 8;
  Seed(other);
  const std::string digest =
      "SELECT (SELECT group_concat(x, ';') FROM (SELECT user_id || ',' || video_id AS x FROM "
      "favorites ORDER BY id)) || '/' || (SELECT group_concat(title, ';') FROM (SELECT title "
      "FROM videos ORDER BY id)) || '/' || (SELECT group_concat(x, ';') FROM (SELECT "
      "follower_id || ',' || followee_id AS x FROM follows ORDER BY id))";
  db::SqliteConnection a = Open(root_ / "a");
  db::SqliteConnection b = Open(root_ / "b");
  db::SqliteConnection c = Open(root_ / "c");
  EXPECT_EQ(Text(a, digest), Text(b, digest));
  EXPECT_NE(Text(a, digest), Text(c, digest));
}

TEST_F(SeedTest, CounterCheckNoticesADriftedCounter) {
  Seed(Tiny(root_ / "data"));
  db::SqliteConnection conn = Open(root_ / "data", /*read_only=*/false);
  conn.Exec(
      "UPDATE video_comment_counts SET comment_count = comment_count + 1 WHERE video_id = "
      "(SELECT MIN(video_id) FROM video_comment_counts)");
  conn.Exec(
      "DELETE FROM video_favorite_counts WHERE video_id = (SELECT MAX(video_id) FROM favorites)");
  const auto bad = CounterMismatches(conn);
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_NE(bad[0].find("video_favorite_counts"), std::string::npos);
  EXPECT_NE(bad[1].find("video_comment_counts"), std::string::npos);
}

TEST_F(SeedTest, RefusesAnImpossiblePlanAndAnUsedDirectory) {
  SeedRequest request = Tiny(root_ / "data");
  request.plan.likes = 55 * 40 + 1;  // one more than the (user, video) pairs of 55 likers
  EXPECT_NE(PlanProblem(request.plan).find("--likes"), std::string::npos);
  request.plan.likes = 55 * 40;
  EXPECT_EQ(PlanProblem(request.plan), "");
  const SeedOutcome full = Seed(request);
  db::SqliteConnection conn = Open(root_ / "data");
  EXPECT_EQ(Scalar(conn, "SELECT COUNT(*) FROM favorites"), 55 * 40);
  EXPECT_TRUE(CounterMismatches(conn).empty());
  EXPECT_THROW(Seed(request), std::runtime_error);
}

}  // namespace
}  // namespace reel::bench

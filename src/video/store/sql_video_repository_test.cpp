#include "video/store/sql_video_repository.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "kit/db/sqlite.hpp"
#include "kit/db/testing/test_database.hpp"
#include "video/store/video_migrations.hpp"

namespace reel::video {
namespace {

// Runs on every engine (db::testing::AllEngines): a temp SQLite file, or a fresh database on
// the suite's MariaDB.
class SqlVideoRepositoryTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    dir_ = db::testing::FreshTestDir("reel_video_repo");
    database_ = std::make_unique<db::testing::TestDatabase>(GetParam(), dir_.string(), "video",
                                                            VideoMigrations());
    db_ = &database_->db();
    repo_ = std::make_unique<SqlVideoRepository>(*db_);
    // User 0's upload stays pending (nothing expires at cutoff 0): the object outlives
    // every video these tests delete.
    Upload(0, Media("aa"));
  }
  void TearDown() override {
    repo_.reset();
    database_.reset();
    std::filesystem::remove_all(dir_);
  }
  bool OnSqlite() const { return GetParam() == db::Engine::kSqlite; }

  // `SELECT author_id, COUNT(*), visible FROM videos GROUP BY author_id`: what the counters
  // must say.
  std::map<std::int64_t, WorkCount> GroundTruth() {
    return db_->Read([](db::Connection& conn) {
      std::map<std::int64_t, WorkCount> counts;
      auto rows = conn.Prepare(
          "SELECT author_id, COUNT(*), SUM(CASE WHEN is_public = 1 AND audit_status = "
          "'approved' THEN 1 ELSE 0 END) FROM videos GROUP BY author_id");
      while (rows.Step()) counts[rows.Int(0)] = WorkCount{rows.Int(1), rows.Int(2)};
      return counts;
    });
  }
  std::int64_t Scalar(const std::string& sql) {
    return db_->Read([&](db::Connection& conn) {
      auto row = conn.Prepare(sql);
      row.Step();
      return row.Int(0);
    });
  }

  static MediaObject Media(const std::string& prefix) {
    const std::string sha = prefix + std::string(62, '0');
    return MediaObject{sha, sha + ".mp4", sha + ".jpg", 1000, 320, 240, 2000, "h264", 1};
  }
  // Records `user`'s upload of `media` (its first, if it is new), with no quota.
  void Upload(std::int64_t user, const MediaObject& media) {
    auto recorded = repo_->RecordUpload({user, media.sha256, 1}, &media, UploadLimits{.now_ms = 1});
    ASSERT_TRUE(recorded.ok()) << recorded.status().message;
  }
  Video Publish(std::int64_t author, std::int64_t at_ms) {
    Upload(author, Media("aa"));
    auto v = repo_->CreateVideo(NewVideo{author, "t", "", Media("aa").key, at_ms}, 0);
    EXPECT_TRUE(v.ok()) << v.status().message;
    return *v;
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::testing::TestDatabase> database_;
  db::Database* db_ = nullptr;
  std::unique_ptr<SqlVideoRepository> repo_;
};

TEST_P(SqlVideoRepositoryTest, MediaIsStoredOnceBySha) {
  Upload(1, Media("aa"));  // a second first upload: the row is kept once
  auto found = repo_->FindMediaBySha(Media("aa").sha256);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->key, Media("aa").key);
  EXPECT_TRUE(repo_->FindMediaByKey(Media("aa").key));
  EXPECT_FALSE(repo_->FindMediaBySha(Media("bb").sha256));
}

TEST_P(SqlVideoRepositoryTest, VideoNeedsItsMedia) {
  auto v = repo_->CreateVideo(NewVideo{1, "t", "", Media("bb").key, 5}, 0);
  EXPECT_EQ(v.status().reason, "MEDIA_NOT_FOUND");
}

TEST_P(SqlVideoRepositoryTest, SharedRequestedTimesBecomeUniqueAndPagingIsExact) {
  // 100 videos asking for the same millisecond, as a burst of uploads would.
  std::set<std::int64_t> times;
  for (int i = 0; i < 100; ++i) times.insert(Publish(1 + i % 7, 1'000'000).created_at_ms);
  EXPECT_EQ(times.size(), 100u);
  EXPECT_EQ(*times.begin(), 1'000'000);

  std::set<std::int64_t> seen;
  std::int64_t before = 0;
  for (int page = 0; page < 10; ++page) {
    auto videos = repo_->List({0, before, 30});
    if (videos.empty()) break;
    for (std::size_t i = 1; i < videos.size(); ++i) {
      EXPECT_GT(videos[i - 1].created_at_ms, videos[i].created_at_ms);
    }
    for (const auto& v : videos) EXPECT_TRUE(seen.insert(v.id).second) << "repeated " << v.id;
    before = videos.back().created_at_ms;
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST_P(SqlVideoRepositoryTest, ConcurrentPublishersGetUniqueTimes) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < 25; ++i) Publish(t + 1, 42);
    });
  }
  for (auto& t : threads) t.join();
  auto all = repo_->List({0, 0, 1000});
  std::set<std::int64_t> times;
  for (const auto& v : all) times.insert(v.created_at_ms);
  EXPECT_EQ(all.size(), 100u);
  EXPECT_EQ(times.size(), 100u);
}

TEST_P(SqlVideoRepositoryTest, TagsAreKeptInOrderAndReadEverywhere) {
  Upload(1, Media("aa"));
  auto created = repo_->CreateVideo(NewVideo{1, "t", "", Media("aa").key, 5, {"zeta", "alpha"}}, 0);
  ASSERT_TRUE(created.ok());
  const std::vector<std::string> tags{"zeta", "alpha"};
  EXPECT_EQ(created->tags, tags);
  Publish(1, 6);  // no tags
  const std::int64_t ids[] = {created->id};
  EXPECT_EQ(repo_->FindByIds(ids).at(0).tags, tags);
  auto listed = repo_->List({1, 0, 10});
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_TRUE(listed[0].tags.empty());
  EXPECT_EQ(listed[1].tags, tags);
  const std::int64_t authors[] = {1};
  EXPECT_EQ(repo_->ListByAuthors(authors, 0, 10, {}).at(1).tags, tags);
}

TEST_P(SqlVideoRepositoryTest, EditsAndDeletesBelongToTheAuthor) {
  Upload(1, Media("aa"));
  auto created = repo_->CreateVideo(NewVideo{1, "t", "d", Media("aa").key, 5, {"a", "b"}}, 0);
  ASSERT_TRUE(created.ok());
  const std::int64_t id = created->id;
  EXPECT_EQ(repo_->UpdateVideo(id, 2, {.title = "x"}).status().reason, "VIDEO_NOT_YOURS");
  EXPECT_EQ(repo_->UpdateVideo(id + 1, 1, {.title = "x"}).status().reason, "VIDEO_NOT_FOUND");
  auto edited = repo_->UpdateVideo(id, 1, {.tags = std::vector<std::string>{"c"}});
  ASSERT_TRUE(edited.ok());
  EXPECT_EQ(edited->title, "t");
  EXPECT_EQ(edited->description, "d");
  EXPECT_EQ(edited->tags, std::vector<std::string>{"c"});

  EXPECT_EQ(repo_->DeleteVideo(id, 2, 0).status().reason, "VIDEO_NOT_YOURS");
  ASSERT_TRUE(repo_->DeleteVideo(id, 1, 0).ok());
  EXPECT_EQ(repo_->DeleteVideo(id, 1, 0).status().reason, "VIDEO_NOT_FOUND");
  const std::int64_t ids[] = {id};
  EXPECT_TRUE(repo_->FindByIds(ids).empty());
  const std::int64_t left = db_->Read([](db::Connection& conn) {
    auto rows = conn.Prepare("SELECT COUNT(*) FROM video_tags");
    rows.Step();
    return rows.Int(0);
  });
  EXPECT_EQ(left, 0);
  EXPECT_TRUE(repo_->FindMediaByKey(Media("aa").key)) << "user 0's pending upload keeps it";
}

TEST_P(SqlVideoRepositoryTest, ListByAuthorsIsOneStatementServedByTheVisibleAuthorIndex) {
  if (OnSqlite()) {  // MariaDB's plans depend on its statistics of these few rows
    std::vector<std::string> plan;
    db_->Read([&](db::Connection& conn) {
      auto rows = conn.Prepare("EXPLAIN QUERY PLAN " + SqlVideoRepository::ListByAuthorsSql(3));
      int at = 1;
      for (std::size_t i = 0; i < SqlVideoRepository::InListSize(3); ++i) {
        rows.Bind(at++, std::int64_t{static_cast<std::int64_t>(std::min<std::size_t>(i, 2) + 1)});
      }
      rows.Bind(at++, std::int64_t{1000});
      rows.Bind(at, 10);
      while (rows.Step()) plan.push_back(rows.Text(3));
    });
    bool by_author_index = false;
    for (const std::string& step : plan) {
      SCOPED_TRACE(step);
      // The partial index over visible videos, by author.
      if (step.find("videos_visible_by_author") != std::string::npos) by_author_index = true;
      EXPECT_FALSE(step.starts_with("SCAN v")) << "a full scan of videos";
    }
    EXPECT_TRUE(by_author_index) << ::testing::PrintToString(plan);
  }
  EXPECT_EQ(SqlVideoRepository::InListSize(1), 8u);
  EXPECT_EQ(SqlVideoRepository::InListSize(9), 16u);
  EXPECT_EQ(SqlVideoRepository::InListSize(2000), 2048u);

  // Two thousand authors (the following feed's bound) through the same one statement.
  for (int i = 0; i < 50; ++i) Publish(1 + i * 40, 100 + i);
  std::vector<std::int64_t> authors(2000);
  for (std::size_t i = 0; i < authors.size(); ++i) authors[i] = static_cast<std::int64_t>(i + 1);
  auto page = repo_->ListByAuthors(authors, 0, 100, {});
  EXPECT_EQ(page.size(), 50u);
  EXPECT_EQ(repo_->ListByAuthors(authors, 120, 100, {}).size(), 20u);
}

TEST_P(SqlVideoRepositoryTest, AuthorListsAndCounts) {
  Publish(1, 10);
  Publish(2, 20);
  Publish(1, 30);
  auto mine = repo_->List({1, 0, 10});
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].created_at_ms, 30);
  EXPECT_EQ(mine[0].cover_key, Media("aa").cover_key);
  EXPECT_EQ(mine[0].width, 320);
  const std::int64_t authors[] = {1, 2, 3};
  auto counts = repo_->CountByAuthors(authors);
  EXPECT_EQ(counts[1].all, 2);
  EXPECT_EQ(counts[2].all, 1);
  EXPECT_EQ(counts.count(3), 0u);
  const std::int64_t ids[] = {mine[1].id, 999};
  EXPECT_EQ(repo_->FindByIds(ids).size(), 1u);
}

// The counts come from a counter table the triggers keep: every write shows on the next read.
TEST_P(SqlVideoRepositoryTest, WorkCountsFollowPublishAndDelete) {
  const std::int64_t authors[] = {1, 2};
  const Video first = Publish(1, 10);
  const Video second = Publish(1, 20);
  Publish(2, 30);
  EXPECT_EQ(repo_->CountByAuthors(authors)[1].all, 2);
  ASSERT_TRUE(repo_->DeleteVideo(first.id, 1, 0).ok());
  EXPECT_EQ(repo_->CountByAuthors(authors)[1].all, 1);
  // A refused delete (not the author) changes nothing.
  EXPECT_EQ(repo_->DeleteVideo(second.id, 2, 0).status().reason, "VIDEO_NOT_YOURS");
  EXPECT_EQ(repo_->CountByAuthors(authors)[1].all, 1);
  ASSERT_TRUE(repo_->DeleteVideo(second.id, 1, 0).ok());
  auto counts = repo_->CountByAuthors(authors);
  EXPECT_EQ(counts.count(1), 0u);  // no videos left: absent, as before the counter table
  EXPECT_EQ(counts[2].all, 1);
  Publish(1, 40);
  EXPECT_EQ(repo_->CountByAuthors(authors)[1].all, 1);
  // The same numbers a count over the rows gives.
  db_->Read([](db::Connection& conn) {
    auto rows = conn.Prepare(
        "SELECT COUNT(*) FROM author_video_counts c WHERE c.video_count != "
        "(SELECT COUNT(*) FROM videos v WHERE v.author_id = c.author_id)");
    ASSERT_TRUE(rows.Step());
    EXPECT_EQ(rows.Int(0), 0);
  });
}

TEST_P(SqlVideoRepositoryTest, ExpiryTakesTheOldestPendingUploadsInBatches) {
  const MediaObject kept = Media("bb");
  const MediaObject doomed = Media("cc");
  ASSERT_TRUE(repo_->RecordUpload({5, kept.sha256, 100}, &kept, {.now_ms = 100}).ok());
  ASSERT_TRUE(repo_->RecordUpload({6, kept.sha256, 300}, nullptr, {.now_ms = 300}).ok());
  ASSERT_TRUE(repo_->RecordUpload({5, doomed.sha256, 200}, &doomed, {.now_ms = 200}).ok());

  // Cutoff 250: uploads at 100 and 200 have expired (user 0's in SetUp at 1 too); batches of 2.
  ExpiredUploads first = repo_->ExpireUploads(250, 2);
  EXPECT_EQ(first.uploads, 2u);  // at 1 and 100, oldest first
  ASSERT_EQ(first.removed.size(), 1u);
  EXPECT_EQ(first.removed[0].key, Media("aa").key) << "user 0's was its only upload";
  ExpiredUploads second = repo_->ExpireUploads(250, 2);
  EXPECT_EQ(second.uploads, 1u);
  ASSERT_EQ(second.removed.size(), 1u);
  EXPECT_EQ(second.removed[0].key, doomed.key);
  EXPECT_FALSE(repo_->FindMediaBySha(doomed.sha256));
  EXPECT_TRUE(repo_->FindMediaBySha(kept.sha256)) << "user 6's upload at 300 is live";
  EXPECT_EQ(repo_->ExpireUploads(250, 2).uploads, 0u);
  EXPECT_EQ(repo_->ExpireUploads(300, 2).removed.size(), 1u);
  EXPECT_FALSE(repo_->FindMediaBySha(kept.sha256));
}

TEST_P(SqlVideoRepositoryTest, FailedDeletionsCountAttemptsAndComeLongestWaitingFirst) {
  const MediaObject a = Media("dd");
  const MediaObject b = Media("ee");
  repo_->RecordFailedDeletion({.media_key = a.key, .sha256 = a.sha256, .failed_at_ms = 10});
  repo_->RecordFailedDeletion({.media_key = b.key, .sha256 = b.sha256, .failed_at_ms = 20});
  repo_->RecordFailedDeletion({.media_key = a.cover_key, .sha256 = a.sha256, .failed_at_ms = 30});
  std::vector<BlobDeletion> listed = repo_->FailedDeletions(10);
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0].media_key, a.key);
  EXPECT_EQ(listed[0].sha256, a.sha256);
  EXPECT_EQ(listed[0].failed_at_ms, 10);
  EXPECT_EQ(listed[0].attempts, 1);
  EXPECT_EQ(repo_->FailedDeletions(1).size(), 1u);

  // Failing again: one more attempt, and to the back.
  repo_->RecordFailedDeletion({.media_key = a.key, .sha256 = a.sha256, .failed_at_ms = 40});
  listed = repo_->FailedDeletions(10);
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0].media_key, b.key);
  EXPECT_EQ(listed[2].media_key, a.key);
  EXPECT_EQ(listed[2].attempts, 2);
  EXPECT_EQ(listed[2].failed_at_ms, 40);

  repo_->DropFailedDeletion(a.key);
  repo_->DropFailedDeletion(a.key);  // absent: nothing happens
  listed = repo_->FailedDeletions(10);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].media_key, b.key);
  EXPECT_EQ(listed[1].media_key, a.cover_key);
}

TEST_P(SqlVideoRepositoryTest, UsageCountsDistinctObjectsOverVideosAndLivePendingUploads) {
  const MediaObject other = Media("bb");  // 1000 bytes, as every Media()
  Publish(1, 10);
  Publish(1, 20);  // the same object again
  ASSERT_TRUE(repo_->RecordUpload({1, other.sha256, 50}, &other, {.now_ms = 50}).ok());
  MediaUsage usage = repo_->UsageOf(1, Media("cc").sha256, 0);
  EXPECT_EQ(usage.stored_bytes, 2000u);
  EXPECT_EQ(usage.pending_uploads, 1);
  EXPECT_EQ(usage.oldest_pending_ms, 50);
  EXPECT_FALSE(usage.holds_object);
  EXPECT_TRUE(repo_->UsageOf(1, other.sha256, 0).holds_object);
  EXPECT_EQ(repo_->UsageOf(1, other.sha256, 0).pending_uploads, 0) << "other objects only";
  EXPECT_TRUE(repo_->UsageOf(1, Media("aa").sha256, 0).holds_object) << "through a video";
  // Once the pending upload has expired it counts no more.
  usage = repo_->UsageOf(1, Media("cc").sha256, 50);
  EXPECT_EQ(usage.stored_bytes, 1000u);
  EXPECT_EQ(usage.pending_uploads, 0);
}

// Videos stored before the counter table existed are counted when the migration runs.
TEST(VideoMigrationsTest, CounterTableStartsFromExistingVideos) {
  const auto dir = std::filesystem::path(::testing::TempDir()) /
                   ("reel_video_migrations_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    db::SqliteDb db(db::SqliteOptions{(dir / "v.db").string()});
    const auto all = VideoMigrations();
    ASSERT_GE(all.size(), 3u);
    ASSERT_EQ(all[2].version, 3);
    ASSERT_TRUE(db::ApplyMigrations(db, "video", all.first(2)).ok());
    db.Write([](db::Connection& conn) {
      conn.Exec(
          "INSERT INTO media_objects VALUES ('s', 'k.mp4', 'k.jpg', 1, 1, 1, 1, 'h264', 1);"
          "INSERT INTO videos (author_id, title, media_key, created_at_ms) VALUES "
          "(7, 'a', 'k.mp4', 1), (7, 'b', 'k.mp4', 2), (8, 'c', 'k.mp4', 3);");
    });
    ASSERT_TRUE(db::ApplyMigrations(db, "video", all).ok());
    SqlVideoRepository repo(db);
    const std::int64_t authors[] = {7, 8, 9};
    auto counts = repo.CountByAuthors(authors);
    EXPECT_EQ(counts[7].all, 2);
    EXPECT_EQ(counts[8].all, 1);
    EXPECT_EQ(counts.count(9), 0u);
    // Migration 5: videos stored before are public, approved and original, and counted as
    // visible.
    EXPECT_EQ(counts[7].visible, 2);
    EXPECT_EQ(counts[8].visible, 1);
    for (const Video& v : repo.List({.limit = 10})) {
      EXPECT_TRUE(v.is_public);
      EXPECT_EQ(v.audit_status, AuditStatus::kApproved);
      EXPECT_TRUE(v.is_original);
      EXPECT_EQ(v.source_url, "");
    }
    EXPECT_EQ(repo.List({.limit = 10}).size(), 3u);
  }
  std::filesystem::remove_all(dir);
}

// Objects stored before uploads were recorded: a video's author may publish its object again,
// and an object no video uses becomes an upload of nobody's made when the object was, so the
// sweep removes it once that is older than the TTL.
TEST(VideoMigrationsTest, UploadsStartFromExistingObjectsAndVideos) {
  const auto dir = std::filesystem::path(::testing::TempDir()) /
                   ("reel_video_migrations_v4_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    db::SqliteDb db(db::SqliteOptions{(dir / "v.db").string()});
    const auto all = VideoMigrations();
    ASSERT_GE(all.size(), 4u);
    ASSERT_EQ(all[3].version, 4);
    ASSERT_TRUE(db::ApplyMigrations(db, "video", all.first(3)).ok());
    const std::string used(64, 'a');
    const std::string unused(64, 'b');
    db.Write([&](db::Connection& conn) {
      conn.Exec("INSERT INTO media_objects VALUES ('" + used + "', '" + used + ".mp4', '" + used +
                ".jpg', 1, 1, 1, 1, 'h264', 100);"
                "INSERT INTO media_objects VALUES ('" +
                unused + "', '" + unused + ".mp4', '" + unused +
                ".jpg', 1, 1, 1, 1, 'h264', 200);"
                "INSERT INTO videos (author_id, title, media_key, created_at_ms) VALUES "
                "(7, 'a', '" +
                used + ".mp4', 1), (7, 'b', '" + used +
                ".mp4', 2), "
                "(8, 'c', '" +
                used + ".mp4', 3);");
    });
    ASSERT_TRUE(db::ApplyMigrations(db, "video", all).ok());
    SqlVideoRepository repo(db);
    const std::int64_t now = 1'000'000;  // far past both objects' times
    EXPECT_TRUE(repo.CreateVideo(NewVideo{7, "again", "", used + ".mp4", now}, now - 10).ok());
    EXPECT_EQ(
        repo.CreateVideo(NewVideo{9, "mine?", "", used + ".mp4", now}, now - 10).status().reason,
        "MEDIA_NOT_YOURS");
    EXPECT_EQ(repo.ExpireUploads(199, 10).uploads, 0u) << "nobody's upload is from 200";
    const ExpiredUploads expired = repo.ExpireUploads(200, 10);
    ASSERT_EQ(expired.removed.size(), 1u);
    EXPECT_EQ(expired.removed[0].sha256, unused);
    EXPECT_TRUE(repo.FindMediaBySha(used));
  }
  std::filesystem::remove_all(dir);
}

// Issue 16: what everyone sees is public and approved; the counters keep both numbers through
// every change of visibility, and the list queries use the partial indexes.
TEST_P(SqlVideoRepositoryTest, VisibilityFiltersListsAndKeepsBothWorkCounts) {
  const Video shown = Publish(1, 10);
  Upload(1, Media("aa"));
  NewVideo hidden_draft{1, "private", "", Media("aa").key, 20};
  hidden_draft.is_public = false;
  auto hidden = repo_->CreateVideo(hidden_draft, 0);
  ASSERT_TRUE(hidden.ok());
  EXPECT_FALSE(hidden->is_public);
  NewVideo pending_draft{1, "pending", "", Media("aa").key, 30};
  pending_draft.audit_status = AuditStatus::kPending;
  auto pending = repo_->CreateVideo(pending_draft, 0);
  ASSERT_TRUE(pending.ok());

  auto ids = [](const std::vector<Video>& videos) {
    std::vector<std::int64_t> out;
    for (const Video& v : videos) out.push_back(v.id);
    return out;
  };
  EXPECT_EQ(ids(repo_->List({.limit = 10})), std::vector<std::int64_t>{shown.id});
  EXPECT_EQ(ids(repo_->List({.author_id = 1, .limit = 10})), std::vector<std::int64_t>{shown.id});
  EXPECT_EQ(ids(repo_->List({.author_id = 1, .limit = 10, .visible_only = false})),
            (std::vector<std::int64_t>{pending->id, hidden->id, shown.id}));
  const std::int64_t one[] = {1};
  EXPECT_EQ(ids(repo_->ListByAuthors(one, 0, 10, {})), std::vector<std::int64_t>{shown.id});
  EXPECT_TRUE(repo_->ListByAuthors(one, 0, 10, one).empty()) << "excluded";
  EXPECT_TRUE(repo_->List({.limit = 10, .exclude_author_ids = {1}}).empty());
  EXPECT_EQ(repo_->CountByAuthors(one).at(1), (WorkCount{3, 1}));

  // Public again, approved, rejected: the visible count follows, the total does not move.
  ASSERT_TRUE(repo_->UpdateVideo(hidden->id, 1, {.is_public = true}).ok());
  EXPECT_EQ(repo_->CountByAuthors(one).at(1), (WorkCount{3, 2}));
  auto approved = repo_->SetAuditStatus(pending->id, AuditStatus::kApproved, "");
  ASSERT_TRUE(approved.ok());
  EXPECT_EQ(repo_->CountByAuthors(one).at(1), (WorkCount{3, 3}));
  ASSERT_TRUE(repo_->SetAuditStatus(shown.id, AuditStatus::kRejected, "spam").ok());
  EXPECT_EQ(repo_->CountByAuthors(one).at(1), (WorkCount{3, 2}));
  EXPECT_EQ(repo_->ListByAuditStatus(AuditStatus::kRejected, 0, 10).at(0).audit_reason, "spam");
  ASSERT_TRUE(repo_->DeleteVideo(shown.id, 1, 0).ok());
  EXPECT_EQ(repo_->CountByAuthors(one).at(1), (WorkCount{2, 2})) << "a hidden one went";
  EXPECT_EQ(repo_->SetAuditStatus(999, AuditStatus::kApproved, "").status().reason,
            "VIDEO_NOT_FOUND");

  // The latest feed and others' publish lists are served by the visible partial indexes.
  if (!OnSqlite()) return;  // MariaDB's plans depend on its statistics of these few rows
  for (const VideoQuery& query :
       {VideoQuery{.limit = 10}, VideoQuery{.author_id = 1, .limit = 10}}) {
    std::string plan;
    db_->Read([&](db::Connection& conn) {
      auto rows = conn.Prepare("EXPLAIN QUERY PLAN " + SqlVideoRepository::ListSql(query));
      int at = 1;
      rows.Bind(at++, std::int64_t{1000});
      if (query.author_id > 0) rows.Bind(at++, query.author_id);
      rows.Bind(at, 10);
      while (rows.Step()) plan += rows.Text(3) + "; ";
    });
    EXPECT_NE(plan.find("videos_visible"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
  }
}

TEST_P(SqlVideoRepositoryTest, ProvenanceEditsAreCheckedAgainstWhatIsStored) {
  const Video video = Publish(1, 10);
  EXPECT_EQ(repo_->UpdateVideo(video.id, 1, {.is_original = false}).status().reason,
            "SOURCE_URL_INVALID")
      << "a repost needs its source";
  EXPECT_EQ(repo_->UpdateVideo(video.id, 1, {.source_url = "https://a.example/v"}).status().reason,
            "SOURCE_URL_INVALID")
      << "an original has none";
  auto repost =
      repo_->UpdateVideo(video.id, 1, {.is_original = false, .source_url = "https://a.example/v"});
  ASSERT_TRUE(repost.ok());
  EXPECT_FALSE(repost->is_original);
  auto moved = repo_->UpdateVideo(video.id, 1, {.source_url = "https://b.example/v"});
  ASSERT_TRUE(moved.ok()) << "a repost's source may change alone";
  EXPECT_EQ(moved->source_url, "https://b.example/v");
  auto original = repo_->UpdateVideo(video.id, 1, {.is_original = true});
  ASSERT_TRUE(original.ok());
  EXPECT_TRUE(original->is_original);
  EXPECT_EQ(original->source_url, "") << "an original drops the old source";
}

// Publishes, deletes and changes of visibility from several threads (on MariaDB, over the
// pool's connections at once): every counter equals a COUNT(*) over the rows afterwards.
TEST_P(SqlVideoRepositoryTest, ConcurrentWritesKeepEveryWorkCountExact) {
  constexpr int kAuthors = 3;
  constexpr int kThreads = 6;
  constexpr int kOpsPerThread = 60;
  for (std::int64_t author = 1; author <= kAuthors; ++author) Upload(author, Media("aa"));
  std::mutex mu;
  std::vector<std::pair<std::int64_t, std::int64_t>> published;  // (video, author)
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t) + 1);  // seeded: a failure can be replayed
      for (int i = 0; i < kOpsPerThread; ++i) {
        const std::int64_t author = 1 + static_cast<std::int64_t>(rng() % kAuthors);
        const unsigned op = rng() % 4;
        std::pair<std::int64_t, std::int64_t> target{0, 0};
        {
          std::lock_guard lock(mu);
          if (!published.empty()) target = published[rng() % published.size()];
        }
        if (op == 0 || target.first == 0) {
          NewVideo draft{author, "t", "", Media("aa").key, 42};
          draft.is_public = rng() % 3 != 0;
          draft.audit_status = rng() % 3 == 0 ? AuditStatus::kPending : AuditStatus::kApproved;
          auto created = repo_->CreateVideo(draft, 0);
          if (!created.ok()) {
            ++failures;
            continue;
          }
          std::lock_guard lock(mu);
          published.emplace_back(created->id, author);
        } else if (op == 1) {
          // Racing deletes of one video: one wins, the others find nothing.
          auto deleted = repo_->DeleteVideo(target.first, target.second, 0);
          if (!deleted.ok() && deleted.status().reason != "VIDEO_NOT_FOUND") ++failures;
        } else if (op == 2) {
          auto edited =
              repo_->UpdateVideo(target.first, target.second, {.is_public = rng() % 2 == 0});
          if (!edited.ok() && edited.status().reason != "VIDEO_NOT_FOUND") ++failures;
        } else {
          const AuditStatus status =
              rng() % 2 == 0 ? AuditStatus::kApproved : AuditStatus::kRejected;
          auto audited = repo_->SetAuditStatus(target.first, status, "");
          if (!audited.ok() && audited.status().reason != "VIDEO_NOT_FOUND") ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);

  const auto truth = GroundTruth();
  std::int64_t rows = 0;
  for (const auto& [author, count] : truth) rows += count.all;
  EXPECT_GT(rows, 0);
  const std::int64_t authors[] = {1, 2, 3};
  const auto counted = repo_->CountByAuthors(authors);
  for (std::int64_t author : authors) {
    const WorkCount want = truth.contains(author) ? truth.at(author) : WorkCount{};
    const WorkCount got = counted.contains(author) ? counted.at(author) : WorkCount{};
    EXPECT_EQ(got, want) << "author " << author << ": " << got.all << "/" << got.visible
                         << " counted, " << want.all << "/" << want.visible << " rows";
  }
  EXPECT_EQ(Scalar("SELECT COUNT(DISTINCT created_at_ms) FROM videos"),
            Scalar("SELECT COUNT(*) FROM videos"));
}

// A user's uploads racing for the last pending slots: the quota holds (each upload counts
// the others), and a refused first upload leaves no object behind.
TEST_P(SqlVideoRepositoryTest, ConcurrentUploadsOfOneUserKeepThePendingLimit) {
  constexpr int kThreads = 4;
  constexpr int kUploadsPerThread = 4;
  constexpr std::int64_t kUser = 7;
  const UploadLimits limits{.now_ms = 10, .max_pending = 3};
  std::atomic<int> accepted{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kUploadsPerThread; ++i) {
        const MediaObject media =
            Media(std::string(1, static_cast<char>('c' + t)) + std::to_string(i));
        auto recorded = repo_->RecordUpload({kUser, media.sha256, 10}, &media, limits);
        if (recorded.ok()) {
          ++accepted;
        } else if (recorded.status().reason == "UPLOADS_PENDING_LIMIT") {
          ++refused;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 3);
  EXPECT_EQ(refused.load(), kThreads * kUploadsPerThread - 3);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM media_uploads WHERE user_id = 7 AND published = 0"), 3);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM media_objects"), 1 + 3) << "user 0's, and the three";
}

// Ids in lists longer than one chunk, and exclusions of any length, on one statement each.
TEST_P(SqlVideoRepositoryTest, LongIdListsAndExclusions) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(Publish(1 + i % 4, 100 + i).id);
  std::vector<std::int64_t> asked;
  for (std::int64_t i = 1; i <= 1500; ++i) asked.push_back(i);  // three lookup chunks
  EXPECT_EQ(repo_->FindByIds(asked).size(), 20u);
  std::vector<std::int64_t> excluded{2, 4};
  for (std::int64_t i = 100; i < 1100; ++i) excluded.push_back(i);  // a padded list of 1024
  auto page = repo_->List({.limit = 100, .exclude_author_ids = excluded});
  EXPECT_EQ(page.size(), 10u);
  for (const Video& v : page) EXPECT_TRUE(v.author_id == 1 || v.author_id == 3) << v.author_id;
  const std::int64_t authors[] = {1, 2, 3};
  auto followed = repo_->ListByAuthors(authors, 0, 100, excluded);
  EXPECT_EQ(followed.size(), 10u) << "authors 1 and 3; 2 is excluded";
  for (const Video& v : followed) EXPECT_NE(v.author_id, 2);
  const std::int64_t counted_ids[] = {1, 2, 3, 4, 5};
  EXPECT_EQ(repo_->CountByAuthors(counted_ids).size(), 4u);
}

INSTANTIATE_TEST_SUITE_P(Engines, SqlVideoRepositoryTest, db::testing::AllEngines(),
                         db::testing::EngineName);

}  // namespace
}  // namespace reel::video

#include "video/store/sqlite_video_repository.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "kit/db/sqlite.hpp"
#include "video/store/video_migrations.hpp"

namespace reel::video {
namespace {

class SqliteVideoRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_video_repo_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<db::SqliteDb>(db::SqliteOptions{(dir_ / "v.db").string()});
    ASSERT_TRUE(db::ApplyMigrations(*db_, "video", VideoMigrations()).ok());
    repo_ = std::make_unique<SqliteVideoRepository>(*db_);
    // User 0's upload stays pending (nothing expires at cutoff 0): the object outlives
    // every video these tests delete.
    Upload(0, Media("aa"));
  }
  void TearDown() override {
    repo_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
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
  std::unique_ptr<db::SqliteDb> db_;
  std::unique_ptr<SqliteVideoRepository> repo_;
};

TEST_F(SqliteVideoRepositoryTest, MediaIsStoredOnceBySha) {
  Upload(1, Media("aa"));  // a second first upload: the row is kept once
  auto found = repo_->FindMediaBySha(Media("aa").sha256);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->key, Media("aa").key);
  EXPECT_TRUE(repo_->FindMediaByKey(Media("aa").key));
  EXPECT_FALSE(repo_->FindMediaBySha(Media("bb").sha256));
}

TEST_F(SqliteVideoRepositoryTest, VideoNeedsItsMedia) {
  auto v = repo_->CreateVideo(NewVideo{1, "t", "", Media("bb").key, 5}, 0);
  EXPECT_EQ(v.status().reason, "MEDIA_NOT_FOUND");
}

TEST_F(SqliteVideoRepositoryTest, SharedRequestedTimesBecomeUniqueAndPagingIsExact) {
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

TEST_F(SqliteVideoRepositoryTest, ConcurrentPublishersGetUniqueTimes) {
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

TEST_F(SqliteVideoRepositoryTest, TagsAreKeptInOrderAndReadEverywhere) {
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

TEST_F(SqliteVideoRepositoryTest, EditsAndDeletesBelongToTheAuthor) {
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

TEST_F(SqliteVideoRepositoryTest, ListByAuthorsIsOneStatementServedByTheVisibleAuthorIndex) {
  std::vector<std::string> plan;
  db_->Read([&](db::Connection& conn) {
    auto rows = conn.Prepare("EXPLAIN QUERY PLAN " + SqliteVideoRepository::ListByAuthorsSql());
    rows.BindAll("[1,2,3]", std::int64_t{1000}, "[]", 10);
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

  // Two thousand authors (the following feed's bound) through the same one statement.
  for (int i = 0; i < 50; ++i) Publish(1 + i * 40, 100 + i);
  std::vector<std::int64_t> authors(2000);
  for (std::size_t i = 0; i < authors.size(); ++i) authors[i] = static_cast<std::int64_t>(i + 1);
  auto page = repo_->ListByAuthors(authors, 0, 100, {});
  EXPECT_EQ(page.size(), 50u);
  EXPECT_EQ(repo_->ListByAuthors(authors, 120, 100, {}).size(), 20u);
}

TEST_F(SqliteVideoRepositoryTest, AuthorListsAndCounts) {
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
TEST_F(SqliteVideoRepositoryTest, WorkCountsFollowPublishAndDelete) {
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

TEST_F(SqliteVideoRepositoryTest, ExpiryTakesTheOldestPendingUploadsInBatches) {
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

TEST_F(SqliteVideoRepositoryTest, UsageCountsDistinctObjectsOverVideosAndLivePendingUploads) {
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
    SqliteVideoRepository repo(db);
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
    SqliteVideoRepository repo(db);
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
TEST_F(SqliteVideoRepositoryTest, VisibilityFiltersListsAndKeepsBothWorkCounts) {
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
  for (const VideoQuery& query :
       {VideoQuery{.limit = 10}, VideoQuery{.author_id = 1, .limit = 10}}) {
    std::string plan;
    db_->Read([&](db::Connection& conn) {
      auto rows = conn.Prepare("EXPLAIN QUERY PLAN " + SqliteVideoRepository::ListSql(query));
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

TEST_F(SqliteVideoRepositoryTest, ProvenanceEditsAreCheckedAgainstWhatIsStored) {
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

}  // namespace
}  // namespace reel::video

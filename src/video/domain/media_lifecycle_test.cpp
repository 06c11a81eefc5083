// The media lifecycle through VideoService on the real SQLite store and blob store, with real
// (tiny) videos: who may publish an object, when it and its files are removed (last video
// deleted, last pending upload expired on the injected clock), the per-user quotas, and the
// races between removing an object and an identical upload storing it again.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "kit/blob/local_blob_store.hpp"
#include "kit/db/sqlite.hpp"
#include "video/domain/video_service.hpp"
#include "video/store/sql_video_repository.hpp"
#include "video/store/video_migrations.hpp"

namespace reel::video {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;
using std::chrono::milliseconds;

constexpr std::int64_t kAlice = 1;
constexpr std::int64_t kBob = 2;

// The SQLite repository with hooks at the points where the races happen.
class HookedRepository final : public VideoRepository {
 public:
  explicit HookedRepository(VideoRepository& inner) : inner_(inner) {}

  /// Runs once, after the next FindMediaBySha has read its answer (it is then returned).
  std::function<void()> after_next_find;
  /// Runs after each DeleteVideo has committed, before the service sees the result.
  std::function<void()> after_delete;
  /// Answers UsageOf instead of the store (the early quota check), when set.
  std::optional<MediaUsage> usage_seen_early;

  std::optional<MediaObject> FindMediaBySha(std::string_view sha256) override {
    auto found = inner_.FindMediaBySha(sha256);
    if (auto hook = std::exchange(after_next_find, nullptr)) hook();
    return found;
  }
  std::optional<MediaObject> FindMediaByKey(std::string_view key) override {
    return inner_.FindMediaByKey(key);
  }
  Result<MediaObject> RecordUpload(const MediaUpload& upload, const MediaObject* first,
                                   const UploadLimits& limits) override {
    return inner_.RecordUpload(upload, first, limits);
  }
  MediaUsage UsageOf(std::int64_t user_id, std::string_view sha256,
                     std::int64_t cutoff_ms) override {
    if (usage_seen_early) return *usage_seen_early;
    return inner_.UsageOf(user_id, sha256, cutoff_ms);
  }
  Result<Video> CreateVideo(const NewVideo& video, std::int64_t cutoff_ms) override {
    return inner_.CreateVideo(video, cutoff_ms);
  }
  std::vector<Video> FindByIds(std::span<const std::int64_t> ids) override {
    return inner_.FindByIds(ids);
  }
  std::vector<Video> List(const VideoQuery& query) override { return inner_.List(query); }
  std::vector<Video> ListByAuthors(std::span<const std::int64_t> author_ids, std::int64_t before_ms,
                                   int limit, std::span<const std::int64_t> exclude) override {
    return inner_.ListByAuthors(author_ids, before_ms, limit, exclude);
  }
  std::vector<Video> ListByAuditStatus(AuditStatus status, std::int64_t after_id,
                                       int limit) override {
    return inner_.ListByAuditStatus(status, after_id, limit);
  }
  Result<Video> SetAuditStatus(std::int64_t video_id, AuditStatus status,
                               std::string_view reason) override {
    return inner_.SetAuditStatus(video_id, status, reason);
  }
  Result<Video> UpdateVideo(std::int64_t video_id, std::int64_t author_id,
                            const VideoEdit& edit) override {
    return inner_.UpdateVideo(video_id, author_id, edit);
  }
  Result<std::vector<MediaObject>> DeleteVideo(std::int64_t video_id, std::int64_t author_id,
                                               std::int64_t cutoff_ms) override {
    auto removed = inner_.DeleteVideo(video_id, author_id, cutoff_ms);
    if (after_delete) after_delete();
    return removed;
  }
  ExpiredUploads ExpireUploads(std::int64_t cutoff_ms, int limit) override {
    return inner_.ExpireUploads(cutoff_ms, limit);
  }
  void RecordFailedDeletion(const BlobDeletion& deletion) override {
    inner_.RecordFailedDeletion(deletion);
  }
  std::vector<BlobDeletion> FailedDeletions(int limit) override {
    return inner_.FailedDeletions(limit);
  }
  void DropFailedDeletion(std::string_view media_key) override {
    inner_.DropFailedDeletion(media_key);
  }
  std::unordered_map<std::int64_t, WorkCount> CountByAuthors(
      std::span<const std::int64_t> author_ids) override {
    return inner_.CountByAuthors(author_ids);
  }

 private:
  VideoRepository& inner_;
};

class MediaLifecycleTest : public ::testing::Test {
 protected:
  // Three distinct objects that decode alike: a one-second clip, and the same with 16 and 32
  // bytes appended (as the disk-filler made new objects).
  static void SetUpTestSuite() {
    clips_ = new fs::path(fs::path(::testing::TempDir()) /
                          ("reel_media_lifecycle_" + std::to_string(getpid())));
    fs::remove_all(*clips_);
    fs::create_directories(*clips_);
    const std::string command =
        "ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc=size=160x120:rate=25:duration=1 "
        "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -movflags +faststart '" +
        Clip(0).string() + "'";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    for (int variant : {1, 2}) {
      fs::copy_file(Clip(0), Clip(variant));
      std::ofstream(Clip(variant), std::ios::binary | std::ios::app)
          << std::string(16 * static_cast<std::size_t>(variant), 'x');
    }
  }
  static void TearDownTestSuite() {
    fs::remove_all(*clips_);
    delete clips_;
  }
  static fs::path Clip(int variant) {
    return *clips_ / ("clip" + std::to_string(variant) + ".mp4");
  }

  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("reel_media_lifecycle_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "work");
    fs::create_directories(dir_ / "in");
    db_ = std::make_unique<db::SqliteDb>(db::SqliteOptions{(dir_ / "v.db").string()});
    ASSERT_TRUE(db::ApplyMigrations(*db_, "video", VideoMigrations()).ok());
    store_ = std::make_unique<SqlVideoRepository>(*db_);
    repo_ = std::make_unique<HookedRepository>(*store_);
    blobs_ = std::make_unique<blob::LocalBlobStore>((dir_ / "media").string());
    Start({});
  }
  void TearDown() override {
    service_.reset();
    repo_.reset();
    store_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }

  // (Re)builds the service with `settings` (work_dir filled in).
  void Start(MediaSettings settings) {
    settings.work_dir = (dir_ / "work").string();
    service_ = std::make_unique<VideoService>(*repo_, *blobs_, settings, clock_, events_);
  }

  // A copy of a clip to upload (an ingest may consume its file).
  std::string CopyOf(const fs::path& clip) {
    const fs::path copy = dir_ / "in" / ("upload-" + std::to_string(++uploads_));
    fs::copy_file(clip, copy);
    return copy.string();
  }
  Result<MediaObject> Upload(std::int64_t user, int clip = 0) {
    return service_->Ingest(user, CopyOf(Clip(clip)));
  }
  MediaObject Uploaded(std::int64_t user, int clip = 0) {
    auto media = Upload(user, clip);
    EXPECT_TRUE(media.ok()) << media.status().reason << ": " << media.status().message;
    return media.ok() ? *media : MediaObject{};
  }
  Result<Video> Create(std::int64_t user, const MediaObject& media) {
    clock_.Advance(milliseconds(1));
    return service_->Create(user, "a title", "", media.key);
  }
  Video Created(std::int64_t user, const MediaObject& media) {
    auto video = Create(user, media);
    EXPECT_TRUE(video.ok()) << video.status().reason << ": " << video.status().message;
    return video.ok() ? *video : Video{};
  }
  // The object's row and both its files exist.
  ::testing::AssertionResult Stored(const MediaObject& media) {
    const bool row = store_->FindMediaBySha(media.sha256).has_value();
    const bool playable = blobs_->Exists(media.key);
    const bool cover = blobs_->Exists(media.cover_key);
    if (row && playable && cover) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "row " << row << ", playable file " << playable << ", cover " << cover;
  }
  // Neither the object's row nor any of its files exists.
  ::testing::AssertionResult Gone(const MediaObject& media) {
    const bool row = store_->FindMediaBySha(media.sha256).has_value();
    const bool playable = blobs_->Exists(media.key);
    const bool cover = blobs_->Exists(media.cover_key);
    if (!row && !playable && !cover) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "row " << row << ", playable file " << playable << ", cover " << cover;
  }
  std::int64_t Count(const std::string& sql) {
    return db_->Read([&](db::Connection& conn) {
      auto row = conn.Prepare(sql);
      row.Step();
      return row.Int(0);
    });
  }

  static fs::path* clips_;
  fs::path dir_;
  std::atomic<int> uploads_{0};
  ManualClock clock_;
  events::NoCommitHook events_;
  std::unique_ptr<db::SqliteDb> db_;
  std::unique_ptr<SqlVideoRepository> store_;
  std::unique_ptr<HookedRepository> repo_;
  std::unique_ptr<blob::LocalBlobStore> blobs_;
  std::unique_ptr<VideoService> service_;
};

fs::path* MediaLifecycleTest::clips_ = nullptr;

// ---- who may publish ------------------------------------------------------------------

TEST_F(MediaLifecycleTest, OnlyAUserWhoUploadedTheBytesMayPublishThem) {
  const MediaObject alices = Uploaded(kAlice);
  auto taken = Create(kBob, alices);
  EXPECT_EQ(taken.status().reason, "MEDIA_NOT_YOURS");
  EXPECT_EQ(taken.status().code, Code::kPermissionDenied);
  EXPECT_TRUE(service_->List(0, 0, 10)->videos.empty());

  // Bob uploading the same bytes himself: stored once, and now he may.
  const MediaObject bobs = Uploaded(kBob);
  EXPECT_EQ(bobs.key, alices.key);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM media_objects"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM media_uploads"), 2);
  Created(kBob, bobs);
  Created(kAlice, alices);
  // Once published, the uploader may publish the same upload again.
  Created(kAlice, alices);
  EXPECT_EQ(service_->List(0, 0, 10)->videos.size(), 3u);
}

// ---- removal with the last video ------------------------------------------------------

TEST_F(MediaLifecycleTest, AnObjectGoesWithItsLastVideoAndNotBefore) {
  const MediaObject media = Uploaded(kAlice);
  const Video first = Created(kAlice, media);
  const Video second = Created(kAlice, media);
  Uploaded(kBob);
  const Video bobs = Created(kBob, media);

  ASSERT_TRUE(service_->Delete(first.id, kAlice).ok());
  EXPECT_TRUE(Stored(media));
  ASSERT_TRUE(service_->Delete(bobs.id, kBob).ok());
  EXPECT_TRUE(Stored(media)) << "Alice's second video still shows it";
  ASSERT_TRUE(service_->Delete(second.id, kAlice).ok());
  EXPECT_TRUE(Gone(media));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM media_uploads"), 0);
  EXPECT_EQ(Create(kAlice, media).status().reason, "MEDIA_NOT_FOUND");
}

TEST_F(MediaLifecycleTest, ARefusedDeleteRemovesNothing) {
  const MediaObject media = Uploaded(kAlice);
  const Video video = Created(kAlice, media);
  EXPECT_EQ(service_->Delete(video.id, kBob).reason, "VIDEO_NOT_YOURS");
  EXPECT_TRUE(Stored(media));
}

TEST_F(MediaLifecycleTest, APendingUploadKeepsTheObjectUntilItExpires) {
  const MediaObject media = Uploaded(kAlice);
  const Video video = Created(kAlice, media);
  clock_.Advance(hours(1));
  Uploaded(kBob);  // the same bytes, not published yet
  ASSERT_TRUE(service_->Delete(video.id, kAlice).ok());
  EXPECT_TRUE(Stored(media));

  clock_.Advance(hours(24));
  const SweepReport swept = service_->ExpireUploads();
  EXPECT_EQ(swept.uploads, 1u);
  EXPECT_EQ(swept.objects, 1u);
  EXPECT_TRUE(Gone(media));
}

// ---- expiry -----------------------------------------------------------------------------

TEST_F(MediaLifecycleTest, AnUnpublishedUploadExpiresExactlyAfterTheTtl) {
  Start({.pending_upload_ttl = hours(24)});
  const MediaObject media = Uploaded(kAlice);
  clock_.Advance(hours(24) - milliseconds(1));
  EXPECT_EQ(service_->ExpireUploads().uploads, 0u);
  EXPECT_TRUE(Stored(media));
  clock_.Advance(milliseconds(1));
  const SweepReport swept = service_->ExpireUploads();
  EXPECT_EQ(swept.uploads, 1u);
  EXPECT_EQ(swept.objects, 1u);
  EXPECT_TRUE(Gone(media));
  EXPECT_EQ(Create(kAlice, media).status().reason, "MEDIA_NOT_FOUND");
}

TEST_F(MediaLifecycleTest, UploadingAgainRefreshesTheTime) {
  const MediaObject media = Uploaded(kAlice);
  clock_.Advance(hours(20));
  Uploaded(kAlice);
  clock_.Advance(hours(20));
  EXPECT_EQ(service_->ExpireUploads().uploads, 0u);
  EXPECT_TRUE(Stored(media));
  Created(kAlice, media);
}

TEST_F(MediaLifecycleTest, TheObjectStaysUntilItsLastPendingUploadExpires) {
  const MediaObject media = Uploaded(kAlice);
  clock_.Advance(hours(10));
  Uploaded(kBob);
  clock_.Advance(hours(14));
  EXPECT_EQ(service_->ExpireUploads().objects, 0u) << "Alice's expired, Bob's has 10 h left";
  EXPECT_TRUE(Stored(media));
  EXPECT_EQ(Create(kAlice, media).status().reason, "MEDIA_NOT_YOURS");
  Created(kBob, media);  // publishing keeps it for good
  clock_.Advance(hours(48));
  EXPECT_EQ(service_->ExpireUploads().objects, 0u);
  EXPECT_TRUE(Stored(media));
}

TEST_F(MediaLifecycleTest, AnExpiredUploadCannotBePublishedEvenBeforeTheSweep) {
  const MediaObject media = Uploaded(kAlice);
  Uploaded(kBob);
  Created(kBob, media);  // the object stays: Bob's video
  clock_.Advance(hours(25));
  EXPECT_EQ(Create(kAlice, media).status().reason, "MEDIA_NOT_YOURS");
}

TEST_F(MediaLifecycleTest, ObjectsTheTablesDoNotNameAreNeverTouched) {
  // A profile picture in the same store: the user service's, unknown to these tables.
  const std::string picture = std::string(64, 'c') + ".jpg";
  const fs::path source = dir_ / "in" / "picture";
  std::ofstream(source) << "a picture";
  ASSERT_TRUE(blobs_->PutFile(picture, source.string()).ok());

  const MediaObject media = Uploaded(kAlice);
  const Video video = Created(kAlice, media);
  Uploaded(kBob, 1);
  ASSERT_TRUE(service_->Delete(video.id, kAlice).ok());
  clock_.Advance(hours(48));
  service_->ExpireUploads();
  EXPECT_TRUE(Gone(media));
  EXPECT_TRUE(blobs_->Exists(picture));
}

// ---- quotas -----------------------------------------------------------------------------

TEST_F(MediaLifecycleTest, ThePendingLimitRefusesOneMoreAndPublishingMakesRoom) {
  Start({.max_pending_uploads = 2});
  const MediaObject first = Uploaded(kAlice, 0);
  clock_.Advance(hours(1));
  Uploaded(kAlice, 1);
  auto third = Upload(kAlice, 2);
  ASSERT_EQ(third.status().reason, "UPLOADS_PENDING_LIMIT");
  EXPECT_EQ(third.status().code, Code::kResourceExhausted);
  EXPECT_EQ(third.status().retry_after, std::chrono::seconds(23 * 3600)) << "the first expires";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM media_objects"), 2) << "the third stored nothing";
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir_ / "media")) {
    files += entry.is_regular_file() ? 1 : 0;
  }
  EXPECT_EQ(files, 4u);

  EXPECT_TRUE(Upload(kAlice, 0).ok()) << "uploading a pending one again adds none";
  EXPECT_TRUE(Upload(kBob, 2).ok()) << "the limit is per user";
  Created(kAlice, first);
  EXPECT_TRUE(Upload(kAlice, 2).ok()) << "publishing freed a place";
}

TEST_F(MediaLifecycleTest, PublishingInOneStepIgnoresThePendingLimit) {
  Start({.max_pending_uploads = 1});
  Uploaded(kAlice, 0);
  EXPECT_EQ(Upload(kAlice, 1).status().reason, "UPLOADS_PENDING_LIMIT");
  auto published = service_->Publish(kAlice, "t", "", CopyOf(Clip(1)));
  ASSERT_TRUE(published.ok()) << published.status().message;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM media_uploads WHERE published = 0"), 1);
}

TEST_F(MediaLifecycleTest, TheByteQuotaCountsVideosAndPendingUploadsOnce) {
  const std::uint64_t clip = fs::file_size(Clip(0));
  Start({.max_bytes_per_user = clip * 2 + clip / 2});  // two clips, not three
  const MediaObject first = Uploaded(kAlice, 0);
  Created(kAlice, first);
  Created(kAlice, first);  // the same object twice is stored (and counted) once
  Uploaded(kAlice, 1);
  auto third = Upload(kAlice, 2);
  ASSERT_EQ(third.status().reason, "STORAGE_QUOTA_EXCEEDED");
  EXPECT_EQ(third.status().code, Code::kPayloadTooLarge);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM media_objects"), 2);
  EXPECT_TRUE(Upload(kAlice, 0).ok()) << "an object she holds costs nothing";
  EXPECT_TRUE(Upload(kBob, 2).ok()) << "the quota is per user";

  // Deleting both videos of the first object frees its bytes.
  const auto listed = service_->List(kAlice, 0, 10);
  ASSERT_TRUE(listed.ok());
  for (const Video& v : listed->videos) {
    ASSERT_TRUE(service_->Delete(v.id, kAlice).ok());
  }
  clock_.Advance(hours(25));
  service_->ExpireUploads();
  EXPECT_TRUE(Upload(kAlice, 2).ok());
}

TEST_F(MediaLifecycleTest, TheQuotaIsCountedAgainWhenTheUploadIsRecorded) {
  const std::uint64_t clip = fs::file_size(Clip(0));
  Start({.max_bytes_per_user = clip + clip / 2});
  Uploaded(kAlice, 0);
  // A concurrent upload of hers made the early look see room that the recording does not.
  repo_->usage_seen_early = MediaUsage{};
  auto second = Upload(kAlice, 1);
  EXPECT_EQ(second.status().reason, "STORAGE_QUOTA_EXCEEDED");
  // The second object was decoded and its files stored before the recording refused it:
  // neither row nor files may stay.
  const std::string sha = *blob::Sha256OfFile(Clip(1).string());
  EXPECT_FALSE(store_->FindMediaBySha(sha));
  EXPECT_FALSE(blobs_->Exists(sha + ".mp4"));
  EXPECT_FALSE(blobs_->Exists(sha + ".jpg"));
}

// ---- races: removing an object while identical bytes arrive ------------------------------

// The deletion has committed (row gone) but not yet deleted the files when the same bytes
// are uploaded again: the new upload stores the object (its files already there), and the
// deletion must then leave the files alone.
TEST_F(MediaLifecycleTest, AnUploadBetweenTheRemovalAndItsFileDeletionKeepsItsFiles) {
  const MediaObject media = Uploaded(kAlice);
  const Video video = Created(kAlice, media);
  std::optional<Result<MediaObject>> again;
  repo_->after_delete = [&] {
    ASSERT_FALSE(store_->FindMediaBySha(media.sha256)) << "the transaction removed the row";
    ASSERT_TRUE(blobs_->Exists(media.key)) << "and the files are still there";
    again = Upload(kBob);
  };
  ASSERT_TRUE(service_->Delete(video.id, kAlice).ok());
  ASSERT_TRUE(again && again->ok());
  EXPECT_TRUE(Stored(media));
  Created(kBob, media);
}

// An upload found the object's row, then its last reference went (row removed) before the
// upload was recorded: the upload must store the object again rather than record an upload of
// a missing row, whichever of it and the deletion's file removal runs first.
TEST_F(MediaLifecycleTest, AnUploadWhoseObjectIsRemovedBeforeItIsRecordedStoresItAgain) {
  const MediaObject media = Uploaded(kAlice);
  const Video video = Created(kAlice, media);
  std::mutex mutex;
  std::condition_variable committed_cv;
  bool committed = false;
  std::thread deleter;
  repo_->after_delete = [&] {
    std::lock_guard lock(mutex);
    committed = true;
    committed_cv.notify_all();
  };
  // Bob's upload looks the object up (under its lock) and finds it; right then Alice deletes
  // her video on another thread, whose transaction removes the row.
  repo_->after_next_find = [&] {
    deleter = std::thread([&] { EXPECT_TRUE(service_->Delete(video.id, kAlice).ok()); });
    std::unique_lock lock(mutex);
    ASSERT_TRUE(committed_cv.wait_for(lock, std::chrono::seconds(30), [&] { return committed; }));
  };
  auto bobs = Upload(kBob);
  deleter.join();
  ASSERT_TRUE(bobs.ok()) << bobs.status().reason << ": " << bobs.status().message;
  EXPECT_TRUE(Stored(media));
  Created(kBob, media);
}

// Many users uploading, publishing and deleting the same bytes at once: whatever the
// interleaving, every upload succeeds, an object a video shows has its files, and once
// nothing uses the object nothing of it is left.
TEST_F(MediaLifecycleTest, ConcurrentUploadsAndDeletesOfTheSameBytesStayConsistent) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (std::int64_t user = 1; user <= 4; ++user) {
    threads.emplace_back([&, user] {
      for (int i = 0; i < 8; ++i) {
        auto media = service_->Ingest(user, CopyOf(Clip(0)));
        auto video = media.ok() ? service_->Create(user, "t", "", media->key)
                                : Result<Video>(media.status());
        if (!video.ok()) {
          ADD_FAILURE() << video.status().reason << ": " << video.status().message;
          ++failures;
          continue;
        }
        // While this video exists nothing may remove the object: its files must be there.
        if (!blobs_->Exists(media->key) || !blobs_->Exists(media->cover_key)) ++failures;
        if (!service_->Delete(video->id, user).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  const std::string sha = *blob::Sha256OfFile(Clip(0).string());
  EXPECT_TRUE(Gone(MediaObject{.sha256 = sha, .key = sha + ".mp4", .cover_key = sha + ".jpg"}));
}

}  // namespace
}  // namespace reel::video

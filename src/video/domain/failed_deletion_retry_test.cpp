// Media files whose deletion failed (the blob store away mid-publish, or when a video goes)
// are recorded and deleted by the next media sweep once the store is back, unless an upload of
// the same bytes made them an object's files again. VideoService on the real video store (each
// engine) and a local blob store whose writes and deletes can be made to fail.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kit/blob/local_blob_store.hpp"
#include "kit/db/testing/test_database.hpp"
#include "video/domain/video_service.hpp"
#include "video/store/sql_video_repository.hpp"
#include "video/store/video_migrations.hpp"

namespace reel::video {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kAlice = 1;
constexpr std::int64_t kBob = 2;

// A LocalBlobStore that answers as an S3 store that went away: deletes fail while
// `deletes_fail`, and PutFile of keys ending in `failing_put_suffix` fails (".mp4": the
// video's PUT dies after the cover's went through).
class FlakyBlobStore final : public blob::BlobStore {
 public:
  explicit FlakyBlobStore(std::string root) : inner_(std::move(root)) {}

  bool deletes_fail = false;
  std::string failing_put_suffix;
  int delete_calls = 0;

  Status PutFile(std::string_view key, const std::string& source_path) override {
    if (!failing_put_suffix.empty() && key.ends_with(failing_put_suffix)) return Down();
    return inner_.PutFile(key, source_path);
  }
  bool Exists(std::string_view key) override { return inner_.Exists(key); }
  Result<std::uint64_t> Size(std::string_view key) override { return inner_.Size(key); }
  Result<std::string> LocalPath(std::string_view key) override { return inner_.LocalPath(key); }
  Status Delete(std::string_view key) override {
    ++delete_calls;
    if (deletes_fail) return Down();
    return inner_.Delete(key);
  }

 private:
  static Status Down() { return Unavailable("BLOB_STORE_UNAVAILABLE", "the store is down"); }
  blob::LocalBlobStore inner_;
};

class FailedDeletionRetryTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  static void SetUpTestSuite() {
    clip_ = new fs::path(fs::path(::testing::TempDir()) /
                         ("reel_deletion_retry_clip_" + std::to_string(getpid()) + ".mp4"));
    const std::string command =
        "ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc=size=160x120:rate=25:duration=1 "
        "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -movflags +faststart '" +
        clip_->string() + "'";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  static void TearDownTestSuite() {
    fs::remove(*clip_);
    delete clip_;
  }

  void SetUp() override {
    dir_ = db::testing::FreshTestDir("reel_deletion_retry");
    fs::create_directories(dir_ / "work");
    fs::create_directories(dir_ / "in");
    database_ = std::make_unique<db::testing::TestDatabase>(GetParam(), dir_.string(), "video",
                                                            VideoMigrations());
    repo_ = std::make_unique<SqlVideoRepository>(database_->db());
    blobs_ = std::make_unique<FlakyBlobStore>((dir_ / "media").string());
    service_ = std::make_unique<VideoService>(
        *repo_, *blobs_, MediaSettings{.work_dir = (dir_ / "work").string()}, clock_, events_);
    sha_ = *blob::Sha256OfFile(clip_->string());
    media_key_ = sha_ + ".mp4";
    cover_key_ = sha_ + ".jpg";
  }
  void TearDown() override {
    service_.reset();
    repo_.reset();
    database_.reset();
    fs::remove_all(dir_);
  }

  // A copy of the clip to upload (an ingest may consume its file).
  std::string Copy() {
    const fs::path copy = dir_ / "in" / ("upload-" + std::to_string(++uploads_));
    fs::copy_file(*clip_, copy);
    return copy.string();
  }
  Result<Video> Publish(std::int64_t author) {
    clock_.Advance(std::chrono::milliseconds(1));
    return service_->Publish(author, "a title", "", Copy());
  }
  // The recorded deletions by key, and their attempts.
  std::map<std::string, std::int64_t> Recorded() {
    std::map<std::string, std::int64_t> out;
    for (const BlobDeletion& d : repo_->FailedDeletions(100)) out[d.media_key] = d.attempts;
    return out;
  }
  // The publish fails as when S3 dies during the video's PUT, with deletes failing too.
  void FailAPublishWithTheStoreDown() {
    blobs_->failing_put_suffix = ".mp4";
    blobs_->deletes_fail = true;
    auto failed = Publish(kAlice);
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.status().reason, "BLOB_STORE_UNAVAILABLE");
    EXPECT_FALSE(repo_->FindMediaBySha(sha_)) << "no row for an object not stored";
    ASSERT_TRUE(blobs_->Exists(cover_key_)) << "the cover went up before the video failed";
  }

  static fs::path* clip_;
  fs::path dir_;
  int uploads_ = 0;
  ManualClock clock_;
  events::NoCommitHook events_;
  std::unique_ptr<db::testing::TestDatabase> database_;
  std::unique_ptr<SqlVideoRepository> repo_;
  std::unique_ptr<FlakyBlobStore> blobs_;
  std::unique_ptr<VideoService> service_;
  std::string sha_, media_key_, cover_key_;
};

fs::path* FailedDeletionRetryTest::clip_ = nullptr;

TEST_P(FailedDeletionRetryTest,
       AFailedPublishIsRecordedAndTheSweepDeletesItsCoverOnceTheStoreIsBack) {
  FailAPublishWithTheStoreDown();
  EXPECT_EQ(Recorded(), (std::map<std::string, std::int64_t>{{media_key_, 1}, {cover_key_, 1}}));

  // Still down: the sweep tries once, stops at the failure, and keeps both entries.
  blobs_->failing_put_suffix.clear();
  blobs_->delete_calls = 0;
  clock_.Advance(std::chrono::seconds(1));
  SweepReport swept = service_->ExpireUploads();
  EXPECT_EQ(swept.files_still_failing, 1u);
  EXPECT_EQ(swept.files_deleted, 0u);
  EXPECT_EQ(blobs_->delete_calls, 1) << "no try per key while the store is away";
  EXPECT_TRUE(blobs_->Exists(cover_key_));
  const auto recorded = Recorded();
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded.at(media_key_) + recorded.at(cover_key_), 3) << "one attempt more";

  // Back: the cover goes and nothing is left to retry.
  blobs_->deletes_fail = false;
  swept = service_->ExpireUploads();
  EXPECT_EQ(swept.files_deleted, 2u);
  EXPECT_EQ(swept.files_still_failing, 0u);
  EXPECT_FALSE(blobs_->Exists(cover_key_));
  EXPECT_FALSE(blobs_->Exists(media_key_));
  EXPECT_TRUE(Recorded().empty());
  EXPECT_EQ(service_->ExpireUploads().files_deleted, 0u);
}

TEST_P(FailedDeletionRetryTest, AnIdenticalUploadBeforeTheSweepKeepsTheFiles) {
  FailAPublishWithTheStoreDown();
  ASSERT_EQ(Recorded().size(), 2u);

  // The store is back for writes and the same bytes are published again before any sweep;
  // deletes still fail, so a sweep that tried to delete would fail the test's count below.
  blobs_->failing_put_suffix.clear();
  auto video = Publish(kBob);
  ASSERT_TRUE(video.ok()) << video.status().reason << ": " << video.status().message;
  ASSERT_TRUE(repo_->FindMediaBySha(sha_));

  blobs_->delete_calls = 0;
  const SweepReport swept = service_->ExpireUploads();
  EXPECT_EQ(swept.files_reclaimed, 2u);
  EXPECT_EQ(swept.files_deleted, 0u);
  EXPECT_EQ(blobs_->delete_calls, 0) << "the object's files are not deleted";
  EXPECT_TRUE(Recorded().empty());
  EXPECT_TRUE(blobs_->Exists(cover_key_));
  EXPECT_TRUE(blobs_->Exists(media_key_));
  EXPECT_EQ(service_->Get(std::vector<std::int64_t>{video->id}).size(), 1u);
}

TEST_P(FailedDeletionRetryTest, ADeletedVideosFilesAreDeletedByTheSweepOnceTheStoreIsBack) {
  auto video = Publish(kAlice);
  ASSERT_TRUE(video.ok()) << video.status().message;
  blobs_->deletes_fail = true;
  ASSERT_TRUE(service_->Delete(video->id, kAlice).ok()) << "the row goes whatever the store does";
  EXPECT_FALSE(repo_->FindMediaBySha(sha_));
  EXPECT_EQ(Recorded().size(), 2u);
  EXPECT_TRUE(blobs_->Exists(media_key_));

  blobs_->deletes_fail = false;
  const SweepReport swept = service_->ExpireUploads();
  EXPECT_EQ(swept.files_deleted, 2u);
  EXPECT_FALSE(blobs_->Exists(media_key_));
  EXPECT_FALSE(blobs_->Exists(cover_key_));
  EXPECT_TRUE(Recorded().empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, FailedDeletionRetryTest, db::testing::AllEngines(),
                         db::testing::EngineName);

}  // namespace
}  // namespace reel::video

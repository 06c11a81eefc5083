// VideoService on the real SQLite store: tags, edits, deletion, ownership, the events each
// committed change reports (and each refusal does not), and listing by many authors.
#include "video/domain/video_service.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kit/blob/local_blob_store.hpp"
#include "kit/db/sqlite.hpp"
#include "kit/events/testing/outbox_recorder.hpp"
#include "video/domain/publish_policy.hpp"
#include "video/store/sql_video_repository.hpp"
#include "video/store/video_migrations.hpp"

namespace reel::video {
namespace {

using Tags = std::vector<std::string>;
using events::EventKind;

std::int64_t MsOf(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
      .count();
}

class VideoServiceTest : public ::testing::Test {
 protected:
  static constexpr std::int64_t kAuthor = 7;
  static constexpr std::int64_t kStranger = 8;

  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_video_service_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "work");
    db_ = std::make_unique<db::SqliteDb>(db::SqliteOptions{(dir_ / "v.db").string()});
    ASSERT_TRUE(db::ApplyMigrations(*db_, "video", VideoMigrations()).ok());
    recorder_ = std::make_unique<events::testing::OutboxRecorder>(*db_, clock_);
    repo_ = std::make_unique<SqlVideoRepository>(*db_, &recorder_->outbox());
    blobs_ = std::make_unique<blob::LocalBlobStore>((dir_ / "media").string());
    service_ = std::make_unique<VideoService>(*repo_, *blobs_,
                                              MediaSettings{1 << 20, (dir_ / "work").string()},
                                              clock_, recorder_->outbox());
    // Users 1..kAuthor uploaded the object (the stranger did not); the clock stands still
    // unless a test moves it, so the uploads stay pending past every delete here.
    const MediaObject media{Sha(), Key(), Sha() + ".jpg", 1000, 320, 240, 2000, "h264", 1};
    for (std::int64_t user = 1; user <= kAuthor; ++user) {
      ASSERT_TRUE(
          repo_->RecordUpload({user, Sha(), MsOf(clock_)}, &media, {.now_ms = MsOf(clock_)}).ok());
    }
  }
  void TearDown() override {
    service_.reset();
    repo_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  static std::string Sha() { return std::string(64, 'a'); }
  static std::string Key() { return Sha() + ".mp4"; }

  Video Create(std::int64_t author, const Tags& tags = {}, std::string title = "a title") {
    clock_.Advance(std::chrono::milliseconds(5));
    auto video = service_->Create(author, title, "", Key(), tags);
    EXPECT_TRUE(video.ok()) << video.status().message;
    return video.ok() ? *video : Video{};
  }
  std::optional<Video> Find(std::int64_t id) {
    const std::int64_t ids[] = {id};
    auto found = service_->Get(ids);
    if (found.empty()) return std::nullopt;
    return found.front();
  }

  std::filesystem::path dir_;
  ManualClock clock_;
  std::unique_ptr<events::testing::OutboxRecorder> recorder_;  // what the store recorded
  std::unique_ptr<db::SqliteDb> db_;
  std::unique_ptr<SqlVideoRepository> repo_;
  std::unique_ptr<blob::LocalBlobStore> blobs_;
  std::unique_ptr<VideoService> service_;
};

TEST_F(VideoServiceTest, CreateStoresNormalisedTagsAndReportsThePublication) {
  const Video video = Create(kAuthor, {" Cats", "dogs", "CATS"});
  EXPECT_EQ(video.tags, (Tags{"cats", "dogs"}));
  EXPECT_EQ(Find(video.id)->tags, (Tags{"cats", "dogs"}));
  EXPECT_EQ(service_->List(kAuthor, 0, 10)->videos.at(0).tags, (Tags{"cats", "dogs"}));

  ASSERT_EQ(recorder_->Events().size(), 1u);
  EXPECT_EQ(recorder_->Events()[0].kind, events::EventKind::kVideoPublished);
  EXPECT_EQ(recorder_->Events()[0].subject_id, video.id);
  EXPECT_EQ(recorder_->Events()[0].actor_id, kAuthor);
  EXPECT_EQ(recorder_->Events()[0].at_ms, MsOf(clock_));
}

TEST_F(VideoServiceTest, CreateWithBadTagsOrUnknownMediaStoresAndReportsNothing) {
  auto bad_tags = service_->Create(kAuthor, "t", "", Key(), Tags{"ok", ""});
  EXPECT_EQ(bad_tags.status().reason, "TAGS_INVALID");
  auto unknown = service_->Create(kAuthor, "t", "", std::string(64, 'b') + ".mp4");
  EXPECT_EQ(unknown.status().reason, "MEDIA_NOT_FOUND");
  auto junk_key = service_->Create(kAuthor, "t", "", "../../etc/passwd");
  EXPECT_EQ(junk_key.status().reason, "MEDIA_NOT_FOUND");
  EXPECT_EQ(junk_key.status().message.find("passwd"), std::string::npos);
  EXPECT_TRUE(service_->List(0, 0, 10)->videos.empty());
  EXPECT_TRUE(recorder_->Events().empty());
}

TEST_F(VideoServiceTest, UpdateChangesOnlyWhatIsGiven) {
  const Video video = Create(kAuthor, {"cats"}, "old title");
  recorder_->Clear();

  auto retitled = service_->Update(video.id, kAuthor, {.title = "  new title "});
  ASSERT_TRUE(retitled.ok()) << retitled.status().message;
  EXPECT_EQ(retitled->title, "new title");
  EXPECT_EQ(retitled->tags, Tags{"cats"});  // tags not given: kept
  EXPECT_EQ(retitled->created_at_ms, video.created_at_ms);

  auto retagged = service_->Update(video.id, kAuthor, {.tags = Tags{"Birds", "fish"}});
  ASSERT_TRUE(retagged.ok());
  EXPECT_EQ(retagged->title, "new title");
  EXPECT_EQ(retagged->tags, (Tags{"birds", "fish"}));

  auto described =
      service_->Update(video.id, kAuthor, {.description = "two\nlines", .tags = Tags{}});
  ASSERT_TRUE(described.ok());
  EXPECT_EQ(described->description, "two\nlines");
  EXPECT_TRUE(described->tags.empty());
  EXPECT_EQ(Find(video.id)->description, "two\nlines");
  EXPECT_TRUE(Find(video.id)->tags.empty());

  ASSERT_EQ(recorder_->Events().size(), 3u);
  for (const auto& event : recorder_->Events()) {
    EXPECT_EQ(event.kind, events::EventKind::kVideoUpdated);
    EXPECT_EQ(event.subject_id, video.id);
    EXPECT_EQ(event.actor_id, kAuthor);
  }
}

TEST_F(VideoServiceTest, UpdateRefusalsChangeAndReportNothing) {
  const Video video = Create(kAuthor, {"cats"}, "title");
  recorder_->Clear();

  EXPECT_EQ(service_->Update(video.id, kStranger, {.title = "mine now"}).status().reason,
            "VIDEO_NOT_YOURS");
  EXPECT_EQ(service_->Update(video.id + 100, kAuthor, {.title = "x"}).status().reason,
            "VIDEO_NOT_FOUND");
  EXPECT_EQ(service_->Update(video.id, kAuthor, {}).status().reason, "PARAM_MISSING");
  EXPECT_EQ(service_->Update(video.id, kAuthor, {.title = " "}).status().reason, "TITLE_INVALID");
  EXPECT_EQ(
      service_->Update(video.id, kAuthor, {.description = std::string(2001, 'd')}).status().reason,
      "DESCRIPTION_INVALID");
  // A good title with bad tags: all or nothing.
  EXPECT_EQ(
      service_->Update(video.id, kAuthor, {.title = "fine", .tags = Tags{"a,b"}}).status().reason,
      "TAGS_INVALID");

  const Video unchanged = *Find(video.id);
  EXPECT_EQ(unchanged.title, "title");
  EXPECT_EQ(unchanged.tags, Tags{"cats"});
  EXPECT_TRUE(recorder_->Events().empty());
}

TEST_F(VideoServiceTest, OnlyTheAuthorDeletesAndTheMediaStays) {
  const Video kept = Create(kAuthor);
  const Video video = Create(kAuthor, {"cats"});
  recorder_->Clear();

  EXPECT_EQ(service_->Delete(video.id, kStranger).reason, "VIDEO_NOT_YOURS");
  EXPECT_TRUE(Find(video.id));
  EXPECT_TRUE(recorder_->Events().empty());

  clock_.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(service_->Delete(video.id, kAuthor).ok());
  EXPECT_FALSE(Find(video.id));
  ASSERT_EQ(recorder_->Events().size(), 1u);
  EXPECT_EQ(recorder_->Events()[0].kind, events::EventKind::kVideoDeleted);
  EXPECT_EQ(recorder_->Events()[0].subject_id, video.id);
  EXPECT_EQ(recorder_->Events()[0].actor_id, kAuthor);
  EXPECT_EQ(recorder_->Events()[0].at_ms, MsOf(clock_));

  EXPECT_EQ(service_->Delete(video.id, kAuthor).reason, "VIDEO_NOT_FOUND");
  EXPECT_EQ(recorder_->Events().size(), 1u);
  // Content-addressed media may back other videos: it is not deleted with one of them.
  EXPECT_TRUE(repo_->FindMediaByKey(Key()));
  EXPECT_TRUE(Find(kept.id));
  const std::int64_t author[] = {kAuthor};
  EXPECT_EQ(service_->CountWorks(author)[kAuthor], 1);
  // The same media can be published again.
  EXPECT_GT(Create(kAuthor).id, video.id);
}

TEST_F(VideoServiceTest, ListByAuthorsPagesNewestFirstOverOnlyThoseAuthors) {
  std::set<std::int64_t> wanted;
  for (int i = 0; i < 30; ++i) {
    const Video v = Create(1 + i % 5);  // authors 1..5 take turns
    if (v.author_id == 2 || v.author_id == 4) wanted.insert(v.id);
  }
  const std::int64_t authors[] = {4, 2, 99};  // 99 has no videos
  std::set<std::int64_t> seen;
  std::int64_t before = 0;
  std::int64_t previous_time = std::numeric_limits<std::int64_t>::max();
  for (int page = 0; page < 10; ++page) {
    auto listed = service_->ListByAuthors(authors, before, 5);
    ASSERT_TRUE(listed.ok());
    if (listed->videos.empty()) break;
    for (const Video& v : listed->videos) {
      EXPECT_TRUE(v.author_id == 2 || v.author_id == 4) << v.author_id;
      EXPECT_LT(v.created_at_ms, previous_time);
      previous_time = v.created_at_ms;
      EXPECT_TRUE(seen.insert(v.id).second) << "repeated " << v.id;
    }
    before = listed->next_before_ms;
  }
  EXPECT_EQ(seen, wanted);
  EXPECT_EQ(wanted.size(), 12u);
}

TEST_F(VideoServiceTest, ListByAuthorsNamesOneToTwoThousandAuthors) {
  Create(1);
  EXPECT_EQ(service_->ListByAuthors({}, 0, 10).status().reason, "AUTHORS_INVALID");
  std::vector<std::int64_t> many(VideoService::kMaxListAuthors);
  for (std::size_t i = 0; i < many.size(); ++i) many[i] = static_cast<std::int64_t>(i + 1);
  auto listed = service_->ListByAuthors(many, 0, 10);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->videos.size(), 1u);
  many.push_back(static_cast<std::int64_t>(many.size() + 1));
  EXPECT_EQ(service_->ListByAuthors(many, 0, 10).status().reason, "AUTHORS_INVALID");
}

TEST_F(VideoServiceTest, ListLimitGoesOnePastAPage) {
  for (int i = 0; i < VideoService::kMaxListLimit + 5; ++i) Create(kAuthor);
  EXPECT_EQ(service_->List(kAuthor, 0, 1000)->videos.size(),
            static_cast<std::size_t>(VideoService::kMaxListLimit));
  EXPECT_EQ(service_->List(kAuthor, 0, 0)->videos.size(), 1u);
}

// Issue 16: a private video is its author's alone, everywhere the service answers.
TEST_F(VideoServiceTest, APrivateVideoIsSeenOnlyByItsAuthorUntilMadePublic) {
  const Video shown = Create(kAuthor);
  clock_.Advance(std::chrono::milliseconds(5));
  auto hidden = service_->Create(kAuthor, "mine", "", Key(), {}, {.is_public = false});
  ASSERT_TRUE(hidden.ok()) << hidden.status().message;
  EXPECT_FALSE(hidden->is_public);
  EXPECT_EQ(hidden->audit_status, AuditStatus::kApproved);
  const std::int64_t ids[] = {hidden->id, shown.id};
  const std::int64_t authors[] = {kAuthor};

  auto ids_of = [](const std::vector<Video>& videos) {
    std::vector<std::int64_t> out;
    for (const Video& v : videos) out.push_back(v.id);
    return out;
  };
  using Ids = std::vector<std::int64_t>;
  EXPECT_EQ(ids_of(service_->Get(ids)), Ids{shown.id}) << "anonymous";
  EXPECT_EQ(ids_of(service_->Get(ids, kStranger)), Ids{shown.id});
  EXPECT_EQ(ids_of(service_->Get(ids, kAuthor)), (Ids{hidden->id, shown.id}));
  EXPECT_EQ(ids_of(service_->Get(ids, 0, /*all_states=*/true)), (Ids{hidden->id, shown.id}));
  EXPECT_EQ(ids_of(service_->List(0, 0, 10, kAuthor)->videos), Ids{shown.id})
      << "the latest feed is what everyone sees, the author included";
  EXPECT_EQ(ids_of(service_->List(kAuthor, 0, 10, kStranger)->videos), Ids{shown.id});
  EXPECT_EQ(ids_of(service_->List(kAuthor, 0, 10, kAuthor)->videos), (Ids{hidden->id, shown.id}));
  EXPECT_EQ(ids_of(service_->ListByAuthors(authors, 0, 10)->videos), Ids{shown.id});
  EXPECT_EQ(service_->CountWorks(authors, kStranger).at(kAuthor), 1);
  EXPECT_EQ(service_->CountWorks(authors).at(kAuthor), 1);
  EXPECT_EQ(service_->CountWorks(authors, kAuthor).at(kAuthor), 2);

  recorder_->Clear();
  auto opened = service_->Update(hidden->id, kAuthor, {.is_public = true});
  ASSERT_TRUE(opened.ok()) << opened.status().message;
  ASSERT_EQ(recorder_->Events().size(), 1u);
  EXPECT_EQ(recorder_->Events()[0].kind, events::EventKind::kVideoUpdated) << "search re-reads it";
  EXPECT_EQ(ids_of(service_->Get(ids, kStranger)), (Ids{hidden->id, shown.id}));
  EXPECT_EQ(service_->CountWorks(authors, kStranger).at(kAuthor), 2);
}

TEST_F(VideoServiceTest, ListsLeaveOutExcludedAuthorsWithinTheBound) {
  Create(kAuthor);
  const Video other = Create(3);  // users 1..kAuthor uploaded the media
  const std::int64_t excluded[] = {kAuthor};
  auto listed = service_->List(0, 0, 10, 0, excluded);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->videos.size(), 1u);
  EXPECT_EQ(listed->videos[0].id, other.id);
  const std::vector<std::int64_t> too_many(VideoService::kMaxListAuthors + 1, 1);
  EXPECT_EQ(service_->List(0, 0, 10, 0, too_many).status().reason, "AUTHORS_INVALID");
}

TEST_F(VideoServiceTest, ProvenanceIsCheckedOnCreateAndEdit) {
  const auto create = [&](PublishOptions options) {
    clock_.Advance(std::chrono::milliseconds(5));
    return service_->Create(kAuthor, "t", "", Key(), {}, options);
  };
  for (const std::string& bad :
       {std::string(), std::string("ftp://a.example/v"), std::string("javascript:alert(1)"),
        std::string("https://"), std::string("https://a.example/a b"),
        "https://a.example/" + std::string(kMaxSourceUrlBytes, 'x')}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(create({.is_original = false, .source_url = bad}).status().reason,
              "SOURCE_URL_INVALID");
  }
  EXPECT_EQ(create({.source_url = "https://a.example/v"}).status().reason, "SOURCE_URL_INVALID")
      << "an original with a source";
  EXPECT_TRUE(service_->List(kAuthor, 0, 10, kAuthor)->videos.empty()) << "nothing stored";
  EXPECT_TRUE(recorder_->Events().empty());

  auto repost = create({.is_original = false, .source_url = "  HTTPS://a.example/v?x=1 "});
  ASSERT_TRUE(repost.ok()) << repost.status().message;
  EXPECT_FALSE(repost->is_original);
  EXPECT_EQ(repost->source_url, "HTTPS://a.example/v?x=1");
  EXPECT_EQ(service_->Update(repost->id, kAuthor, {.source_url = "mailto:x@y"}).status().reason,
            "SOURCE_URL_INVALID");
  EXPECT_EQ(service_->Update(repost->id, kAuthor, {.is_original = true}).value().source_url, "");
  EXPECT_EQ(service_->Update(repost->id, kAuthor, {}).status().reason, "PARAM_MISSING");
}

// moderation.mode "pre": a new video waits, seen only by its author, until a moderator
// decides; a rejection needs a reason, which the video then carries.
TEST_F(VideoServiceTest, PreModerationHoldsNewVideosUntilApproved) {
  MediaSettings settings{1 << 20, (dir_ / "work").string()};
  settings.pre_moderation = true;
  service_ = std::make_unique<VideoService>(*repo_, *blobs_, settings, clock_, recorder_->outbox());
  const Video first = Create(kAuthor);
  const Video second = Create(kAuthor);
  EXPECT_EQ(first.audit_status, AuditStatus::kPending);
  const std::int64_t ids[] = {first.id};
  EXPECT_TRUE(service_->Get(ids, kStranger).empty());
  EXPECT_EQ(service_->Get(ids, kAuthor).size(), 1u);
  EXPECT_TRUE(service_->List(0, 0, 10)->videos.empty());

  // The queue, oldest first, a page at a time.
  ReviewPage page = service_->ListForReview(AuditStatus::kPending, 0, 1);
  ASSERT_EQ(page.videos.size(), 1u);
  EXPECT_EQ(page.videos[0].id, first.id);
  ASSERT_NE(page.next_cursor, 0);
  page = service_->ListForReview(AuditStatus::kPending, page.next_cursor, 1);
  ASSERT_EQ(page.videos.size(), 1u);
  EXPECT_EQ(page.videos[0].id, second.id);
  EXPECT_EQ(page.next_cursor, 0);

  recorder_->Clear();
  EXPECT_EQ(service_->SetAuditStatus(first.id, AuditStatus::kRejected, "  ").status().reason,
            "REASON_INVALID");
  EXPECT_EQ(service_
                ->SetAuditStatus(first.id, AuditStatus::kRejected,
                                 std::string(kMaxAuditReasonLength + 1, 'x'))
                .status()
                .reason,
            "REASON_INVALID");
  EXPECT_EQ(service_->SetAuditStatus(999, AuditStatus::kApproved, "").status().reason,
            "VIDEO_NOT_FOUND");
  EXPECT_TRUE(recorder_->Events().empty()) << "refusals change nothing";
  EXPECT_EQ(service_->Get(ids, kAuthor).at(0).audit_status, AuditStatus::kPending);

  auto rejected = service_->SetAuditStatus(first.id, AuditStatus::kRejected, " off-topic ");
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->audit_reason, "off-topic");
  EXPECT_TRUE(service_->Get(ids, kStranger).empty());
  EXPECT_EQ(service_->ListForReview(AuditStatus::kRejected, 0, 10).videos.size(), 1u);

  auto approved = service_->SetAuditStatus(first.id, AuditStatus::kApproved, "fine");
  ASSERT_TRUE(approved.ok());
  EXPECT_EQ(approved->audit_reason, "") << "an approved video has no reason";
  EXPECT_EQ(service_->Get(ids, kStranger).size(), 1u);
  ASSERT_EQ(recorder_->Events().size(), 2u);
  EXPECT_EQ(recorder_->Events()[1].kind, events::EventKind::kVideoUpdated);
}

}  // namespace
}  // namespace reel::video

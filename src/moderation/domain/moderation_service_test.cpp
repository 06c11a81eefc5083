// ModerationService over the real SQLite store and ClientTargets, with the user, video and
// comment services played by fakes derived from the generated Unimplemented*Client.
#include "moderation/domain/moderation_service.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <mutex>

#include "kit/clock/clock.hpp"
#include "moderation/api/client_targets.hpp"
#include "moderation/store/moderation_migrations.hpp"
#include "moderation/store/sql_moderation_repository.hpp"
#include "kit/db/sqlite.hpp"

namespace reel::moderation {
namespace {

struct FakeUser {
  std::string role = "user";
  bool hidden = false;
};

class FakeUsers final : public user::UnimplementedUserClient {
 public:
  std::map<std::int64_t, FakeUser> users;
  bool down = false;

  Result<user::v1::GetUserReply> GetUser(const user::v1::GetUserRequest& request) override {
    auto it = users.find(request.user_id());
    if (it == users.end() ||
        !Sees(it->first, it->second, request.viewer_id(), request.all_states())) {
      return NotFound("USER_NOT_FOUND", "no such user");
    }
    user::v1::GetUserReply reply;
    Fill(it->first, it->second, *reply.mutable_user());
    return reply;
  }
  Result<user::v1::BatchGetUsersReply> BatchGetUsers(
      const user::v1::BatchGetUsersRequest& request) override {
    user::v1::BatchGetUsersReply reply;
    for (std::int64_t id : request.user_ids()) {
      auto it = users.find(id);
      if (it != users.end() && Sees(id, it->second, request.viewer_id(), request.all_states())) {
        Fill(id, it->second, *reply.add_users());
      }
    }
    return reply;
  }
  Result<user::v1::SetHiddenReply> SetHidden(const user::v1::SetHiddenRequest& request) override {
    if (down) return Unavailable("UNAVAILABLE", "user service down");
    auto it = users.find(request.user_id());
    if (it == users.end()) return NotFound("USER_NOT_FOUND", "no such user");
    it->second.hidden = request.hidden();
    return user::v1::SetHiddenReply{};
  }
  Result<user::v1::SetRoleReply> SetRole(const user::v1::SetRoleRequest& request) override {
    auto it = users.find(request.user_id());
    if (it == users.end()) return NotFound("USER_NOT_FOUND", "no such user");
    it->second.role = request.role();
    return user::v1::SetRoleReply{};
  }

 private:
  static bool Sees(std::int64_t id, const FakeUser& u, std::int64_t viewer, bool all) {
    return !u.hidden || all || id == viewer;
  }
  static void Fill(std::int64_t id, const FakeUser& u, user::v1::User& out) {
    out.set_id(id);
    out.set_role(u.role);
    out.set_hidden(u.hidden);
  }
};

struct FakeVideo {
  std::int64_t author = 0;
  video::v1::AuditStatus status = video::v1::APPROVED;
  std::string reason;
};

class FakeVideos final : public video::UnimplementedVideoClient {
 public:
  std::map<std::int64_t, FakeVideo> videos;

  Result<video::v1::GetVideosReply> GetVideos(const video::v1::GetVideosRequest& request) override {
    video::v1::GetVideosReply reply;
    for (std::int64_t id : request.video_ids()) {
      auto it = videos.find(id);
      if (it == videos.end()) continue;
      const bool visible = it->second.status == video::v1::APPROVED ||
                           it->second.author == request.viewer_id() || request.all_states();
      if (!visible) continue;
      auto* v = reply.add_videos();
      v->set_id(id);
      v->set_author_id(it->second.author);
    }
    return reply;
  }
  Result<video::v1::SetAuditStatusReply> SetAuditStatus(
      const video::v1::SetAuditStatusRequest& request) override {
    auto it = videos.find(request.video_id());
    if (it == videos.end()) return NotFound("VIDEO_NOT_FOUND", "no such video");
    it->second.status = request.audit_status();
    it->second.reason = request.reason();
    return video::v1::SetAuditStatusReply{};
  }
};

struct FakeComment {
  std::int64_t video = 0;
  std::int64_t author = 0;
  bool hidden = false;
};

class FakeComments final : public comment::UnimplementedCommentClient {
 public:
  std::map<std::int64_t, FakeComment> comments;

  Result<comment::v1::GetCommentsReply> GetComments(
      const comment::v1::GetCommentsRequest& request) override {
    comment::v1::GetCommentsReply reply;
    for (std::int64_t id : request.comment_ids()) {
      auto it = comments.find(id);
      if (it == comments.end()) continue;
      auto* c = reply.add_comments();
      c->set_id(id);
      c->set_video_id(it->second.video);
      c->set_user_id(it->second.author);
      c->set_hidden(it->second.hidden);
    }
    return reply;
  }
  Result<comment::v1::SetCommentHiddenReply> SetHidden(
      const comment::v1::SetCommentHiddenRequest& request) override {
    auto it = comments.find(request.comment_id());
    if (it == comments.end()) return NotFound("COMMENT_NOT_FOUND", "no such comment");
    it->second.hidden = request.hidden();
    return comment::v1::SetCommentHiddenReply{};
  }
};

constexpr std::int64_t kAdmin = 1;    // named in the settings
constexpr std::int64_t kAuthor = 2;   // owns video 10 and comment 20
constexpr std::int64_t kRoleMod = 9;  // a moderator by role

class ModerationServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_moderation_service_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<db::SqliteDb>(db::SqliteOptions{(dir_ / "m.db").string()});
    ASSERT_TRUE(db::ApplyMigrations(*db_, "moderation", ModerationMigrations()).ok());
    store_ = std::make_unique<SqlModerationRepository>(*db_);
    for (std::int64_t id = 1; id <= 9; ++id) users_.users[id] = {};
    users_.users[kRoleMod].role = "moderator";
    videos_.videos[10] = {kAuthor};
    comments_.comments[20] = {10, kAuthor};
    service_ = std::make_unique<ModerationService>(*store_, targets_,
                                                   ModerationSettings{{kAdmin}, 3}, clock_);
  }
  void TearDown() override {
    service_.reset();
    store_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  Result<StoredReport> Report(std::int64_t reporter, Target target, int reason = 1,
                              std::string_view text = "") {
    return service_->CreateReport({reporter, target, reason, text});
  }
  std::vector<std::string> Actions() {
    std::vector<std::string> out;
    auto page = service_->ListActions(kAdmin, 0, 100);
    EXPECT_TRUE(page.ok());
    if (!page.ok()) return out;
    for (const Action& a : page->items) out.push_back(a.action);
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::SqliteDb> db_;
  std::unique_ptr<SqlModerationRepository> store_;
  FakeUsers users_;
  FakeVideos videos_;
  FakeComments comments_;
  ClientTargets targets_{users_, videos_, comments_};
  ManualClock clock_;
  std::unique_ptr<ModerationService> service_;
};

TEST_F(ModerationServiceTest, ReportsAreCheckedAndDeduplicated) {
  EXPECT_EQ(Report(3, {TargetType::kVideo, 999}).status().reason, "TARGET_NOT_FOUND");
  EXPECT_EQ(Report(3, {TargetType::kVideo, 10}, 0).status().reason, "REASON_INVALID");
  EXPECT_EQ(Report(3, {TargetType::kVideo, 10}, 9).status().reason, "REASON_INVALID");
  EXPECT_EQ(Report(3, {TargetType::kVideo, 10}, 1, std::string(501, 'x')).status().reason,
            "TEXT_INVALID");
  EXPECT_EQ(Report(kAuthor, {TargetType::kVideo, 10}).status().reason, "CANNOT_REPORT_SELF");
  EXPECT_EQ(Report(kAuthor, {TargetType::kComment, 20}).status().reason, "CANNOT_REPORT_SELF");
  EXPECT_EQ(Report(3, {TargetType::kUser, 3}).status().reason, "CANNOT_REPORT_SELF");
  // Nothing was stored by the refusals.
  EXPECT_TRUE(service_->ListReports(kAdmin, ReportStatus::kOpen, 0, 0)->items.empty());

  auto first = Report(3, {TargetType::kVideo, 10}, 1, std::string(500, 'x'));
  ASSERT_TRUE(first.ok()) << first.status().message;
  EXPECT_TRUE(first->changed);
  auto again = Report(3, {TargetType::kVideo, 10}, 2);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(again->report.id, first->report.id);
  EXPECT_EQ(service_->ListReports(kAdmin, ReportStatus::kOpen, 0, 0)->items.size(), 1u);
}

TEST_F(ModerationServiceTest, InvisibleTargetsAreNotFound) {
  videos_.videos[11] = {kAuthor, video::v1::PENDING};  // only its author sees it
  EXPECT_EQ(Report(3, {TargetType::kVideo, 11}).status().reason, "TARGET_NOT_FOUND");
  comments_.comments[21] = {11, 4};  // on a video the reporter cannot see
  EXPECT_EQ(Report(3, {TargetType::kComment, 21}).status().reason, "TARGET_NOT_FOUND");
  comments_.comments[22] = {10, 4, true};  // hidden
  EXPECT_EQ(Report(3, {TargetType::kComment, 22}).status().reason, "TARGET_NOT_FOUND");
  users_.users[5].hidden = true;
  EXPECT_EQ(Report(3, {TargetType::kUser, 5}).status().reason, "TARGET_NOT_FOUND");
  videos_.videos[12] = {5};  // by a hidden user
  EXPECT_EQ(Report(3, {TargetType::kVideo, 12}).status().reason, "TARGET_NOT_FOUND");
}

TEST_F(ModerationServiceTest, TheThresholdHidesEachKindAndDismissShowsItAgain) {
  users_.users[kAuthor] = {};
  for (std::int64_t reporter : {3, 4}) {
    ASSERT_TRUE(Report(reporter, {TargetType::kVideo, 10}).ok());
    ASSERT_TRUE(Report(reporter, {TargetType::kComment, 20}).ok());
    ASSERT_TRUE(Report(reporter, {TargetType::kUser, kAuthor}).ok());
  }
  ASSERT_TRUE(Report(3, {TargetType::kVideo, 10}).ok());  // a repeat is not a third reporter
  EXPECT_EQ(videos_.videos[10].status, video::v1::APPROVED);
  EXPECT_FALSE(comments_.comments[20].hidden);

  // The comment first: once its video is hidden, the comment is not visible to reporters.
  ASSERT_TRUE(Report(5, {TargetType::kComment, 20}).ok());
  EXPECT_TRUE(comments_.comments[20].hidden);
  ASSERT_TRUE(Report(5, {TargetType::kVideo, 10}).ok());
  EXPECT_EQ(videos_.videos[10].status, video::v1::PENDING);
  EXPECT_EQ(videos_.videos[10].reason, "reported");
  EXPECT_EQ(Report(6, {TargetType::kComment, 20}).status().reason, "TARGET_NOT_FOUND");
  auto user_report = Report(5, {TargetType::kUser, kAuthor});
  ASSERT_TRUE(user_report.ok());
  EXPECT_TRUE(users_.users[kAuthor].hidden);

  // Dismissing one report resolves every open report on its target and shows it again.
  auto reports = service_->ListReports(kAdmin, ReportStatus::kOpen, 0, 100);
  ASSERT_EQ(reports->items.size(), 9u);
  auto video_report = std::find_if(reports->items.begin(), reports->items.end(), [](const auto& r) {
    return r.target.type == TargetType::kVideo;
  });
  auto resolved = service_->ResolveReport(kAdmin, video_report->id, "dismiss", "not spam");
  ASSERT_TRUE(resolved.ok()) << resolved.status().message;
  EXPECT_EQ(resolved->status, ReportStatus::kDismissed);
  EXPECT_EQ(resolved->resolution, "not spam");
  EXPECT_EQ(videos_.videos[10].status, video::v1::APPROVED);
  EXPECT_EQ(service_->ListReports(kAdmin, ReportStatus::kOpen, 0, 100)->items.size(), 6u);
  EXPECT_EQ(service_->ResolveReport(kAdmin, video_report->id, "dismiss", "").status().reason,
            "REPORT_RESOLVED");

  ASSERT_TRUE(service_->ResolveReport(kAdmin, user_report->report.id, "dismiss", "").ok());
  EXPECT_FALSE(users_.users[kAuthor].hidden);
  EXPECT_EQ(Actions(), (std::vector<std::string>{"dismiss_report", "dismiss_report", "hide_target",
                                                 "hide_target", "hide_target"}));
}

TEST_F(ModerationServiceTest, DismissLeavesATargetReportsDidNotHide) {
  auto report = Report(3, {TargetType::kVideo, 10});
  videos_.videos[10].status = video::v1::REJECTED;  // a moderator's decision meanwhile
  ASSERT_TRUE(service_->ResolveReport(kAdmin, report->report.id, "dismiss", "").ok());
  EXPECT_EQ(videos_.videos[10].status, video::v1::REJECTED);
}

TEST_F(ModerationServiceTest, RemoveRejectsAVideoAndKeepsACommentHidden) {
  auto video_report = Report(3, {TargetType::kVideo, 10});
  auto comment_report = Report(3, {TargetType::kComment, 20});
  ASSERT_TRUE(service_->ResolveReport(kAdmin, video_report->report.id, "remove", "stolen").ok());
  EXPECT_EQ(videos_.videos[10].status, video::v1::REJECTED);
  EXPECT_EQ(videos_.videos[10].reason, "stolen");
  auto removed = service_->ResolveReport(kAdmin, comment_report->report.id, "remove", "");
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->status, ReportStatus::kActioned);
  EXPECT_TRUE(comments_.comments[20].hidden);
  EXPECT_EQ(service_->ResolveReport(kAdmin, 999, "remove", "").status().reason, "REPORT_NOT_FOUND");
  auto other = Report(4, {TargetType::kUser, kAuthor});
  EXPECT_EQ(service_->ResolveReport(kAdmin, other->report.id, "ban", "").status().reason,
            "ACTION_INVALID");
  EXPECT_FALSE(users_.users[kAuthor].hidden);
}

TEST_F(ModerationServiceTest, AFailedHideIsRetriedByTheNextReport) {
  users_.down = true;
  for (std::int64_t r : {3, 4, 5}) ASSERT_TRUE(Report(r, {TargetType::kUser, kAuthor}).ok());
  EXPECT_FALSE(users_.users[kAuthor].hidden);
  users_.down = false;
  ASSERT_TRUE(Report(6, {TargetType::kUser, kAuthor}).ok());
  EXPECT_TRUE(users_.users[kAuthor].hidden);
}

TEST_F(ModerationServiceTest, OnlyModeratorsModerate) {
  const std::int64_t plain = 3;
  EXPECT_EQ(service_->ListReports(plain, ReportStatus::kOpen, 0, 0).status().reason,
            "NOT_A_MODERATOR");
  EXPECT_EQ(service_->ResolveReport(plain, 1, "dismiss", "").status().reason, "NOT_A_MODERATOR");
  EXPECT_EQ(service_->ReviewVideo(plain, 10, true, "").reason, "NOT_A_MODERATOR");
  EXPECT_EQ(service_->SetModerator(plain, 4, true).reason, "NOT_A_MODERATOR");
  EXPECT_EQ(service_->ListActions(plain, 0, 0).status().reason, "NOT_A_MODERATOR");
  EXPECT_FALSE(*service_->IsModerator(plain));
  EXPECT_TRUE(*service_->IsModerator(kAdmin));
  EXPECT_TRUE(*service_->IsModerator(kRoleMod));
  // A moderator by role moderates but may not grant.
  EXPECT_TRUE(service_->ReviewVideo(kRoleMod, 10, true, "").ok());
  EXPECT_EQ(service_->SetModerator(kRoleMod, 4, true).reason, "CONFIGURED_MODERATORS_ONLY");

  ASSERT_TRUE(service_->SetModerator(kAdmin, plain, true).ok());
  EXPECT_EQ(users_.users[plain].role, "moderator");
  EXPECT_TRUE(*service_->IsModerator(plain));
  EXPECT_TRUE(service_->ListReports(plain, ReportStatus::kOpen, 0, 0).ok());
  ASSERT_TRUE(service_->SetModerator(kAdmin, plain, false).ok());
  EXPECT_FALSE(*service_->IsModerator(plain));
  EXPECT_EQ(service_->SetModerator(kAdmin, 404, true).reason, "USER_NOT_FOUND");
}

TEST_F(ModerationServiceTest, ReviewNeedsAReasonToRejectAndIsLogged) {
  videos_.videos[11] = {kAuthor, video::v1::PENDING};
  EXPECT_EQ(service_->ReviewVideo(kAdmin, 11, false, "").reason, "REASON_INVALID");
  EXPECT_EQ(service_->ReviewVideo(kAdmin, 11, false, " \n ").reason, "REASON_INVALID");
  EXPECT_EQ(service_->ReviewVideo(kAdmin, 11, false, std::string(501, 'x')).reason,
            "REASON_INVALID");
  EXPECT_EQ(videos_.videos[11].status, video::v1::PENDING);
  ASSERT_TRUE(service_->ReviewVideo(kAdmin, 11, false, "blurry").ok());
  EXPECT_EQ(videos_.videos[11].status, video::v1::REJECTED);
  EXPECT_EQ(videos_.videos[11].reason, "blurry");
  ASSERT_TRUE(service_->ReviewVideo(kAdmin, 11, true, "").ok());
  EXPECT_EQ(videos_.videos[11].status, video::v1::APPROVED);
  EXPECT_EQ(service_->ReviewVideo(kAdmin, 404, true, "").reason, "VIDEO_NOT_FOUND");

  auto log = service_->ListActions(kAdmin, 0, 0);
  ASSERT_EQ(log->items.size(), 2u);
  EXPECT_EQ(log->items[0].action, "approve_video");
  EXPECT_EQ(log->items[1].action, "reject_video");
  EXPECT_EQ(log->items[1].reason, "blurry");
  EXPECT_EQ(log->items[1].moderator_id, kAdmin);
  EXPECT_EQ(log->items[1].target, (Target{TargetType::kVideo, 11}));
  EXPECT_EQ(service_->ListActions(kAdmin, 0, 101).status().reason, "PARAM_INVALID");
}

}  // namespace
}  // namespace reel::moderation

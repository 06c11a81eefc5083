// The user and video APIs over real gRPC on 127.0.0.1: the real <Svc>Rpc on its real SQLite
// store, served by <Svc>GrpcService on an rpc::GrpcServer (port 0), called through
// Grpc<Svc>Client. Writes are read back over the wire; business errors must arrive with the
// code, reason and message the in-process Rpc gives for the same request; batch calls carry
// many ids in one request. (Favorite, comment, relation: grpc_interactions_transport_test.cpp.)
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/grpc_transport_testing.hpp"
#include "kit/auth/password_hasher.hpp"
#include "kit/auth/token_signer.hpp"
#include "kit/blob/local_blob_store.hpp"
#include "kit/db/sqlite.hpp"
#include "kit/events/commit_hook.hpp"
#include "user/api/user_grpc_client.hpp"
#include "user/api/user_grpc_service.hpp"
#include "user/api/user_rpc.hpp"
#include "user/store/sql_session_repository.hpp"
#include "user/store/sql_user_repository.hpp"
#include "user/store/user_migrations.hpp"
#include "video/api/video_grpc_client.hpp"
#include "video/api/video_grpc_service.hpp"
#include "video/api/video_rpc.hpp"
#include "video/store/sql_video_repository.hpp"
#include "video/store/video_migrations.hpp"

namespace reel {
namespace {

using namespace std::chrono_literals;
using namespace grpc_testing;

// ---------------------------------------------------------------------------------------
// user

// Profile changes with pictures are in-process only (UserRpc::ChangeProfile): none here.
class NoPictures final : public user::ProfilePictures {
 public:
  Result<std::unique_ptr<user::PreparedPicture>> Prepare(user::ProfileImageKind,
                                                         const std::string&) override {
    return Internal("no pictures over gRPC");
  }
  Status Keep(user::PreparedPicture&) override { return Internal("no pictures over gRPC"); }
};

struct UserStack {
  TempDir dir;
  std::unique_ptr<db::SqliteDb> db = OpenStore(dir, "user", user::UserMigrations());
  user::SqlUserRepository repository{*db};
  user::SqlSessionRepository sessions{*db};
  ManualClock clock;
  auth::PasswordHasher hasher{auth::Argon2Params{.ops = 1, .memory_kib = 8 * 1024}};
  auth::TokenSigner signer{auth::TokenConfig{std::string(32, 'k'), 1h, 24h}, clock};
  user::LoginThrottle failed_logins{user::LoginThrottleConfig{.name_and_address = {0.1, 3}}, clock};
  events::NoCommitHook events;
  user::UserService service{repository, sessions, hasher, signer, failed_logins, clock, events};
  NoPictures pictures;
  user::ProfileEditor profiles{service, pictures};
  user::UserRpc rpc{service, profiles};
  user::UserGrpcService grpc{rpc};
  Wire<user::GrpcUserClient> wire{grpc};
  user::GrpcUserClient& client = *wire.client;
};

class UserOverGrpc : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { auth::InitCrypto(); }

  static user::v1::RegisterRequest Registration(std::string name, std::string password) {
    user::v1::RegisterRequest request;
    request.set_username(std::move(name));
    request.set_password(std::move(password));
    return request;
  }

  UserStack s;
};

TEST_F(UserOverGrpc, AccountsAndProfilesRoundTrip) {
  const auto registered = Ok(s.client.Register(Registration("alice", "secret1")));
  ASSERT_GT(registered.user_id(), 0);
  EXPECT_FALSE(registered.tokens().access_token().empty());
  EXPECT_EQ(registered.tokens().access_expires_in_seconds(), 3600);

  user::v1::LoginRequest login;
  login.set_username("alice");
  login.set_password("secret1");
  EXPECT_EQ(Ok(s.client.Login(login)).user_id(), registered.user_id());

  user::v1::RefreshRequest refresh;
  refresh.set_refresh_token(registered.tokens().refresh_token());
  EXPECT_EQ(Ok(s.client.Refresh(refresh)).user_id(), registered.user_id());

  // validate_only and the optional fields' presence survive the wire: nothing changes.
  user::v1::UpdateProfileRequest check;
  check.set_user_id(registered.user_id());
  check.set_name("bob");
  check.set_validate_only(true);
  EXPECT_EQ(Ok(s.client.UpdateProfile(check)).user().name(), "alice");

  user::v1::UpdateProfileRequest update;
  update.set_user_id(registered.user_id());
  update.set_signature("hello over the wire");
  EXPECT_EQ(Ok(s.client.UpdateProfile(update)).user().signature(), "hello over the wire");

  user::v1::GetUserRequest get;
  get.set_user_id(registered.user_id());
  const auto got = Ok(s.client.GetUser(get));
  EXPECT_EQ(got.user().id(), registered.user_id());
  EXPECT_EQ(got.user().name(), "alice");
  EXPECT_EQ(got.user().signature(), "hello over the wire");
}

TEST_F(UserOverGrpc, SessionsDeviceTokensAndAddressesCrossTheWire) {
  const auto registered = Ok(s.client.Register(Registration("alice", "secret1")));
  EXPECT_FALSE(registered.device_token().empty());

  // The client address travels: three failures from A throttle A, not B.
  user::v1::LoginRequest wrong;
  wrong.set_username("alice");
  wrong.set_password("wrong!!");
  wrong.set_client_ip("203.0.113.9");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(s.client.Login(wrong).status().reason, "LOGIN_FAILED");
  }
  user::v1::LoginRequest right = wrong;
  right.set_password("secret1");
  EXPECT_EQ(s.client.Login(right).status().reason, "LOGIN_THROTTLED");
  // ... and so does the device token, which lets the owner in from A too.
  right.set_device_token(registered.device_token());
  const auto login = Ok(s.client.Login(right));
  EXPECT_FALSE(login.device_token().empty());
  right.clear_device_token();
  right.set_client_ip("198.51.100.4");
  EXPECT_TRUE(s.client.Login(right).ok());

  // Rotation, reuse detection, logout and the write check.
  user::v1::RefreshRequest refresh;
  refresh.set_refresh_token(login.tokens().refresh_token());
  const auto rotated = Ok(s.client.Refresh(refresh));
  EXPECT_FALSE(rotated.tokens().refresh_token().empty());
  EXPECT_EQ(s.client.Refresh(refresh).status().reason, "TOKEN_REUSED");  // and revoked now
  ExpectSameError(s.client.Refresh(refresh), s.rpc.Refresh(refresh), "TOKEN_REVOKED");
  const auto session_id =
      s.signer.Verify(login.tokens().access_token(), auth::TokenType::kAccess)->binding.session_id;
  user::v1::CheckSessionRequest check;
  check.set_user_id(registered.user_id());
  check.set_session_id(session_id);
  ExpectSameError(s.client.CheckSession(check), s.rpc.CheckSession(check), "TOKEN_REVOKED");
  check.set_session_id(0);
  EXPECT_TRUE(s.client.CheckSession(check).ok());
  check.set_user_id(424242);
  ExpectSameError(s.client.CheckSession(check), s.rpc.CheckSession(check), "TOKEN_INVALID");

  user::v1::LogoutRequest logout;
  logout.set_access_token(registered.tokens().access_token());
  const auto out = Ok(s.client.Logout(logout));
  EXPECT_EQ(out.user_id(), registered.user_id());
  EXPECT_TRUE(out.revoked());
  EXPECT_FALSE(Ok(s.client.Logout(logout)).revoked());

  user::v1::ChangePasswordRequest change;
  change.set_user_id(registered.user_id());
  change.set_old_password("secret1");
  change.set_new_password("new-secret");
  change.set_client_ip("198.51.100.4");
  const auto changed = Ok(s.client.ChangePassword(change));
  EXPECT_EQ(changed.user_id(), registered.user_id());
  refresh.set_refresh_token(changed.tokens().refresh_token());
  EXPECT_TRUE(s.client.Refresh(refresh).ok());
  ExpectSameError(s.client.ChangePassword(change), s.rpc.ChangePassword(change),
                  "PASSWORD_INCORRECT");
}

TEST_F(UserOverGrpc, ErrorsArriveAsTheServiceGaveThem) {
  ASSERT_TRUE(s.rpc.Register(Registration("alice", "secret1")).ok());

  const auto taken = Registration("ALICE", "another1");
  ExpectSameError(s.client.Register(taken), s.rpc.Register(taken), "USERNAME_TAKEN");
  EXPECT_EQ(s.client.Register(taken).status().code, Code::kAlreadyExists);

  user::v1::LoginRequest wrong;
  wrong.set_username("alice");
  wrong.set_password("secret2");
  ExpectSameError(s.client.Login(wrong), s.rpc.Login(wrong), "LOGIN_FAILED");

  user::v1::GetUserRequest missing;
  missing.set_user_id(424242);
  ExpectSameError(s.client.GetUser(missing), s.rpc.GetUser(missing), "USER_NOT_FOUND");

  user::v1::UpdateProfileRequest nothing;
  nothing.set_user_id(1);
  ExpectSameError(s.client.UpdateProfile(nothing), s.rpc.UpdateProfile(nothing), "PARAM_MISSING");

  user::v1::ListUserIdsRequest too_many;
  too_many.set_limit(5000);
  ExpectSameError(s.client.ListUserIds(too_many), s.rpc.ListUserIds(too_many), "PARAM_INVALID");
}

TEST_F(UserOverGrpc, ManyUsersInOneCall) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 40; ++i) {
    ids.push_back(
        Ok(s.rpc.Register(Registration("user" + std::to_string(i), "secret1"))).user_id());
  }

  user::v1::BatchGetUsersRequest batch;
  for (auto it = ids.rbegin(); it != ids.rend(); ++it) batch.add_user_ids(*it);
  batch.add_user_ids(900001);  // unknown ids are left out
  const auto users = Ok(s.client.BatchGetUsers(batch));
  ASSERT_EQ(users.users_size(), 40);
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(users.users(i).id(), ids[39 - i]);
    EXPECT_EQ(users.users(i).name(), "user" + std::to_string(39 - i));
  }

  std::vector<std::int64_t> listed;
  user::v1::ListUserIdsRequest page;
  page.set_limit(15);
  for (int pages = 0; pages < 10; ++pages) {
    const auto reply = Ok(s.client.ListUserIds(page));
    listed.insert(listed.end(), reply.user_ids().begin(), reply.user_ids().end());
    if (reply.next_after_id() == 0) break;
    page.set_after_id(reply.next_after_id());
  }
  EXPECT_EQ(listed, ids);
}

TEST_F(UserOverGrpc, ReadsAreRetriedOnAnotherInstanceWritesAreNot) {
  ASSERT_TRUE(s.client.ListUserIds({}).ok());  // the breaker has seen the service answer
  ScriptedChannels& channels = *s.wire.channels;
  ExpectRetriedRead(channels, "GetUser", [&] { return s.client.GetUser({}); });
  ExpectRetriedRead(channels, "BatchGetUsers", [&] { return s.client.BatchGetUsers({}); });
  ExpectRetriedRead(channels, "ListUserIds", [&] { return s.client.ListUserIds({}); });
  ExpectRetriedRead(channels, "CheckSession", [&] { return s.client.CheckSession({}); });
  ExpectUnretriedWrite(channels, "Register", [&] { return s.client.Register({}); });
  ExpectUnretriedWrite(channels, "Login", [&] { return s.client.Login({}); });
  ExpectUnretriedWrite(channels, "Refresh", [&] { return s.client.Refresh({}); });
  ExpectUnretriedWrite(channels, "Logout", [&] { return s.client.Logout({}); });
  ExpectUnretriedWrite(channels, "ChangePassword", [&] { return s.client.ChangePassword({}); });
  ExpectUnretriedWrite(channels, "UpdateProfile", [&] { return s.client.UpdateProfile({}); });
}

TEST(UserClientOverGrpc, UnreachableServiceIsUnavailableAndOpensTheBreaker) {
  rpc::RpcConfig config;
  config.deadline = 1s;
  config.retry_jitter = 5ms;
  SystemClock clock;
  user::GrpcUserClient client(
      std::make_unique<rpc::DynamicChannelSet>(std::vector<std::string>{DeadAddress()}), config,
      clock);
  user::v1::GetUserRequest get;
  get.set_user_id(1);
  const auto reply = client.GetUser(get);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code, Code::kUnavailable);
  EXPECT_EQ(reply.status().reason, "DEPENDENCY_UNAVAILABLE");
  EXPECT_GT(client.breaker().RejectProbability(), 0.0);
}

// ---------------------------------------------------------------------------------------
// video

struct VideoStack : VideoServiceOnDisk {
  video::VideoGrpcService grpc{rpc};
  Wire<video::GrpcVideoClient> wire{grpc};
  video::GrpcVideoClient& client = *wire.client;
};

class VideoOverGrpc : public ::testing::Test {
 protected:
  video::v1::Video Create(std::int64_t author, std::vector<std::string> tags = {}) {
    s.clock.Advance(5ms);  // created_at_ms is the feed's cursor
    video::v1::CreateVideoRequest request;
    request.set_author_id(author);
    request.set_title("a title");
    request.set_description("a description");
    request.set_media_key(VideoStack::Key());
    for (std::string& tag : tags) request.add_tags(std::move(tag));
    return Ok(s.client.CreateVideo(request)).video();
  }
  std::vector<video::v1::Video> Get(const std::vector<std::int64_t>& ids) {
    video::v1::GetVideosRequest request;
    request.mutable_video_ids()->Add(ids.begin(), ids.end());
    const auto reply = Ok(s.client.GetVideos(request));
    return {reply.videos().begin(), reply.videos().end()};
  }

  VideoStack s;
};

TEST_F(VideoOverGrpc, PublishEditAndDeleteRoundTrip) {
  const video::v1::Video made = Create(7, {" Cats ", "cats", "Dogs"});
  ASSERT_GT(made.id(), 0);
  EXPECT_EQ(std::vector<std::string>(made.tags().begin(), made.tags().end()),
            (std::vector<std::string>{"cats", "dogs"}));

  const auto found = Get({made.id()});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].author_id(), 7);
  EXPECT_EQ(found[0].play_key(), VideoStack::Key());
  EXPECT_EQ(found[0].width(), 320);
  EXPECT_EQ(found[0].duration_ms(), 2000);
  EXPECT_EQ(found[0].created_at_ms(), made.created_at_ms());

  // Only the fields that are set change; tags stay unless replace_tags says otherwise.
  video::v1::UpdateVideoRequest retitle;
  retitle.set_video_id(made.id());
  retitle.set_author_id(7);
  retitle.set_title("a new title");
  const auto retitled = Ok(s.client.UpdateVideo(retitle)).video();
  EXPECT_EQ(retitled.title(), "a new title");
  EXPECT_EQ(retitled.description(), "a description");
  EXPECT_EQ(retitled.tags_size(), 2);

  video::v1::UpdateVideoRequest untag;
  untag.set_video_id(made.id());
  untag.set_author_id(7);
  untag.set_replace_tags(true);
  EXPECT_EQ(Ok(s.client.UpdateVideo(untag)).video().tags_size(), 0);

  video::v1::DeleteVideoRequest remove;
  remove.set_video_id(made.id());
  remove.set_author_id(7);
  ASSERT_TRUE(s.client.DeleteVideo(remove).ok());
  EXPECT_TRUE(Get({made.id()}).empty());
}

TEST_F(VideoOverGrpc, ErrorsArriveAsTheServiceGaveThem) {
  const video::v1::Video made = Create(7);

  video::v1::CreateVideoRequest unknown_media;
  unknown_media.set_author_id(7);
  unknown_media.set_title("t");
  unknown_media.set_media_key(std::string(64, 'b') + ".mp4");
  ExpectSameError(s.client.CreateVideo(unknown_media), s.rpc.CreateVideo(unknown_media),
                  "MEDIA_NOT_FOUND");

  video::v1::CreateVideoRequest not_uploaded;  // someone else's upload
  not_uploaded.set_author_id(VideoStack::kUploaders + 1);
  not_uploaded.set_title("t");
  not_uploaded.set_media_key(VideoStack::Key());
  ExpectSameError(s.client.CreateVideo(not_uploaded), s.rpc.CreateVideo(not_uploaded),
                  "MEDIA_NOT_YOURS");
  EXPECT_EQ(s.client.CreateVideo(not_uploaded).status().code, Code::kPermissionDenied);

  video::v1::UpdateVideoRequest stranger;
  stranger.set_video_id(made.id());
  stranger.set_author_id(8);
  stranger.set_title("mine now");
  ExpectSameError(s.client.UpdateVideo(stranger), s.rpc.UpdateVideo(stranger), "VIDEO_NOT_YOURS");
  EXPECT_EQ(s.client.UpdateVideo(stranger).status().code, Code::kPermissionDenied);

  video::v1::UpdateVideoRequest nothing;
  nothing.set_video_id(made.id());
  nothing.set_author_id(7);
  ExpectSameError(s.client.UpdateVideo(nothing), s.rpc.UpdateVideo(nothing), "PARAM_MISSING");

  video::v1::DeleteVideoRequest missing;
  missing.set_video_id(made.id() + 1000);
  missing.set_author_id(7);
  ExpectSameError(s.client.DeleteVideo(missing), s.rpc.DeleteVideo(missing), "VIDEO_NOT_FOUND");

  video::v1::ListVideosRequest both;
  both.set_author_id(7);
  both.add_author_ids(8);
  ExpectSameError(s.client.ListVideos(both), s.rpc.ListVideos(both), "AUTHORS_INVALID");

  EXPECT_EQ(Get({made.id()}).at(0).title(), "a title");  // refused edits changed nothing
}

TEST_F(VideoOverGrpc, ManyVideosAndAuthorsInOneCall) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 30; ++i) ids.push_back(Create(1 + i % 3).id());

  std::vector<std::int64_t> asked(ids.rbegin(), ids.rend());
  asked.insert(asked.begin() + 5, ids.back() + 500);  // unknown ids are left out
  const auto found = Get(asked);
  ASSERT_EQ(found.size(), 30u);
  for (std::size_t i = 0; i < found.size(); ++i) EXPECT_EQ(found[i].id(), ids[29 - i]);

  video::v1::CountWorksRequest count;
  for (std::int64_t author : {1, 2, 3, 4}) count.add_author_ids(author);
  const auto works = Ok(s.client.CountWorks(count)).work_counts();
  EXPECT_EQ(works.size(), 3u);
  EXPECT_EQ(works.at(1), 10);
  EXPECT_EQ(works.at(3), 10);
  EXPECT_FALSE(works.contains(4));

  // The following feed's shape: two authors at once, newest first, paged by time.
  std::vector<std::int64_t> listed;
  video::v1::ListVideosRequest page;
  page.add_author_ids(1);
  page.add_author_ids(2);
  page.set_limit(7);
  for (int pages = 0; pages < 10; ++pages) {
    const auto reply = Ok(s.client.ListVideos(page));
    for (const auto& v : reply.videos()) listed.push_back(v.id());
    if (reply.videos_size() < page.limit()) break;
    page.set_before_ms(reply.next_before_ms());
  }
  std::vector<std::int64_t> expected;
  for (int i = 29; i >= 0; --i) {
    if (i % 3 != 2) expected.push_back(ids[i]);
  }
  EXPECT_EQ(listed, expected);
}

TEST_F(VideoOverGrpc, ReadsAreRetriedOnAnotherInstanceWritesAreNot) {
  ASSERT_TRUE(s.client.GetVideos({}).ok());  // the breaker has seen the service answer
  ScriptedChannels& channels = *s.wire.channels;
  ExpectRetriedRead(channels, "GetVideos", [&] { return s.client.GetVideos({}); });
  ExpectRetriedRead(channels, "ListVideos", [&] { return s.client.ListVideos({}); });
  ExpectRetriedRead(channels, "CountWorks", [&] { return s.client.CountWorks({}); });
  ExpectUnretriedWrite(channels, "CreateVideo", [&] { return s.client.CreateVideo({}); });
  ExpectUnretriedWrite(channels, "UpdateVideo", [&] { return s.client.UpdateVideo({}); });
  ExpectUnretriedWrite(channels, "DeleteVideo", [&] { return s.client.DeleteVideo({}); });
}

}  // namespace
}  // namespace reel

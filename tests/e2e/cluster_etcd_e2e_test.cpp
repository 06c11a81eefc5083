// A local cluster whose services find each other through etcd instead of static addresses:
// every `reel serve` registers its gRPC address under a lease and watches the others'.
// The test starts a real etcd (Debian etcd-server), checks that all seven services registered,
// that the API works end to end over the discovered channels, and that a killed service's
// registration expires with its lease and comes back when it restarts. Cluster mode only.
#include <unistd.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "interactions_fixture.hpp"
#include "kit/rpc/etcd_client.hpp"
#include "kit/rpc/etcd_test_server.hpp"

namespace reel::e2e {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kServices[] = {"user", "video",    "favorite",  "comment",
                                     "feed", "relation", "moderation"};
// A lease this short makes a crashed instance vanish quickly; keep-alives go every third.
constexpr auto kLeaseTtl = seconds(2);
constexpr auto kSettle = seconds(15);

class ClusterEtcdTest : public InteractionTest {
 protected:
  static void SetUpTestSuite() {
    InteractionTest::SetUpTestSuite();  // the media fixtures
    if (!ClusterMode()) return;
    etcd_ = new rpc::testing::EtcdTestServer();
    start_error_ = etcd_->Start();
  }
  static void TearDownTestSuite() {
    delete etcd_;
    etcd_ = nullptr;
    InteractionTest::TearDownTestSuite();
  }

  void SetUp() override {
    if (!ClusterMode()) GTEST_SKIP() << "cluster test: runs with E2E_TARGET=cluster";
    ASSERT_EQ(start_error_, "") << "etcd did not start (scripts/test installs etcd-server)";
    InteractionTest::SetUp();
  }

  ServerOptions Options() const override {
    ServerOptions options = InteractionTest::Options();
    options.env["REEL_RPC_ETCD_ENDPOINTS"] = etcd_ ? etcd_->endpoint() : "";
    options.env["REEL_RPC_ETCD_PREFIX"] = Prefix();
    options.env["REEL_RPC_ETCD_LEASE_TTL"] = "2s";
    options.env["REEL_RPC_BREAKER_WINDOW"] = "2s";
    for (const char* service : kServices) {
      std::string upper(service);
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      options.env["REEL_RPC_" + upper + "_TARGET"] = "etcd";
    }
    return options;
  }

  static std::string Prefix() { return "/reel-e2e-" + std::to_string(::getpid()) + "/"; }

  // service → registered addresses, as etcd has them now.
  std::map<std::string, int> Registered() {
    rpc::EtcdClient etcd({etcd_->endpoint()});
    std::map<std::string, int> out;
    auto snapshot = etcd.GetPrefix(Prefix());
    EXPECT_TRUE(snapshot.ok()) << snapshot.status().message;
    if (!snapshot.ok()) return out;
    for (const auto& [key, value] : snapshot->values) {
      const std::string rest = key.substr(Prefix().size());
      ++out[rest.substr(0, rest.find('/'))];
    }
    return out;
  }

  // Waits until `favorite` has `count` registrations.
  bool WaitForFavoriteRegistrations(int count) {
    const auto deadline = Clock::now() + kSettle;
    while (Clock::now() < deadline) {
      if (Registered()["favorite"] == count) return true;
      std::this_thread::sleep_for(milliseconds(100));
    }
    return false;
  }

  void Script(const std::string& command, const std::string& service) {
    const ProcessResult run = Server().RunClusterScript({command, service});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  }

  static inline rpc::testing::EtcdTestServer* etcd_ = nullptr;
  static inline std::string start_error_;
};

TEST_F(ClusterEtcdTest, ServicesFindEachOtherThroughEtcdAndFollowItsChanges) {
  // Every service registered itself, each replica (the e2e-engines run has two).
  const auto registered = Registered();
  for (const char* service : kServices) {
    EXPECT_EQ(registered.count(service) ? registered.at(service) : 0, ClusterReplicas()) << service;
  }

  // The API end to end: video asks user, favorite and comment ask video, the feed asks all.
  const DouyinSession author = NewUser("author");
  const DouyinSession fan = NewUser("fan");
  const std::int64_t video = PublishVideo(author, "found through etcd");
  ASSERT_GT(video, 0);
  ASSERT_TRUE(IsOk(Like(Client(), fan, video)));
  ASSERT_TRUE(IsOk(PostComment(Client(), fan, video, "hello")));
  EXPECT_EQ(VideoCountsOf(video, fan.token),
            (VideoCounts{.favorite_count = 1, .comment_count = 1, .is_favorite = true}));

  // A crash revokes nothing: the registration goes when its lease runs out.
  Script("kill", "favorite");
  const auto killed = Clock::now();
  ASSERT_TRUE(WaitForFavoriteRegistrations(0)) << "favorite still registered";
  EXPECT_LT(Clock::now() - killed, kLeaseTtl + seconds(5));
  // Meanwhile the feed answers without likes.
  EXPECT_EQ(VideoCountsOf(video, fan.token).favorite_count, 0);

  // Back: registered again, found through the watch, and the like shows again.
  Script("restart", "favorite");
  ASSERT_TRUE(WaitForFavoriteRegistrations(ClusterReplicas())) << "favorite did not register again";
  const auto deadline = Clock::now() + kSettle;
  VideoCounts counts;
  while (Clock::now() < deadline) {
    counts = VideoCountsOf(video, fan.token);
    if (counts.favorite_count == 1) break;
    std::this_thread::sleep_for(milliseconds(200));
  }
  EXPECT_EQ(counts, (VideoCounts{.favorite_count = 1, .comment_count = 1, .is_favorite = true}));
}

}  // namespace
}  // namespace reel::e2e

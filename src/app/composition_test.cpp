// `reel all` and the `reel serve` processes are put together from the same modules
// (modules.cpp), so they cannot drift: what the cluster serves between its six processes is
// what `reel all` serves, but for the web client, which the cluster's edge serves.
#include "app/composition.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "app/all_in_one.hpp"
#include "app/module_consumer.hpp"
#include "app/modules.hpp"
#include "kit/auth/password_hasher.hpp"
#include "kit/bus/in_process_bus.hpp"
#include "kit/events/event_wire.hpp"

namespace reel::app {
namespace {

namespace fs = std::filesystem;
using events::EventKind;
using Routes = std::set<std::string>;  // "METHOD /pattern"

// A process's core with the bus of one process (what OpenBus gives `reel all`).
Core& WithBus(Core& core) {
  core.bus = std::make_unique<bus::InProcessBus>();
  return core;
}

class CompositionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { auth::InitCrypto(); }
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            ("reel_composition_" + std::to_string(getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // The settings of a process of its own under the test's directory.
  AppConfig& ConfigFor(std::string_view name) {
    AppConfig& config = configs_[std::string(name)];
    config.data_dir = (root_ / name).string();
    config.http.spool_dir = (root_ / name / "tmp").string();
    config.media.dir = (root_ / "media").string();
    config.auth.jwt_secret = std::string(32, 's');
    config.auth.argon2 = {.ops = 1, .memory_kib = 8 * 1024};
    fs::create_directories(config.data_dir);
    return config;
  }

  static Routes RoutesOf(http::Router router) {
    Routes out;
    for (const http::Route& route : router.routes()) out.insert(route.method + " " + route.pattern);
    return out;
  }

  fs::path root_;
  std::map<std::string, AppConfig> configs_;  // stable addresses: Cores keep references
};

TEST_F(CompositionTest, TheServiceProcessesHostEveryModuleOfReelAllButTheWebClient) {
  std::multiset<std::string_view> hosted;
  for (const ProcessSpec& process : ServiceProcesses()) {
    for (const ModuleSpec* module : ModulesOf(process)) hosted.insert(module->name);
  }
  std::multiset<std::string_view> all;
  for (const ModuleSpec* module : ModulesOf(AllInOneProcess())) all.insert(module->name);
  // /media is served by video for the cluster and by user for its pictures when run alone.
  std::multiset<std::string_view> expected = all;
  expected.erase("web");
  expected.insert("media");
  EXPECT_EQ(hosted, expected);
  // Every module is in `reel all`.
  EXPECT_EQ(all.size(), AllModules().size());
}

TEST_F(CompositionTest, ReelAllAndTheServiceProcessesServeTheSameRoutes) {
  AllInOne all(ConfigFor("all"));
  const Routes all_routes = RoutesOf(all.Routes());

  Routes cluster_routes;
  for (const ProcessSpec& process : ServiceProcesses()) {
    SCOPED_TRACE(std::string(process.name));
    // A service process over the all-in-one's services as its "remote" clients: its own
    // modules replace the ones it hosts.
    Core core(ConfigFor(process.name));
    Composition modules(WithBus(core), ModulesOf(process), all.clients(), process.http_port,
                        std::string(process.name));
    const Routes routes = RoutesOf(modules.Routes());
    cluster_routes.insert(routes.begin(), routes.end());
    // The job service consumes events: it serves no HTTP route but health (added by Serve).
    EXPECT_EQ(routes.empty(), process.name == "job");
    // Each serves its own service's gRPC and no other.
    EXPECT_EQ(modules.GrpcServices().size(), 1u);
  }

  // The web client's routes are the only difference: in a cluster the edge serves them.
  Routes only_in_all;
  std::ranges::set_difference(all_routes, cluster_routes,
                              std::inserter(only_in_all, only_in_all.end()));
  EXPECT_EQ(only_in_all, (Routes{"GET /api/docs"}));
  Routes only_in_cluster;
  std::ranges::set_difference(cluster_routes, all_routes,
                              std::inserter(only_in_cluster, only_in_cluster.end()));
  EXPECT_TRUE(only_in_cluster.empty()) << *only_in_cluster.begin();
  EXPECT_GT(all_routes.size(), 40u);  // not vacuous: every service's routes are there
}

TEST_F(CompositionTest, AProcessCallsItsOwnServiceInProcessAndTheRestThroughItsClients) {
  AllInOne all(ConfigFor("all"));
  const ProcessSpec favorite = *FindService("favorite");
  Core core(ConfigFor("favorite"));
  Composition modules(WithBus(core), ModulesOf(favorite), all.clients(), favorite.http_port,
                      "favorite");
  EXPECT_NE(modules.clients().favorites, all.clients().favorites);  // its own FavoriteRpc
  EXPECT_EQ(modules.clients().videos, all.clients().videos);        // the "remote" one
  EXPECT_EQ(modules.clients().users, all.clients().users);
  EXPECT_TRUE(fs::exists(root_ / "favorite" / "favorite.db"));  // its own database
  EXPECT_FALSE(fs::exists(root_ / "favorite" / "reel.db"));
}

TEST_F(CompositionTest, AModuleBuiltBeforeAServiceItNeedsIsNamed) {
  // favorite asks the video service which videos exist; without one it cannot be built.
  Core core(ConfigFor("favorite"));
  const ModuleSpec* only_favorite[] = {FindModule("user"), FindModule("favorite")};
  try {
    Composition modules(WithBus(core), only_favorite, views::ServiceClients{}, 8083, "favorite");
    FAIL() << "built without a video client";
  } catch (const std::logic_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "module favorite needs the video client: build it after video");
  }
}

// A module consumes through a group of its own name, shared by its processes (one of them
// handles each event), unless it keeps state in every process (search: an index each).
TEST_F(CompositionTest, ModulesConsumeInGroupsNamedAfterThem) {
  EXPECT_EQ(ConsumerGroupOf(*FindModule("favorite"), "127.0.0.1:9083"), "favorite");
  EXPECT_EQ(ConsumerGroupOf(*FindModule("comment"), "127.0.0.1:9084"), "comment");
  EXPECT_EQ(ConsumerGroupOf(*FindModule("search"), "127.0.0.1:9082"), "search@127.0.0.1:9082");
}

// What the recording module below heard (a test's module has no other way out).
std::vector<EventKind> heard;

class RecordingModule final : public ServiceModule {
 public:
  void AddRoutes(http::Router&, const ModuleViews&) override {}
  void OnEvent(const events::Event& event) override { heard.push_back(event.kind); }
};

constexpr EventKind kRecorded[] = {EventKind::kVideoDeleted};
const ModuleSpec kRecordingModule{.name = "recorder",
                                  .make = [](ModuleContext&) -> std::unique_ptr<ServiceModule> {
                                    return std::make_unique<RecordingModule>();
                                  },
                                  .subscribes = kRecorded};

// In one process a module hears only the kinds it declares, as from another process.
TEST_F(CompositionTest, AModuleHearsOnlyTheKindsItSubscribesTo) {
  heard.clear();
  Core core(ConfigFor("one"));
  const ModuleSpec* modules[] = {FindModule("user"), &kRecordingModule};
  Composition composition(WithBus(core), modules, views::ServiceClients{}, 8080, "one");
  for (const events::Event& event : {events::MakeEvent(EventKind::kUserUpdated, 1, 1, 0),
                                     events::MakeEvent(EventKind::kVideoDeleted, 2, 1, 0),
                                     events::MakeEvent(EventKind::kVideoLiked, 2, 1, 0)}) {
    const bus::Message message{events::NewEventId(), events::AggregateOf(event),
                               events::ToWire(event).SerializeAsString()};
    core.bus->Publish({&message, 1});
  }
  EXPECT_EQ(heard, (std::vector<EventKind>{EventKind::kVideoDeleted}));
}

}  // namespace
}  // namespace reel::app

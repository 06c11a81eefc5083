// The layering rules on small trees made for each case, so a rule is known to catch what it
// is for (the real tree passing proves nothing on its own).
#include "layering_rules.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace reel::layering {
namespace {

namespace fs = std::filesystem;

class IncludeRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    src_ = fs::path(::testing::TempDir()) /
           ("reel_layering_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name()) /
           "src";
    fs::remove_all(src_.parent_path());
    // Two services, the kit, views and the wiring, each with one harmless file.
    Write("kit/status/status.hpp", "#pragma once\n#include <string>\n");
    Write("views/user_views.hpp", "#include \"user/api/user_client.hpp\"\n");
    Write("user/api/user_client.hpp", "#include \"user/v1/user.pb.h\"\n");
    Write("user/domain/user_service.hpp", "#include \"kit/status/status.hpp\"\n");
    Write("feed/domain/feed.hpp", "#include \"kit/status/status.hpp\"\n");
    Write("app/wiring.cpp", "#include \"user/domain/user_service.hpp\"\n");
  }
  void TearDown() override { fs::remove_all(src_.parent_path()); }

  void Write(const std::string& relative, const std::string& text) {
    const fs::path path = src_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }

  fs::path src_;
};

TEST_F(IncludeRulesTest, PublicPiecesOfAnotherServiceAreAllowed) {
  Write("feed/api/feed_routes.cpp",
        "#include \"user/api/user_client.hpp\"\n#include \"user/v1/user.pb.h\"\n"
        "#include \"views/user_views.hpp\"\n#include \"feed/domain/feed.hpp\"\n");
  Write("feed/api/feed_routes_test.cpp", "#include \"user/api/testing/fake_user_client.hpp\"\n");
  EXPECT_TRUE(CheckIncludes(src_).empty()) << Describe(CheckIncludes(src_));
}

TEST_F(IncludeRulesTest, AnotherServicesInternalsAreNamedWithFileAndLine) {
  Write("feed/api/feed_routes.cpp",
        "// the feed's routes\n#include <string>\n  #  include \"user/domain/user_service.hpp\"\n");
  const auto violations = CheckIncludes(src_);
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].where, "src/feed/api/feed_routes.cpp:3");
  EXPECT_EQ(violations[0].what, "user/domain/user_service.hpp");
  EXPECT_NE(violations[0].rule.find("user's internals"), std::string::npos);
}

TEST_F(IncludeRulesTest, TestDoublesAreForTestsOnly) {
  Write("feed/api/feed_routes.cpp", "#include \"user/api/testing/fake_user_client.hpp\"\n");
  EXPECT_EQ(CheckIncludes(src_).size(), 1u);
}

TEST_F(IncludeRulesTest, ViewsAreHeldToTheSameRule) {
  Write("views/video_views.cpp", "#include \"user/api/user_json.hpp\"\n");
  const auto violations = CheckIncludes(src_);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].where, "src/views/video_views.cpp:1");
}

TEST_F(IncludeRulesTest, TheKitIncludesNoModuleAndNobodyIncludesTheWiring) {
  Write("kit/http/x.cpp", "#include \"views/user_views.hpp\"\n");
  Write("feed/api/y.cpp", "#include \"app/wiring.hpp\"\n");
  const auto violations = CheckIncludes(src_);
  ASSERT_EQ(violations.size(), 2u) << Describe(violations);
  EXPECT_EQ(violations[0].where, "src/feed/api/y.cpp:1");
  EXPECT_EQ(violations[1].where, "src/kit/http/x.cpp:1");
}

TEST_F(IncludeRulesTest, AModuleFileIncludesTheModuleContractAndNothingElseOfTheWiring) {
  Write("feed/feed_module.cpp",
        "#include \"app/module.hpp\"\n#include \"app/app_config.hpp\"\n"
        "#include \"feed/domain/feed.hpp\"\n#include \"user/api/user_client.hpp\"\n");
  EXPECT_TRUE(CheckIncludes(src_).empty()) << Describe(CheckIncludes(src_));

  Write("feed/feed_module.hpp", "#include \"app/modules.hpp\"\n");       // not the contract
  Write("feed/api/feed_module.cpp", "#include \"app/module.hpp\"\n");    // not the module file
  Write("feed/feed_modules_test.cpp", "#include \"app/module.hpp\"\n");  // not a module file
  Write("feed/other_module.cpp", "#include \"user/domain/user_service.hpp\"\n");  // internals
  const auto violations = CheckIncludes(src_);
  ASSERT_EQ(violations.size(), 4u) << Describe(violations);
  EXPECT_EQ(violations[0].where, "src/feed/api/feed_module.cpp:1");
  EXPECT_EQ(violations[1].where, "src/feed/feed_module.hpp:1");
  EXPECT_EQ(violations[2].where, "src/feed/feed_modules_test.cpp:1");
  EXPECT_EQ(violations[3].where, "src/feed/other_module.cpp:1");
  EXPECT_NE(violations[3].rule.find("user's internals"), std::string::npos);
}

TEST_F(IncludeRulesTest, ADomainIncludesNoIoOrTransport) {
  Write("user/domain/bad.cpp",
        "#include \"events/v1/events.pb.h\"\n#include <grpcpp/grpcpp.h>\n#include <sqlite3.h>\n"
        "#include \"kit/http/message.hpp\"\n#include <boost/beast.hpp>\n"
        "#include \"user/store/sqlite_user_repository.hpp\"\n#include \"user/api/user_rpc.hpp\"\n"
        "#include \"kit/events/event_bus.hpp\"\n#include \"user/domain/user.hpp\"\n");
  // A domain's tests may use the store (they run the domain over real SQLite).
  Write("user/domain/user_service_test.cpp",
        "#include \"user/store/sqlite_user_repository.hpp\"\n");
  const auto violations = CheckIncludes(src_);
  ASSERT_EQ(violations.size(), 7u) << Describe(violations);
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(violations[static_cast<std::size_t>(i)].where,
              "src/user/domain/bad.cpp:" + std::to_string(i + 1));
  }
}

TEST(DomainLinkRulesTest, ACleanClosurePasses) {
  const std::vector<LinkEdge> closure = {
      {"reel_user_domain", "reel_kit_status", "reel_user_domain > reel_kit_status"},
      {"reel_user_domain", "reel_kit_events", "reel_user_domain > reel_kit_events"},
      {"reel_user_domain", "spdlog::spdlog", "reel_user_domain > reel_kit_log > spdlog::spdlog"},
      {"reel_video_domain", "PkgConfig::FFMPEG",
       "reel_video_domain > reel_video_media > PkgConfig::FFMPEG"},
  };
  EXPECT_TRUE(CheckDomainLinks(closure).empty()) << Describe(CheckDomainLinks(closure));
}

TEST(DomainLinkRulesTest, EachForbiddenLibraryIsNamedWithHowItIsReached) {
  const std::vector<LinkEdge> closure = {
      {"reel_user_domain", "reel_proto_events",
       "reel_user_domain > reel_kit_events > reel_proto_events"},
      {"reel_user_domain", "protobuf::libprotobuf", "... > protobuf::libprotobuf"},
      {"reel_user_domain", "PkgConfig::GRPCPP", "... > PkgConfig::GRPCPP"},
      {"reel_user_domain", "reel_kit_rpc", "... > reel_kit_rpc"},
      {"reel_user_domain", "SQLite::SQLite3", "... > SQLite::SQLite3"},
      {"reel_user_domain", "reel_kit_db", "... > reel_kit_db"},
      {"reel_user_domain", "CURL::libcurl", "... > CURL::libcurl"},
      {"reel_user_domain", "reel_kit_http", "reel_user_domain > reel_kit_auth > reel_kit_http"},
      {"reel_user_domain", "Boost::headers", "... > Boost::headers"},
      {"reel_user_domain", "reel_user_api", "... > reel_user_api"},
  };
  const auto violations = CheckDomainLinks(closure);
  ASSERT_EQ(violations.size(), closure.size()) << Describe(violations);
  EXPECT_EQ(violations[7].where, "reel_user_domain");
  EXPECT_EQ(violations[7].what,
            "reel_kit_http via reel_user_domain > reel_kit_auth > reel_kit_http");
  EXPECT_EQ(violations[7].rule, "a domain links no HTTP library");
}

TEST(DomainLinkRulesTest, ClosureFileRoundTrips) {
  const fs::path file =
      fs::path(::testing::TempDir()) / ("reel_layering_links_" + std::to_string(getpid()) + ".txt");
  std::ofstream(file) << "reel_a_domain\treel_kit_status\treel_a_domain > reel_kit_status\n\n";
  const auto closure = ReadLinkClosure(file);
  fs::remove(file);
  ASSERT_EQ(closure.size(), 1u);
  EXPECT_EQ(closure[0].domain, "reel_a_domain");
  EXPECT_EQ(closure[0].reached, "reel_kit_status");
  EXPECT_EQ(closure[0].chain, "reel_a_domain > reel_kit_status");
  EXPECT_THROW(ReadLinkClosure(file), std::runtime_error);  // gone
}

}  // namespace
}  // namespace reel::layering

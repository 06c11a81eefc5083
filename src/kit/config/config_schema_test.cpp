#include "kit/config/config_schema.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace reel::config {
namespace {

struct Sample {
  int port = 8080;
  double rate = 1.5;
  bool enabled = true;
  std::string name = "default";
  std::string format = "auto";
  std::chrono::milliseconds ttl{1000};
  std::vector<std::string> origins{"*"};
};

class SchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_.Int("http.port", &s_.port, 0, 65535);
    schema_.Double("limit.rate", &s_.rate, 0, 100);
    schema_.Bool("limit.enabled", &s_.enabled);
    schema_.String("name", &s_.name);
    schema_.Enum("log.format", &s_.format, {"auto", "json", "text"});
    schema_.Duration("auth.ttl", &s_.ttl, std::chrono::milliseconds(1000));
    schema_.List("http.origins", &s_.origins);
  }

  std::string WriteFile(const std::string& text) {
    // Per process and test: ctest runs tests of this fixture in parallel processes.
    path_ = ::testing::TempDir() + "/reel_config_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".yaml";
    std::ofstream(path_) << text;
    return path_;
  }
  void TearDown() override {
    if (!path_.empty()) std::remove(path_.c_str());
  }

  Sample s_;
  Schema schema_;
  std::string path_;
};

TEST_F(SchemaTest, DefaultsStayWhenNothingIsGiven) {
  ASSERT_TRUE(schema_.LoadFile("").ok());
  ASSERT_TRUE(schema_.LoadEnv({{"PATH", "/bin"}}).ok());
  EXPECT_EQ(s_.port, 8080);
  EXPECT_EQ(s_.ttl, std::chrono::milliseconds(1000));
}

TEST_F(SchemaTest, FileThenEnvironmentOverride) {
  ASSERT_TRUE(schema_
                  .LoadFile(WriteFile("http:\n  port: 9000\n  origins: [a.test, b.test]\n"
                                      "name: from-file\nauth:\n  ttl: 2h\n"))
                  .ok());
  EXPECT_EQ(s_.port, 9000);
  EXPECT_EQ(s_.origins, (std::vector<std::string>{"a.test", "b.test"}));
  EXPECT_EQ(s_.ttl, std::chrono::hours(2));
  ASSERT_TRUE(schema_
                  .LoadEnv({{"REEL_HTTP_PORT", "9100"},
                            {"REEL_LIMIT_ENABLED", "false"},
                            {"REEL_HTTP_ORIGINS", "x.test, y.test"}})
                  .ok());
  EXPECT_EQ(s_.port, 9100);
  EXPECT_FALSE(s_.enabled);
  EXPECT_EQ(s_.origins, (std::vector<std::string>{"x.test", "y.test"}));
  EXPECT_EQ(s_.name, "from-file");
}

// A refusal of bad configuration: CONFIG_INVALID, and the message names `what` (the key,
// variable or file the operator has to fix).
void ExpectRefusalNaming(const Status& s, const std::string& what) {
  EXPECT_EQ(s.code, Code::kInvalidArgument) << s.message;
  EXPECT_EQ(s.reason, "CONFIG_INVALID") << s.message;
  EXPECT_NE(s.message.find(what), std::string::npos) << "'" << s.message << "' names " << what;
}

TEST_F(SchemaTest, UnknownFileKeyIsNamed) {
  Status s = schema_.LoadFile(WriteFile("http:\n  prot: 9000\n"));
  ASSERT_FALSE(s.ok());
  ExpectRefusalNaming(s, "http.prot");
}

TEST_F(SchemaTest, UnknownEnvironmentVariableIsNamed) {
  Status s = schema_.LoadEnv({{"REEL_HTTP_PROT", "1"}});
  ASSERT_FALSE(s.ok());
  ExpectRefusalNaming(s, "REEL_HTTP_PROT");
}

TEST_F(SchemaTest, InvalidFileValuesNameTheirKeyAndChangeNothing) {
  const struct {
    std::string yaml, key;
  } cases[] = {
      {"http:\n  port: abc\n", "http.port"},
      {"http:\n  port: 70000\n", "http.port"},
      {"http:\n  port: [80, 81]\n", "http.port"},
      {"http:\n  port:\n", "http.port"},
      {"http:\n  port:\n    inner: 1\n", "http.port.inner"},
      {"limit:\n  rate: .nan\n", "limit.rate"},
      {"limit:\n  enabled: maybe\n", "limit.enabled"},
      {"log:\n  format: xml\n", "log.format"},
      {"auth:\n  ttl: 10ms\n", "auth.ttl"},
      {"http:\n  origins: [a.test, [nested]]\n", "http.origins"},
      {"http:\n  origins: [{host: a.test}]\n", "http.origins"},
      {"name: {first: a}\n", "name.first"},
      {"? [a, b]\n: 1\n", "(root)"},
      {"- just\n- a list\n", "(root)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.yaml);
    Status s = schema_.LoadFile(WriteFile(c.yaml));
    ASSERT_FALSE(s.ok());
    ExpectRefusalNaming(s, c.key);
  }
  EXPECT_EQ(s_.port, 8080);
  EXPECT_EQ(s_.format, "auto");
  EXPECT_EQ(s_.origins, std::vector<std::string>{"*"});
  EXPECT_EQ(s_.ttl, std::chrono::milliseconds(1000));
}

TEST_F(SchemaTest, SetNamesTheKeyItRefuses) {
  ExpectRefusalNaming(schema_.Set("http.port", "abc"), "http.port");
  ExpectRefusalNaming(schema_.Set("http.prot", "80"), "http.prot");
  EXPECT_EQ(s_.port, 8080);
}

TEST_F(SchemaTest, AllowedForeignVariableIsIgnored) {
  schema_.AllowEnv("REEL_CONFIG");
  EXPECT_TRUE(schema_.LoadEnv({{"REEL_CONFIG", "/etc/reel.yaml"}}).ok());
}

TEST_F(SchemaTest, InvalidValuesAreNamedAndChangeNothing) {
  const struct {
    std::string var, value, key;
  } cases[] = {
      {"REEL_HTTP_PORT", "abc", "http.port"},
      {"REEL_HTTP_PORT", "70000", "http.port"},
      {"REEL_HTTP_PORT", "80x", "http.port"},
      {"REEL_LIMIT_RATE", "nan", "limit.rate"},
      {"REEL_LIMIT_ENABLED", "maybe", "limit.enabled"},
      {"REEL_LOG_FORMAT", "xml", "log.format"},
      {"REEL_AUTH_TTL", "soon", "auth.ttl"},
      {"REEL_AUTH_TTL", "10ms", "auth.ttl"},
      {"REEL_AUTH_TTL", "5y", "auth.ttl"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.var + "=" + c.value);
    Status s = schema_.LoadEnv({{c.var, c.value}});
    ASSERT_FALSE(s.ok());
    ExpectRefusalNaming(s, c.key);
    ExpectRefusalNaming(s, c.var);  // and where the value came from
  }
  EXPECT_EQ(s_.port, 8080);
  EXPECT_EQ(s_.format, "auto");
}

TEST_F(SchemaTest, MalformedYamlIsReportedNamingTheFile) {
  const std::string path = WriteFile("http: [unclosed\n");
  ExpectRefusalNaming(schema_.LoadFile(path), path);
}

TEST_F(SchemaTest, MissingFileIsReportedNamingIt) {
  const std::string path = ::testing::TempDir() + "/reel_config_test_absent.yaml";
  ExpectRefusalNaming(schema_.LoadFile(path), path);
}

TEST_F(SchemaTest, EnvNamesFollowKeys) {
  EXPECT_EQ(Schema::EnvNameOf("rate_limit.default.ip_rate"), "REEL_RATE_LIMIT_DEFAULT_IP_RATE");
}

TEST(ParseDurationTest, UnitsAndBareSeconds) {
  EXPECT_EQ(*ParseDuration("250ms"), std::chrono::milliseconds(250));
  EXPECT_EQ(*ParseDuration("10s"), std::chrono::seconds(10));
  EXPECT_EQ(*ParseDuration("1.5m"), std::chrono::seconds(90));
  EXPECT_EQ(*ParseDuration("24h"), std::chrono::hours(24));
  EXPECT_EQ(*ParseDuration("30"), std::chrono::seconds(30));
  for (const char* bad : {"", "h", "-5s", "5y"}) {
    auto parsed = ParseDuration(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().reason, "CONFIG_INVALID") << bad;
  }
}

}  // namespace
}  // namespace reel::config

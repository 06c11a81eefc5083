// Request bodies the parsers must refuse without harm, sent to the real server: what the
// fuzz targets (tests/fuzz) found, checked where it mattered.
#include <chrono>
#include <string>

#include "harness.hpp"

namespace reel::e2e {
namespace {

// A JSON body a million arrays deep, within the default 1 MiB body limit. Parsed
// recursively, it overflowed the stack of the thread handling it and the whole server died.
TEST(RequestParsingTest, DeeplyNestedJsonIsRefusedAndTheServerStaysUp) {
  ReelServer server;
  ASSERT_TRUE(server.Start());
  const std::string nested = R"({"username":)" + std::string(1'000'000, '[');
  HttpClient client(server.Port());

  const HttpResponse douyin = client.PostJson("/douyin/user/login/", nested);
  EXPECT_EQ(douyin.status, 200) << douyin.Describe();
  EXPECT_EQ(DouyinStatusCode(douyin), 400) << douyin.Describe();
  const HttpResponse api = client.PostJson("/api/user/login", nested);
  EXPECT_EQ(api.status, 400) << api.Describe();

  EXPECT_FALSE(server.WaitExit(std::chrono::milliseconds(0))) << server.LogTail();
  EXPECT_EQ(HttpClient(server.Port()).Get("/healthz").status, 200);
}

}  // namespace
}  // namespace reel::e2e

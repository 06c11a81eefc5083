#include "fuzz_request.hpp"

#include <gtest/gtest.h>

#include <set>

namespace reel::security {
namespace {

FuzzContext Context() {
  FuzzContext context;
  context.routes = {{"GET", "/api/video/{id}"},
                    {"POST", "/douyin/favorite/action"},
                    {"GET", "/media/{key}"},
                    {"PATCH", "/api/user"}};
  context.access_tokens = {"valid.access.token"};
  context.bad_tokens = {"bad.refresh.token"};
  context.real_ids = {7};
  context.media_keys = {std::string(64, 'a') + ".mp4"};
  return context;
}

bool SameRequest(const FuzzRequest& a, const FuzzRequest& b) {
  return a.method == b.method && a.target == b.target && a.body == b.body &&
         a.content_type == b.content_type && a.headers == b.headers && a.route == b.route;
}

TEST(FuzzRequest, TheSameSeedAndIndexGiveTheSameRequest) {
  const FuzzContext context = Context();
  for (std::uint64_t index : {0u, 1u, 999u}) {
    const FuzzRequest first = MakeFuzzRequest(context, 42, index);
    // Made again after others, as another thread would.
    MakeFuzzRequest(context, 42, index + 1);
    EXPECT_TRUE(SameRequest(first, MakeFuzzRequest(context, 42, index))) << index;
  }
  int differing = 0;
  for (std::uint64_t index = 0; index < 20; ++index) {
    differing +=
        !SameRequest(MakeFuzzRequest(context, 1, index), MakeFuzzRequest(context, 2, index));
  }
  EXPECT_GT(differing, 15) << "another seed should give other requests";
}

TEST(FuzzRequest, CoversEveryRouteMethodBodyKindAndTheIntegerEdges) {
  const FuzzContext context = Context();
  std::set<std::string> routes, methods, types;
  std::set<std::string> targets;
  int with_token = 0, intact = 0;
  for (std::uint64_t index = 0; index < 4000; ++index) {
    const FuzzRequest request = MakeFuzzRequest(context, 7, index);
    routes.insert(request.route->Name());
    methods.insert(request.method);
    types.insert(request.content_type.substr(0, request.content_type.find(';')));
    targets.insert(request.target.substr(0, request.target.find('?')));
    EXPECT_LE(request.body.size(), kMaxFuzzBodyBytes);
    EXPECT_TRUE(request.target.starts_with('/')) << request.Describe();
    for (const auto& [name, value] : request.headers) {
      EXPECT_EQ(value.find_first_of("\r\n"), std::string::npos) << request.Describe();
    }
    for (const auto& [name, value] : request.headers) {
      if (value.find("valid.access.token") != std::string::npos) ++with_token;
    }
    intact += request.route_intact;
  }
  EXPECT_EQ(routes.size(), context.routes.size());
  for (const char* method : {"GET", "POST", "PATCH", "DELETE", "HEAD", "OPTIONS"}) {
    EXPECT_TRUE(methods.contains(method)) << method;
  }
  for (const char* type :
       {"application/json", "application/x-www-form-urlencoded", "multipart/form-data", ""}) {
    EXPECT_TRUE(types.contains(type)) << type;
  }
  for (const char* id : {"0", "-1", "1", "9007199254740991", "9007199254740992",
                         "9223372036854775807", "18446744073709551616", "7", "abc", ""}) {
    EXPECT_TRUE(targets.contains(std::string("/api/video/") + id)) << id;
  }
  EXPECT_TRUE(targets.contains("/media/" + context.media_keys[0]));
  EXPECT_GT(with_token, 400);
  EXPECT_GT(intact, 2000);
}

TEST(FuzzRequest, DescribeNamesSeedIndexAndEscapesBytes) {
  FuzzRequest request;
  request.seed = 5;
  request.index = 9;
  request.method = "POST";
  request.target = "/a";
  request.body = std::string("x\0\xff", 3);
  const std::string text = request.Describe();
  EXPECT_NE(text.find("seed 5 index 9"), std::string::npos) << text;
  EXPECT_NE(text.find("x\\x00\\xff"), std::string::npos) << text;
}

}  // namespace
}  // namespace reel::security

#include "route_table.hpp"

#include <gtest/gtest.h>

namespace reel::security {
namespace {

TEST(RouteTable, ParsesOneRoutePerLineSkippingBlankLines) {
  std::string error;
  const auto routes = ParseRouteTable("GET /healthz\n\nDELETE /api/video/{id}\r\n", error);
  EXPECT_EQ(error, "");
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0], (Route{"GET", "/healthz"}));
  EXPECT_EQ(routes[1].Name(), "DELETE /api/video/{id}");
}

TEST(RouteTable, RefusesALineOfAnotherForm) {
  for (const char* text : {"GET\n", "get /x\n", "GET x\n", "GET /a b\n", "routes:\n"}) {
    std::string error;
    EXPECT_TRUE(ParseRouteTable(text, error).empty()) << text;
    EXPECT_NE(error, "") << text;
  }
}

TEST(RouteTable, FillsPlaceholdersInOrder) {
  EXPECT_EQ(Placeholders("/a/{id}/b/{key}"), (std::vector<std::string>{"id", "key"}));
  EXPECT_TRUE(Placeholders("/api/user").empty());
  EXPECT_EQ(FillPattern("/a/{id}/b/{key}", {"1", "x.mp4"}), "/a/1/b/x.mp4");
  EXPECT_EQ(FillPattern("/a/{id}", {}), "/a/");
  EXPECT_EQ(FillPattern("/api/user", {"1"}), "/api/user");
}

}  // namespace
}  // namespace reel::security

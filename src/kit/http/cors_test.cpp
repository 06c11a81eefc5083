// CORS preflights: what a browser on another origin is allowed to send.
#include <gtest/gtest.h>

#include <string>

#include "kit/http/middleware/middleware.hpp"

namespace reel::http {
namespace {

Response NotCalled(Request&) {
  ADD_FAILURE() << "a preflight never reaches the route";
  return Response::Json("{}");
}

Response Preflight(const Middleware& cors, const std::string& path, const std::string& headers) {
  Request req;
  req.method = "OPTIONS";
  req.path = path;
  req.headers = {{"origin", "http://app.test"}, {"access-control-request-method", "POST"}};
  if (!headers.empty()) req.headers.emplace_back("access-control-request-headers", headers);
  return cors(req, NotCalled);
}

TEST(CorsTest, APreflightIsAllowedTheHeadersItAsksForAndCached) {
  const Middleware cors = CorsMiddleware({"*"});
  // What an upload library in a browser asks for.
  const Response r =
      Preflight(cors, "/douyin/publish/action/", "X-Requested-With, content-type,token");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.Header("access-control-allow-origin"), "http://app.test");
  EXPECT_EQ(r.Header("access-control-allow-headers"), "x-requested-with, content-type, token");
  EXPECT_EQ(r.Header("access-control-max-age"), "600");
  EXPECT_NE(r.Header("access-control-allow-methods").find("POST"), std::string::npos);
  EXPECT_NE(r.Header("vary").find("Access-Control-Request-Headers"), std::string::npos);
}

TEST(CorsTest, TooManyOrMalformedRequestedHeadersRefuseThePreflight) {
  const Middleware cors = CorsMiddleware({"*"});
  std::string many;
  for (int i = 0; i < 33; ++i) many += (i ? "," : "") + std::string("x-h") + std::to_string(i);
  const std::string long_name(65, 'a');
  for (const std::string& headers :
       {many, long_name, std::string("bad header"), std::string("x-ok, bad:name")}) {
    const Response r = Preflight(cors, "/api/video", headers);
    EXPECT_EQ(r.status, 400) << headers;
    EXPECT_NE(r.body.find("CORS_HEADERS_INVALID"), std::string::npos) << r.body;
    EXPECT_EQ(r.Header("access-control-allow-origin"), "") << headers;
    EXPECT_EQ(r.Header("access-control-allow-headers"), "") << headers;
  }
  // The bounds themselves are fine.
  std::string thirty_two;
  for (int i = 0; i < 32; ++i)
    thirty_two += (i ? "," : "") + std::string("x-h") + std::to_string(i);
  EXPECT_EQ(Preflight(cors, "/api/video", thirty_two).status, 204);
  EXPECT_EQ(Preflight(cors, "/api/video", std::string(64, 'a')).status, 204);
}

TEST(CorsTest, OriginsOutsideTheSettingGetNoAllowance) {
  const Middleware cors = CorsMiddleware({"http://other.test"});
  const Response r = Preflight(cors, "/api/video", "x-requested-with");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.Header("access-control-allow-origin"), "");
  EXPECT_EQ(r.Header("access-control-allow-headers"), "");
}

}  // namespace
}  // namespace reel::http

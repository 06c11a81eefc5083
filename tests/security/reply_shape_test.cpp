#include "reply_shape.hpp"

#include <gtest/gtest.h>

namespace reel::security {
namespace {

e2e::HttpResponse Json(long status, std::string body) {
  e2e::HttpResponse response;
  response.status = status;
  response.headers["content-type"] = "application/json; charset=utf-8";
  response.body = std::move(body);
  return response;
}

std::string KindOf(const Exchange& exchange, const e2e::HttpResponse& response) {
  const auto problem = CheckReply(exchange, response);
  return problem ? problem->kind : "";
}

TEST(ReplyShape, NoReplyAndServerErrorsAlwaysFail) {
  e2e::HttpResponse none;
  none.error = "Connection reset by peer";
  EXPECT_EQ(KindOf({"GET", "/healthz"}, none), "no reply");
  EXPECT_EQ(KindOf({"GET", "/anything"}, Json(500, "{}")), "5xx");
  EXPECT_EQ(KindOf({"GET", "/api/user"}, Json(503, R"({"code":503,"reason":"X","message":"m"})")),
            "5xx");
}

TEST(ReplyShape, ApiErrorsNeedCodeReasonAndMessage) {
  const Exchange get{"GET", "/api/video/1?x=1"};
  EXPECT_EQ(KindOf(get, Json(404, R"({"code":404,"reason":"VIDEO_NOT_FOUND","message":"m"})")), "");
  EXPECT_EQ(KindOf(get, Json(404, R"({"code":400,"reason":"VIDEO_NOT_FOUND","message":"m"})")),
            "/api shape");
  EXPECT_EQ(KindOf(get, Json(404, R"({"code":404,"reason":"not found","message":"m"})")),
            "/api shape");
  EXPECT_EQ(KindOf(get, Json(404, R"({"code":404,"reason":"NOT_FOUND","message":""})")),
            "/api shape");
  EXPECT_EQ(KindOf(get, Json(404, R"({"status_code":404,"status_msg":"m"})")), "/api shape");
  EXPECT_EQ(KindOf(get, Json(400, "not json")), "/api shape");
  e2e::HttpResponse html = Json(400, "<html>");
  html.headers["content-type"] = "text/html";
  EXPECT_EQ(KindOf(get, html), "content type");
}

TEST(ReplyShape, JsonMustBeUtf8) {
  // A refusal that echoes the client's bytes must still be valid JSON text.
  const std::string echoed =
      "{\"code\":400,\"reason\":\"PARAM_INVALID\",\"message\":\"got '\xce\x1a'\"}";
  EXPECT_EQ(KindOf({"GET", "/api/feed"}, Json(400, echoed)), "invalid UTF-8");
  EXPECT_EQ(KindOf({"GET", "/douyin/feed"},
                   Json(200, "{\"status_code\":400,\"status_msg\":\"\xed\xa0\x80\"}")),
            "invalid UTF-8");
  EXPECT_EQ(
      KindOf({"GET", "/douyin/feed"},
             Json(200, "{\"status_code\":400,\"status_msg\":\"\xe8\xa7\x86\xf0\x9f\x8e\xac\"}")),
      "");
}

TEST(ReplyShape, ApiSuccessesOfAKnownRouteNeedTheirFields) {
  const Route list{"GET", "/api/video"};
  EXPECT_EQ(KindOf({"GET", "/api/video", &list},
                   Json(200, R"({"videos":[],"next_cursor":"","has_more":false})")),
            "");
  EXPECT_EQ(KindOf({"GET", "/api/video", &list}, Json(200, R"({"videos":[]})")), "success shape");
  // Without a route (the path was mutated) only the object is required.
  EXPECT_EQ(KindOf({"GET", "/api/video"}, Json(200, R"({"videos":[]})")), "");
}

TEST(ReplyShape, DouyinAnswersNeedStatusCodeAndMessage) {
  const Route feed{"GET", "/douyin/feed"};
  EXPECT_EQ(KindOf({"GET", "/douyin/feed/", &feed},
                   Json(200, R"({"status_code":0,"status_msg":"ok","video_list":[]})")),
            "");
  EXPECT_EQ(
      KindOf({"GET", "/douyin/feed/", &feed}, Json(200, R"({"status_code":0,"status_msg":"ok"})")),
      "success shape");
  EXPECT_EQ(KindOf({"GET", "/douyin/nope"}, Json(200, R"({"status_code":401,"status_msg":"x"})")),
            "");
  EXPECT_EQ(KindOf({"GET", "/douyin/nope"}, Json(200, R"({"status_code":401,"status_msg":""})")),
            "/douyin shape");
  EXPECT_EQ(KindOf({"GET", "/douyin/nope"},
                   Json(404, R"({"code":404,"reason":"ROUTE_NOT_FOUND","message":"m"})")),
            "/douyin shape");
  EXPECT_EQ(KindOf({"GET", "/douyin/nope"}, Json(200, R"({"status_code":"0","status_msg":"ok"})")),
            "/douyin shape");
}

TEST(ReplyShape, BodilessAndNonApiAnswersAreCheckedForStatusOnly) {
  e2e::HttpResponse empty;
  empty.status = 200;
  EXPECT_EQ(KindOf({"HEAD", "/api/user"}, empty), "");
  empty.status = 304;
  EXPECT_EQ(KindOf({"GET", "/api/openapi.yaml"}, empty), "");
  empty.status = 200;
  EXPECT_EQ(KindOf({"GET", "/api/docs"}, empty), "");
  EXPECT_EQ(KindOf({"GET", "/index.html"}, empty), "");
  EXPECT_EQ(KindOf({"GET", "/apix/user"}, empty), "");  // outside /api
  empty.status = 416;
  EXPECT_EQ(KindOf({"GET", "/media/x.mp4"}, empty), "");
  empty.status = 404;
  EXPECT_EQ(KindOf({"GET", "/media/x.mp4"}, empty), "content type");
}

}  // namespace
}  // namespace reel::security

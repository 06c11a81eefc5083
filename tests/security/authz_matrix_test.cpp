// The authorization matrix (issue 15): every route that names a resource or acts for a user,
// called as its owner, as another user, with no token, an expired one and forged ones (another
// secret, alg none, HS512, a tampered subject, a refresh token as access token, a user that
// does not exist). Each cell has one expected outcome, and every refused write is checked to
// have changed nothing by reading the owner's world back. A route `reel routes` lists that is
// neither in the matrix nor listed as public fails the suite, so a new route cannot be
// forgotten.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <set>

#include "authz_cases.hpp"
#include "reply_shape.hpp"

namespace reel::security {
namespace {

bool IsDouyin(const Route& route) {
  return route.pattern.starts_with("/douyin/");
}

// The 401 a refused caller gets, in the route's API.
void ExpectUnauthenticated(const AuthzCase& c, const e2e::HttpResponse& response, Caller caller) {
  if (IsDouyin(c.route)) {
    DouyinRefused(response, 401);
  } else {
    ApiRefused(response, 401, RefusalReason(caller));
  }
}

// A token that is well signed but names nobody: refused (as unauthenticated, as not the
// owner, or as an unknown user), never served.
void ExpectUnknownUserRefused(const AuthzCase& c, const e2e::HttpResponse& response) {
  const rapidjson::Document body = response.Json();
  const auto refused = [](std::optional<std::int64_t> code) {
    return code == 401 || code == 403 || code == 404;
  };
  if (IsDouyin(c.route)) {
    EXPECT_TRUE(refused(e2e::JsonInt(body, "status_code"))) << response.Describe();
  } else {
    EXPECT_TRUE(refused(response.status) && e2e::JsonInt(body, "code") == response.status)
        << response.Describe();
  }
}

class AuthzMatrix : public e2e::ServerTest {
 protected:
  e2e::ServerOptions Options() const override {
    e2e::ServerOptions options = e2e::KnownSecretOptions();
    options.env["REEL_RATE_LIMIT_ENABLED"] = "false";
    // The owner, alice (the first user registered), is a moderator (Area::kModeration).
    options.env["REEL_MODERATION_MODERATORS"] = "1";
    return options;
  }

  void SetUp() override {
    e2e::ServerTest::SetUp();
    if (HasFatalFailure()) return;
    world_ = std::make_unique<AuthzWorld>(Server(), Client(), media_);
    ASSERT_TRUE(world_->Build()) << "the world could not be built";
  }

  // Runs every case of `area`.
  void RunArea(Area area) {
    int run = 0;
    for (const AuthzCase& c : AuthzCases()) {
      if (c.area != area) continue;
      ++run;
      RunCase(c);
    }
    EXPECT_GT(run, 0);
  }

  e2e::HttpResponse Send(const AuthzCase& c, Caller caller) {
    e2e::HttpResponse response = c.send(*world_, world_->Token(caller));
    // Whatever the cell, the answer keeps its API's shape.
    const Exchange exchange{.method = c.route.method, .target = c.route.pattern};
    if (const auto problem = CheckReply(exchange, response)) {
      ADD_FAILURE() << problem->kind << ": " << problem->detail;
    }
    return response;
  }

  void ExpectUnchanged(const Snapshot& before, std::string_view after_what) {
    const std::string diff = SnapshotDiff(before, world_->Read());
    EXPECT_TRUE(diff.empty()) << after_what << " changed the owner's world:" << diff;
  }

  void RunCase(const AuthzCase& c) {
    SCOPED_TRACE(c.Name());
    Snapshot before = c.writes ? world_->Read() : Snapshot{};
    for (const Caller caller : kRefusedCallers) {
      SCOPED_TRACE(CallerName(caller));
      const e2e::HttpResponse response = Send(c, caller);
      const bool served = caller == Caller::kNone ? c.anonymous_ok : c.ignores_bad_tokens;
      if (served) {
        if (c.anonymous) c.anonymous(*world_, response);
      } else {
        ExpectUnauthenticated(c, response, caller);
      }
      if (c.writes) ExpectUnchanged(before, CallerName(caller));
    }
    if (c.writes) {
      SCOPED_TRACE(CallerName(Caller::kUnknownUser));
      ExpectUnknownUserRefused(c, Send(c, Caller::kUnknownUser));
      ExpectUnchanged(before, CallerName(Caller::kUnknownUser));
    }
    {
      SCOPED_TRACE(CallerName(Caller::kOther));
      c.other(*world_, Send(c, Caller::kOther));
      if (c.writes && !c.other_changes_world) ExpectUnchanged(before, "another user's call");
    }
    SCOPED_TRACE(CallerName(Caller::kOwner));
    c.owner(*world_, Send(c, Caller::kOwner));
  }

  AuthzWorld& World() { return *world_; }

 private:
  e2e::MediaFixtures media_;
  std::unique_ptr<AuthzWorld> world_;
};

TEST(AuthzMatrixCoverage, EveryServedRouteIsInTheMatrixOrListedPublic) {
  std::set<Route> known;
  for (const AuthzCase& c : AuthzCases()) known.insert(c.route);
  for (const PublicRoute& p : PublicRoutes()) {
    EXPECT_FALSE(known.contains(p.route)) << p.route.Name() << " is both in the matrix and public";
    known.insert(p.route);
  }
  for (const Route& route : DedicatedRoutes()) known.insert(route);

  const std::vector<Route> served = LoadRouteTable();
  ASSERT_FALSE(served.empty());
  for (const Route& route : served) {
    EXPECT_TRUE(known.contains(route))
        << route.Name()
        << " is served but neither in the authorization matrix (tests/security/authz_cases_*.cpp) "
           "nor in PublicRoutes() (tests/security/authz_checks.cpp): decide who may call it";
  }
  for (const Route& route : known) {
    EXPECT_TRUE(std::find(served.begin(), served.end(), route) != served.end())
        << route.Name() << " is in the matrix but no longer served";
  }
}

TEST_F(AuthzMatrix, UserRoutes) {
  RunArea(Area::kUser);
}

TEST_F(AuthzMatrix, VideoRoutes) {
  RunArea(Area::kVideo);
}

TEST_F(AuthzMatrix, FeedAndSearchRoutes) {
  RunArea(Area::kFeed);
}

TEST_F(AuthzMatrix, LikeAndCommentRoutes) {
  RunArea(Area::kInteraction);
}

TEST_F(AuthzMatrix, FollowFriendAndMessageRoutes) {
  RunArea(Area::kSocial);
}

TEST_F(AuthzMatrix, ReportAndModerationRoutes) {
  RunArea(Area::kModeration);
}

}  // namespace
}  // namespace reel::security

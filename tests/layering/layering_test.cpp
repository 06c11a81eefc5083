// The layering of this repository (docs/architecture.md, "Layering, checked"): the real
// src/ tree and the real link closure of every domain target.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "layering_rules.hpp"

namespace reel::layering {
namespace {

TEST(Layering, ServicesIncludeOnlyEachOthersPublicPieces) {
  const auto violations = CheckIncludes(REEL_SOURCE_DIR "/src");
  EXPECT_TRUE(violations.empty()) << Describe(violations);
}

TEST(Layering, DomainsLinkNoProtobufGrpcSqlCurlOrHttp) {
  const auto closure = ReadLinkClosure(REEL_DOMAIN_LINKS_FILE);
  // Not vacuous: every service's domain is in the closure, and each reaches the status kit.
  std::set<std::string> domains;
  std::set<std::string> with_status;
  for (const LinkEdge& edge : closure) {
    domains.insert(edge.domain);
    if (edge.reached == "reel_kit_status") with_status.insert(edge.domain);
  }
  const std::set<std::string> expected = {"reel_comment_domain", "reel_favorite_domain",
                                          "reel_feed_domain",    "reel_relation_domain",
                                          "reel_user_domain",    "reel_video_domain"};
  EXPECT_TRUE(std::ranges::includes(domains, expected));
  EXPECT_EQ(with_status, domains);

  const auto violations = CheckDomainLinks(closure);
  EXPECT_TRUE(violations.empty()) << Describe(violations);
}

}  // namespace
}  // namespace reel::layering

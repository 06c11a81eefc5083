#include "video/domain/publish_policy.hpp"

#include <gtest/gtest.h>

namespace reel::video {
namespace {

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(PublishPolicyTest, TitleIsTrimmedAndBounded) {
  EXPECT_EQ(*NormalizeTitle("  hello  "), "hello");
  EXPECT_EQ(*NormalizeTitle(Repeat("视", 100)), Repeat("视", 100));
  EXPECT_EQ(NormalizeTitle(Repeat("视", 101)).status().reason, "TITLE_INVALID");
  EXPECT_EQ(NormalizeTitle("").status().reason, "TITLE_INVALID");
  EXPECT_EQ(NormalizeTitle("   ").status().reason, "TITLE_INVALID");
  EXPECT_EQ(NormalizeTitle("a\nb").status().reason, "TITLE_INVALID");
  EXPECT_EQ(NormalizeTitle("\xff").status().reason, "TITLE_INVALID");
}

TEST(PublishPolicyTest, DescriptionMayBeEmptyAndKeepLineBreaks) {
  EXPECT_EQ(*NormalizeDescription(""), "");
  EXPECT_EQ(*NormalizeDescription("line one\nline two"), "line one\nline two");
  EXPECT_FALSE(NormalizeDescription("bell\x07").ok());
  EXPECT_FALSE(NormalizeDescription(Repeat("x", 2001)).ok());
}

}  // namespace
}  // namespace reel::video

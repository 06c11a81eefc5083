#include "comment/domain/comment_policy.hpp"

#include <gtest/gtest.h>

namespace reel::comment {
namespace {

std::string Repeat(std::string_view s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string MessageOf(std::string_view content) {
  return NormalizeComment(content).status().message;
}

TEST(CommentPolicyTest, ContentIsTrimmedAndKeepsLineBreaks) {
  EXPECT_EQ(*NormalizeComment("  nice video \n"), "nice video");
  EXPECT_EQ(*NormalizeComment("line one\nline two\r\nthree"), "line one\nline two\r\nthree");
}

TEST(CommentPolicyTest, LengthCountsCharactersNotBytes) {
  EXPECT_EQ(*NormalizeComment(Repeat("评", 500)), Repeat("评", 500));
  EXPECT_EQ(*NormalizeComment("  " + Repeat("评", 500) + "  "), Repeat("评", 500));
  auto too_long = NormalizeComment(Repeat("评", 501));
  EXPECT_EQ(too_long.status().code, Code::kInvalidArgument);
  EXPECT_EQ(too_long.status().reason, "COMMENT_INVALID");
  EXPECT_NE(too_long.status().message.find("longer than 500 characters"), std::string::npos);
}

TEST(CommentPolicyTest, RefusalsSayWhy) {
  EXPECT_EQ(NormalizeComment("").status().reason, "COMMENT_INVALID");
  EXPECT_NE(MessageOf("").find("empty"), std::string::npos);
  EXPECT_NE(MessageOf(" \n\t ").find("empty"), std::string::npos);
  EXPECT_NE(MessageOf("bell\x07").find("control characters"), std::string::npos);
  EXPECT_NE(MessageOf("a\tb").find("control characters"), std::string::npos);
  EXPECT_NE(MessageOf("nel\xC2\x85").find("control characters"), std::string::npos);  // C1
  EXPECT_NE(MessageOf("bad \xff utf-8").find("UTF-8"), std::string::npos);
  EXPECT_EQ(NormalizeComment("\xE8\xAF").status().reason, "COMMENT_INVALID");  // truncated
}

}  // namespace
}  // namespace reel::comment

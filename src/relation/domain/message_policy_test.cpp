#include "relation/domain/message_policy.hpp"

#include <gtest/gtest.h>

namespace reel::relation {
namespace {

std::string Repeat(std::string_view piece, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += piece;
  return out;
}

TEST(MessagePolicyTest, TrimsAndKeepsLineBreaks) {
  auto m = NormalizeMessage("  hello\nsecond line\ttab \r\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*m, "hello\nsecond line\ttab");
}

TEST(MessagePolicyTest, LengthCountsCharactersNotBytes) {
  EXPECT_TRUE(NormalizeMessage("x").ok());
  EXPECT_TRUE(NormalizeMessage(Repeat("你", kMaxMessageLength)).ok());  // 3000 bytes
  EXPECT_EQ(NormalizeMessage(Repeat("a", kMaxMessageLength + 1)).status().reason,
            "MESSAGE_INVALID");
}

TEST(MessagePolicyTest, RefusesEmptyBrokenAndControlText) {
  for (std::string_view bad :
       {std::string_view(""), std::string_view(" \n\t "), std::string_view("\xff\xfe"),
        std::string_view("a\x01z"), std::string_view("bell\x07")}) {
    auto m = NormalizeMessage(bad);
    ASSERT_FALSE(m.ok()) << bad;
    EXPECT_EQ(m.status().code, Code::kInvalidArgument);
    EXPECT_EQ(m.status().reason, "MESSAGE_INVALID");
  }
}

}  // namespace
}  // namespace reel::relation

#include "kit/text/utf8.hpp"

#include <gtest/gtest.h>

namespace reel::text {
namespace {

TEST(Utf8Test, CountsCodePointsNotBytes) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("短视频"), 3u);
  EXPECT_EQ(CountCodePoints("a😀b"), 3u);
}

TEST(Utf8Test, RefusesInvalidSequences) {
  EXPECT_FALSE(CountCodePoints("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(CountCodePoints("\xE0\x80\xAF"));      // overlong 3-byte
  EXPECT_FALSE(CountCodePoints("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(CountCodePoints("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(CountCodePoints("\xE7\x9F"));          // truncated
  EXPECT_FALSE(CountCodePoints("\x80"));              // stray continuation
}

TEST(Utf8Test, FindsControlCharacters) {
  EXPECT_TRUE(HasControlCharacters("a\nb"));
  EXPECT_TRUE(HasControlCharacters("a\x7F"));
  EXPECT_TRUE(HasControlCharacters("a\xC2\x85"));  // NEL
  EXPECT_FALSE(HasControlCharacters("plain 中文"));
}

TEST(Utf8Test, TrimsAsciiWhiteSpace) {
  EXPECT_EQ(TrimAscii("  a b \t\n"), "a b");
  EXPECT_EQ(TrimAscii("   "), "");
}

TEST(Utf8Test, ValidityAgreesWithCounting) {
  for (std::string_view s : {"", "plain ascii longer than eight bytes", "短视频", "a😀b", "\xC0\xAF",
                             "\xED\xA0\x80", "\xE7\x9F", "abcdefgh\xCE\x1Ax"}) {
    EXPECT_EQ(IsValidUtf8(s), CountCodePoints(s).has_value()) << s;
  }
}

TEST(Utf8Test, RepairsInvalidBytesWithReplacementCharacters) {
  // What a fuzzer sent as a cursor: a lead byte followed by a control byte.
  EXPECT_EQ(ToValidUtf8("\xCE\x1Ax"), "\xEF\xBF\xBD\x1Ax");
  EXPECT_EQ(ToValidUtf8("ok 短\xE7\x9F"), "ok 短\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(ToValidUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(ToValidUtf8("a😀b"), "a😀b");
  EXPECT_TRUE(IsValidUtf8(ToValidUtf8("\xFF\xFE\x80 x \xF4\x90\x80\x80")));
}

}  // namespace
}  // namespace reel::text

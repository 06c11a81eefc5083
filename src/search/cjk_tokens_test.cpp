#include "search/cjk_tokens.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace reel::search {
namespace {

using Grams = std::vector<std::string>;

struct SplitCase {
  std::string name;
  std::string input;
  Grams grams;
  std::string latin;
};

class SplitCjkTest : public ::testing::TestWithParam<SplitCase> {};

TEST_P(SplitCjkTest, SplitsIntoBigramsAndLatin) {
  const SplitCase& c = GetParam();
  const SplitText split = SplitCjk(c.input);
  EXPECT_EQ(split.cjk_bigrams, c.grams);
  EXPECT_EQ(split.latin, c.latin);
}

INSTANTIATE_TEST_SUITE_P(
    Table, SplitCjkTest,
    ::testing::Values(
        SplitCase{"Empty", "", {}, ""}, SplitCase{"LatinOnly", "Run fast", {}, "Run fast"},
        SplitCase{"Chinese", "短视频平台", {"短视", "视频", "频平", "平台"}, " "},
        SplitCase{"SingleCharacter", "猫", {"猫"}, " "},
        SplitCase{"Mixed", "Go语言 tutorial", {"语言"}, "Go  tutorial"},
        SplitCase{"RunBetweenWords", "abc视频def", {"视频"}, "abc def"},
        SplitCase{"FullWidthPunctuationSplits", "视频，平台", {"视频", "平台"}, " ， "},
        SplitCase{"IdeographicStopSplits", "猫。狗", {"猫", "狗"}, " 。 "},
        SplitCase{"Hiragana", "すし", {"すし"}, " "},
        SplitCase{"KatakanaWithKanji", "東京タワー", {"東京", "京タ", "タワ", "ワー"}, " "},
        SplitCase{"Hangul", "한국어 책", {"한국", "국어", "책"}, "   "},
        SplitCase{"ExtensionA", "\xE3\x90\x80\xE4\xB8\x80", {"\xE3\x90\x80\xE4\xB8\x80"}, " "}),
    [](const ::testing::TestParamInfo<SplitCase>& param_info) { return param_info.param.name; });

TEST(SplitCjkInvalidTest, InvalidUtf8IsASeparator) {
  // A stray continuation byte, a truncated sequence and an overlong '/' between ideographs.
  const SplitText split = SplitCjk("视\x80频 ab\xE4\xB8 \xC0\xAF平台\xE5");
  EXPECT_EQ(split.cjk_bigrams, (Grams{"视", "频", "平台"}));
  EXPECT_EQ(split.latin.find('\x80'), std::string::npos);
  EXPECT_NE(split.latin.find("ab"), std::string::npos);
}

TEST(SplitCjkInvalidTest, ArbitraryBytesDoNotCrash) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  const SplitText split = SplitCjk(bytes + bytes);
  EXPECT_TRUE(split.cjk_bigrams.empty());
}

}  // namespace
}  // namespace reel::search

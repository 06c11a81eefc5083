#include "video/domain/publish_policy.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

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
  EXPECT_EQ(NormalizeDescription("bell\x07").status().reason, "DESCRIPTION_INVALID");
  EXPECT_EQ(NormalizeDescription(Repeat("x", 2001)).status().reason, "DESCRIPTION_INVALID");
}

using Tags = std::vector<std::string>;

Result<Tags> Normalize(const Tags& tags) {
  return NormalizeTags(tags);
}

std::string TagsError(const Tags& tags) {
  auto result = Normalize(tags);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.status().reason, "TAGS_INVALID");
  return result.status().message;
}

TEST(TagPolicyTest, TagsAreTrimmedLowerCasedAndDeduplicatedInOrder) {
  EXPECT_EQ(*Normalize({"  Cats ", "DOGS", "cats", "Ünïcode", "猫", "dogs", "c++"}),
            (Tags{"cats", "dogs", "Ünïcode", "猫", "c++"}));
  EXPECT_EQ(*Normalize({}), Tags{});
}

TEST(TagPolicyTest, LengthIsCountedInCharacters) {
  EXPECT_EQ(*Normalize({Repeat("猫", 32)}), Tags{Repeat("猫", 32)});
  EXPECT_NE(TagsError({"ok", Repeat("猫", 33)}).find("tag 2"), std::string::npos);
  EXPECT_NE(TagsError({Repeat("x", 33)}).find("32"), std::string::npos);
}

TEST(TagPolicyTest, EachProblemIsNamed) {
  EXPECT_NE(TagsError({"a", "  "}).find("tag 2 is empty"), std::string::npos);
  EXPECT_NE(TagsError({""}).find("empty"), std::string::npos);
  EXPECT_NE(TagsError({"\xff\xfe"}).find("UTF-8"), std::string::npos);
  EXPECT_NE(TagsError({"bell\x07"}).find("control"), std::string::npos);
  EXPECT_NE(TagsError({"line\nbreak"}).find("control"), std::string::npos);
  EXPECT_NE(TagsError({"a,b"}).find("comma"), std::string::npos);
}

TEST(TagPolicyTest, AtMostTenDifferentTags) {
  Tags ten;
  for (int i = 0; i < 10; ++i) ten.push_back("t" + std::to_string(i));
  EXPECT_EQ(Normalize(ten)->size(), 10u);
  Tags ten_with_repeats = ten;
  ten_with_repeats.push_back("T0");  // the same tag again does not count
  EXPECT_EQ(*Normalize(ten_with_repeats), ten);
  Tags eleven = ten;
  eleven.push_back("t10");
  EXPECT_NE(TagsError(eleven).find("at most 10"), std::string::npos);
}

TEST(TagPolicyTest, LongTagsAreQuotedShortInMessages) {
  const std::string message = TagsError({Repeat("猫", 500)});
  EXPECT_LT(message.size(), 200u);
}

}  // namespace
}  // namespace reel::video

#include "apidocs/html_text.hpp"

#include <gtest/gtest.h>

namespace reel::apidocs {
namespace {

TEST(HtmlEscape, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(HtmlEscape(R"(<a href="x">Tom & 'Jerry'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
}

TEST(HtmlEscape, LeavesOtherTextAlone) {
  EXPECT_EQ(HtmlEscape("视频 1..100 ≤ `x`"), "视频 1..100 ≤ `x`");
}

TEST(DescriptionHtml, SplitsParagraphsOnBlankLines) {
  EXPECT_EQ(DescriptionHtml("one\nline\n\n\ntwo\n"), "<p>one\nline</p><p>two</p>");
  EXPECT_EQ(DescriptionHtml(""), "");
}

TEST(DescriptionHtml, SetsBackquotedSpansAsCodeAfterEscaping) {
  EXPECT_EQ(DescriptionHtml("send `<token>` & wait"),
            "<p>send <code>&lt;token&gt;</code> &amp; wait</p>");
}

TEST(DescriptionHtml, KeepsAnUnmatchedBackquote) {
  EXPECT_EQ(DescriptionHtml("a `b` c `d"), "<p>a <code>b</code> c `d</p>");
}

TEST(InlineHtml, EscapesAndSetsCodeSpansWithoutParagraphs) {
  EXPECT_EQ(InlineHtml("always `bytes` & <more>"), "always <code>bytes</code> &amp; &lt;more&gt;");
}

TEST(AnchorId, KeepsLettersAndDigitsAndJoinsTheRestWithDashes) {
  EXPECT_EQ(AnchorId("GET /api/video/{id}"), "get-api-video-id");
  EXPECT_EQ(AnchorId("  User <x>\"y\" "), "user-x-y");
  EXPECT_EQ(AnchorId("评论 list"), "评论-list");
}

}  // namespace
}  // namespace reel::apidocs

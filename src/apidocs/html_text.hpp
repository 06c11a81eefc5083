#pragma once

#include <string>
#include <string_view>

namespace reel::apidocs {

/// `text` safe inside HTML element content and quoted attribute values: & < > " ' escaped.
std::string HtmlEscape(std::string_view text);

/// Text as inline HTML: escaped, with `backquoted` spans set as `<code>` (an unmatched
/// backquote stays as it is).
std::string InlineHtml(std::string_view text);

/// Description text as HTML: escaped, blank lines starting new paragraphs (`<p>`), and
/// `backquoted` spans set as `<code>`. An unmatched backquote stays as it is.
std::string DescriptionHtml(std::string_view text);

/// An HTML id from any text: ASCII letters (lower-cased), digits and non-ASCII characters
/// kept, every other run of characters one '-'. "GET /api/video/{id}" → "get-api-video-id".
std::string AnchorId(std::string_view text);

}  // namespace reel::apidocs

#include "apidocs/html_text.hpp"

namespace reel::apidocs {

// The escaping never produces a backquote, so spans are found in the escaped text safely.
std::string InlineHtml(std::string_view text) {
  const std::string escaped = HtmlEscape(text);
  std::string out;
  std::size_t pos = 0;
  while (pos < escaped.size()) {
    const std::size_t open = escaped.find('`', pos);
    const std::size_t close =
        open == std::string::npos ? std::string::npos : escaped.find('`', open + 1);
    if (close == std::string::npos) {
      out.append(escaped, pos, std::string::npos);
      break;
    }
    out.append(escaped, pos, open - pos);
    out += "<code>";
    out.append(escaped, open + 1, close - open - 1);
    out += "</code>";
    pos = close + 1;
  }
  return out;
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string DescriptionHtml(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find("\n\n", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view paragraph = text.substr(pos, end - pos);
    while (!paragraph.empty() && (paragraph.front() == '\n' || paragraph.front() == ' ')) {
      paragraph.remove_prefix(1);
    }
    while (!paragraph.empty() && (paragraph.back() == '\n' || paragraph.back() == ' ')) {
      paragraph.remove_suffix(1);
    }
    if (!paragraph.empty()) out += "<p>" + InlineHtml(paragraph) + "</p>";
    pos = end + 2;
  }
  return out;
}

std::string AnchorId(std::string_view text) {
  std::string out;
  bool dash = false;
  for (char c : text) {
    const bool digit = c >= '0' && c <= '9';
    const bool lower = c >= 'a' && c <= 'z';
    const bool upper = c >= 'A' && c <= 'Z';
    // Bytes of non-ASCII characters are kept whole: ids and fragments may hold any
    // character but white space, and a Chinese tag name must not become "".
    const bool non_ascii = static_cast<unsigned char>(c) >= 0x80;
    if (digit || lower || upper || non_ascii) {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += upper ? static_cast<char>(c - 'A' + 'a') : c;
    } else {
      dash = true;
    }
  }
  return out;
}

}  // namespace reel::apidocs

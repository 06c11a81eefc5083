#include "kit/json/json_writer.hpp"

#include <cstring>

#include "kit/text/utf8.hpp"

namespace reel::json {

bool JsonWriter::NeedsCarefulQuoting(std::string_view v) {
  bool non_ascii = false;
  for (const char ch : v) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x1A && c <= 0x1F) return true;
    non_ascii |= c >= 0x80;
  }
  return non_ascii && !text::IsValidUtf8(v);
}

std::string JsonWriter::QuoteCarefully(std::string_view v) {
  const std::string text = text::ToValidUtf8(v);
  std::string out;
  out.reserve(text.size() + 16);
  out.push_back('"');
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (c < 0x20) {
          static constexpr char kHex[] = "0123456789ABCDEF";
          out.append("\\u00");
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace reel::json

// The text checks every title, name and comment goes through (kit/text/utf8): validity and
// code point counts are compared with rapidjson's UTF-8 decoder, which follows the Unicode
// table of well-formed sequences; control characters with the decoded code points.
//
// Input: the text.

#include <rapidjson/encodings.h>
#include <rapidjson/stream.h>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "fuzz_input.hpp"
#include "kit/text/utf8.hpp"

namespace {

using reel::fuzz::Check;

// The code points of `text`, or nullopt when it is not well-formed UTF-8.
std::optional<std::vector<unsigned>> Decode(std::string_view text) {
  rapidjson::GenericStringStream<rapidjson::UTF8<>> stream(text.data());
  std::vector<unsigned> code_points;
  // The stream reads up to a NUL; the loop stops at the text's own end instead.
  while (stream.Tell() < text.size()) {
    unsigned cp = 0;
    if (!rapidjson::UTF8<>::Decode(stream, &cp)) return std::nullopt;
    if (stream.Tell() > text.size()) return std::nullopt;
    code_points.push_back(cp);
  }
  return code_points;
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void FuzzOne(const std::uint8_t* data, std::size_t size) {
  reel::fuzz::FuzzInput in(data, size);
  // rapidjson's decoder reads a whole sequence before it says it is bad, so a truncated one
  // at the end needs up to three more readable bytes; a NUL inside is a code point.
  const std::string_view input = in.Rest();
  std::string owned(input);
  owned.append(3, '\0');
  const std::string_view text(owned.data(), input.size());

  const auto count = reel::text::CountCodePoints(text);
  const auto decoded = Decode(text);
  Check(count.has_value() == decoded.has_value(), "UTF-8 validity differs from rapidjson's");
  if (decoded) {
    Check(*count == decoded->size(), "the code point count differs from rapidjson's");
    bool control = false;
    for (unsigned cp : *decoded) control |= cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
    Check(reel::text::HasControlCharacters(text) == control,
          "HasControlCharacters differs from the decoded code points");
  }

  const std::string_view trimmed = reel::text::TrimAscii(text);
  Check(trimmed.empty() || (!IsAsciiSpace(trimmed.front()) && !IsAsciiSpace(trimmed.back())),
        "TrimAscii left white space at an end");
  Check(text.find(trimmed) != std::string_view::npos, "TrimAscii made up text");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  reel::fuzz::OnSmallStack([&] { FuzzOne(data, size); });
  return 0;
}

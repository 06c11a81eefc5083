#include "search/cjk_tokens.hpp"

#include <cstddef>
#include <cstdint>
#include <utility>

namespace reel::search {
namespace {

// One decoded code point and the bytes it took; `valid` is false for a byte that does not
// start a well-formed sequence (then `length` is 1 so the caller skips just that byte).
struct CodePoint {
  std::uint32_t value = 0;
  std::size_t length = 1;
  bool valid = false;
};

CodePoint Decode(std::string_view s, std::size_t at) {
  const auto lead = static_cast<unsigned char>(s[at]);
  std::size_t len = 0;
  if (lead < 0x80) return {lead, 1, true};
  if (lead >= 0xC2 && lead <= 0xDF) len = 2;
  if (lead >= 0xE0 && lead <= 0xEF) len = 3;
  if (lead >= 0xF0 && lead <= 0xF4) len = 4;
  if (len == 0 || at + len > s.size()) return {};
  std::uint32_t cp = lead & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) {
    const auto c = static_cast<unsigned char>(s[at + k]);
    if ((c & 0xC0) != 0x80) return {};
    cp = (cp << 6) | (c & 0x3F);
  }
  // Overlong forms, UTF-16 surrogates and values past U+10FFFF.
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return {};
  }
  return {cp, len, true};
}

bool IsCjk(std::uint32_t cp) {
  return (cp >= 0x3400 && cp <= 0x4DBF) ||    // Han extension A
         (cp >= 0x4E00 && cp <= 0x9FFF) ||    // Han unified ideographs
         (cp >= 0xF900 && cp <= 0xFAFF) ||    // Han compatibility ideographs
         (cp >= 0x20000 && cp <= 0x2FA1F) ||  // Han extensions B–F and supplements
         (cp >= 0x3041 && cp <= 0x309F) ||    // Hiragana
         (cp >= 0x30A1 && cp <= 0x30FF) ||    // Katakana (incl. the ー length mark)
         (cp >= 0xAC00 && cp <= 0xD7AF);      // Hangul syllables
}

// Emits the n-grams of one run, given as the byte views of its characters.
void EmitRun(const std::vector<std::string_view>& run, std::vector<std::string>& out) {
  if (run.size() == 1) {
    out.emplace_back(run.front());
    return;
  }
  for (std::size_t i = 0; i + 1 < run.size(); ++i) {
    std::string bigram(run[i]);
    bigram += run[i + 1];
    out.push_back(std::move(bigram));
  }
}

}  // namespace

SplitText SplitCjk(std::string_view utf8) {
  SplitText split;
  split.latin.reserve(utf8.size());
  std::vector<std::string_view> run;
  const auto end_run = [&] {
    if (run.empty()) return;
    EmitRun(run, split.cjk_bigrams);
    run.clear();
    split.latin += ' ';
  };
  for (std::size_t i = 0; i < utf8.size();) {
    const CodePoint cp = Decode(utf8, i);
    if (cp.valid && IsCjk(cp.value)) {
      run.push_back(utf8.substr(i, cp.length));
    } else {
      end_run();
      if (cp.valid) {
        split.latin.append(utf8.substr(i, cp.length));
      } else {
        split.latin += ' ';
      }
    }
    i += cp.length;
  }
  end_run();
  return split;
}

}  // namespace reel::search

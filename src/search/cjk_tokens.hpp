#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace reel::search {

/// Text split for indexing: CJK runs become character n-grams, the rest is left to a stemmer.
struct SplitText {
  /// Overlapping character bigrams of each CJK run, in order (duplicates kept, so repeated
  /// words weigh more); a run of one character contributes that character alone.
  std::vector<std::string> cjk_bigrams;
  /// The input with every CJK run (and every invalid UTF-8 byte) replaced by one space, so
  /// the words on either side of a run stay apart.
  std::string latin;
};

/// Splits UTF-8 text into CJK bigrams and the remaining text. Han ideographs (U+3400–U+4DBF,
/// U+4E00–U+9FFF, U+F900–U+FAFF, U+20000–U+2FA1F), Hiragana, Katakana and Hangul syllables
/// count as CJK; CJK punctuation (U+3000–U+303F, full-width forms) ends a run. Any word of
/// two or more characters inside a run is then a sequence of the run's bigrams. Never fails:
/// invalid UTF-8 is treated as a separator.
SplitText SplitCjk(std::string_view utf8);

}  // namespace reel::search

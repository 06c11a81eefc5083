#pragma once

#include <string>
#include <vector>

#include "seed/random.hpp"

namespace reel::bench {

/// Text for seeded rows, drawn from a fixed word list: titles differ from one another (each
/// ends with its video's id), and the words are real English so search stems them.
/// Everything fits the publish policy (title ≤ 100, description ≤ 2000, ≤ 10 tags of ≤ 32).
class TextGen {
 public:
  explicit TextGen(Random& random) : random_(random) {}

  std::string Title(std::int64_t video_id);
  std::string Description();
  /// 0 to 3 distinct tags.
  std::vector<std::string> Tags();
  std::string Comment();
  /// Empty for most users, as on a real platform.
  std::string Signature();

 private:
  void AppendWords(std::string& out, int count);

  Random& random_;
};

}  // namespace reel::bench

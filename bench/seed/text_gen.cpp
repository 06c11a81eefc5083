#include "seed/text_gen.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace reel::bench {
namespace {

constexpr std::array<std::string_view, 96> kWords = {
    "morning",  "city",      "river",      "cat",       "dog",    "dance",    "cooking", "noodles",
    "street",   "music",     "guitar",     "piano",     "sunset", "mountain", "beach",   "rain",
    "snow",     "coffee",    "tea",        "market",    "train",  "bicycle",  "garden",  "flower",
    "painting", "drawing",   "school",     "friends",   "family", "holiday",  "travel",  "hiking",
    "running",  "football",  "basketball", "skating",   "lake",   "forest",   "bird",    "fish",
    "bread",    "dumplings", "spicy",      "sweet",     "quiet",  "busy",     "night",   "lights",
    "festival", "lantern",   "dragon",     "panda",     "robot",  "camera",   "phone",   "window",
    "kitchen",  "recipe",    "tutorial",   "challenge", "review", "unboxing", "journey", "story",
    "song",     "cover",     "remix",      "comedy",    "prank",  "magic",    "science", "space",
    "planet",   "ocean",     "island",     "village",   "bridge", "tower",    "museum",  "library",
    "autumn",   "winter",    "spring",     "summer",    "happy",  "slow",     "fast",    "tiny",
    "giant",    "golden",    "silver",     "green",     "blue",   "red",      "first",   "last"};

constexpr std::array<std::string_view, 24> kTags = {
    "food",   "travel", "music", "pets",   "sports",  "dance",   "comedy",  "diy",
    "nature", "city",   "art",   "gaming", "tech",    "study",   "vlog",    "fashion",
    "cars",   "family", "movie", "books",  "fitness", "science", "cooking", "daily"};

}  // namespace

void TextGen::AppendWords(std::string& out, int count) {
  for (int i = 0; i < count; ++i) {
    if (!out.empty()) out += ' ';
    out += kWords[random_.Below(kWords.size())];
  }
}

std::string TextGen::Title(std::int64_t video_id) {
  std::string title;
  AppendWords(title, 2 + static_cast<int>(random_.Below(4)));
  title += " #";
  title += std::to_string(video_id);
  return title;
}

std::string TextGen::Description() {
  std::string text;
  AppendWords(text, 6 + static_cast<int>(random_.Below(20)));
  return text;
}

std::vector<std::string> TextGen::Tags() {
  std::vector<std::string> tags;
  const auto count = random_.Below(4);
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string tag(kTags[random_.Below(kTags.size())]);
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(std::move(tag));
  }
  return tags;
}

std::string TextGen::Comment() {
  std::string text;
  AppendWords(text, 2 + static_cast<int>(random_.Below(12)));
  return text;
}

std::string TextGen::Signature() {
  if (random_.Below(4) != 0) return {};
  std::string text;
  AppendWords(text, 3 + static_cast<int>(random_.Below(6)));
  return text;
}

}  // namespace reel::bench

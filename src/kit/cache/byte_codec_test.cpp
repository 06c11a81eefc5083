#include "kit/cache/byte_codec.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "kit/cache/shared_tier.hpp"

namespace reel::cache {
namespace {

enum class Shade { kLight, kDark };

struct Sample {
  std::int64_t id = 0;
  int small = 0;
  bool flag = false;
  std::string text;
  std::vector<std::string> tags;
  Shade shade = Shade::kLight;
  bool operator==(const Sample&) const = default;
};

SharedBinding<std::int64_t, Sample> Binding() {
  return IdKeyedFields<Sample>(nullptr, "test.samples", 3, [](auto& io, auto& s) {
    io.Field(s.id);
    io.Field(s.small);
    io.Field(s.flag);
    io.Field(s.text);
    io.Field(s.tags);
    io.Field(s.shade);
  });
}

TEST(ByteCodecTest, FieldsComeBackAsTheyWent) {
  const auto binding = Binding();
  const Sample sample{.id = std::numeric_limits<std::int64_t>::min(),
                      .small = -7,
                      .flag = true,
                      .text = std::string("bytes\0and \xe4\xb8\xad", 13),
                      .tags = {"a", "", "ccc"},
                      .shade = Shade::kDark};
  EXPECT_EQ(binding.decode(binding.encode(sample)), sample);
  const Sample empty;
  EXPECT_EQ(binding.decode(binding.encode(empty)), empty);
}

TEST(ByteCodecTest, AnotherFormatCutOrPaddedBytesAreMisses) {
  const auto binding = Binding();
  const std::string bytes = binding.encode(Sample{.id = 42, .text = "hello", .tags = {"x"}});
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_EQ(binding.decode(bytes.substr(0, cut)), std::nullopt) << "cut at " << cut;
  }
  EXPECT_EQ(binding.decode(bytes + "x"), std::nullopt);
  std::string other_format = bytes;
  other_format[0] = static_cast<char>(4 << 1);  // the zig-zag varint of format 4
  EXPECT_EQ(binding.decode(other_format), std::nullopt);
}

TEST(ByteCodecTest, AnImpossibleListLengthIsAMissNotAnAllocation) {
  ByteWriter out;
  out.Int(1).Int(std::numeric_limits<std::int64_t>::max());
  ByteReader in(out.Take());
  ASSERT_EQ(in.Int(), 1);
  std::vector<std::string> values;
  in.Field(values);
  EXPECT_FALSE(in.ok());
  EXPECT_TRUE(values.empty());
}

}  // namespace
}  // namespace reel::cache

#include "kit/http/multipart_stream.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

using namespace std::string_literals;

namespace reel::http {
namespace {

struct Collected {
  std::vector<PartInfo> parts;
  std::vector<std::string> bodies;
  int ended = 0;
};

MultipartStreamParser::Callbacks Collect(Collected& c) {
  return {[&c](const PartInfo& p) {
            c.parts.push_back(p);
            c.bodies.emplace_back();
            return Status::Ok();
          },
          [&c](std::string_view data) {
            c.bodies.back().append(data);
            return Status::Ok();
          },
          [&c] {
            ++c.ended;
            return Status::Ok();
          }};
}

std::string Body(const std::string& binary) {
  return "preamble ignored\r\n--B0undary\r\n"
         "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
         "hello, 世界\r\n"
         "--B0undary\r\n"
         "Content-Disposition: form-data; name=\"data\"; filename=\"clip \\\"1\\\".mp4\"\r\n"
         "Content-Type: video/mp4\r\n\r\n" +
         binary + "\r\n--B0undary--\r\nepilogue";
}

// Binary data that contains near-misses of the delimiter.
std::string Binary() {
  std::string b = "\r\n--B0undar\r\n-\r\n--B0\0\xff"s;
  std::mt19937 rng(7);
  for (int i = 0; i < 5000; ++i) b += static_cast<char>(rng() & 0xFF);
  b += "\r\n--B0undarx";
  return b;
}

void ExpectParsed(const Collected& c, const std::string& binary) {
  ASSERT_EQ(c.parts.size(), 2u);
  EXPECT_EQ(c.parts[0].name, "title");
  EXPECT_EQ(c.parts[0].filename, "");
  EXPECT_EQ(c.bodies[0], "hello, 世界");
  EXPECT_EQ(c.parts[1].name, "data");
  EXPECT_EQ(c.parts[1].filename, "clip \"1\".mp4");
  EXPECT_EQ(c.parts[1].content_type, "video/mp4");
  EXPECT_EQ(c.bodies[1], binary);
  EXPECT_EQ(c.ended, 2);
}

TEST(MultipartStreamParserTest, WholeBodyAtOnce) {
  const std::string binary = Binary();
  Collected c;
  MultipartStreamParser parser("B0undary", Collect(c));
  ASSERT_TRUE(parser.Feed(Body(binary)).ok());
  ASSERT_TRUE(parser.Finish().ok());
  ExpectParsed(c, binary);
}

TEST(MultipartStreamParserTest, EveryChunkSizeGivesTheSameResult) {
  const std::string binary = Binary();
  const std::string body = Body(binary);
  for (std::size_t chunk : {1u, 2u, 3u, 7u, 11u, 64u, 1000u}) {
    Collected c;
    MultipartStreamParser parser("B0undary", Collect(c));
    for (std::size_t at = 0; at < body.size(); at += chunk) {
      ASSERT_TRUE(parser.Feed(std::string_view(body).substr(at, chunk)).ok()) << chunk;
    }
    ASSERT_TRUE(parser.Finish().ok()) << chunk;
    ExpectParsed(c, binary);
  }
}

TEST(MultipartStreamParserTest, TruncatedBodyFailsAtFinish) {
  const std::string body = Body("abc");
  Collected c;
  MultipartStreamParser parser("B0undary", Collect(c));
  ASSERT_TRUE(parser.Feed(body.substr(0, body.size() / 2)).ok());
  EXPECT_EQ(parser.Finish().reason, "MULTIPART_INVALID");
}

TEST(MultipartStreamParserTest, MalformedPartsAreRefused) {
  for (std::string bad : {std::string("--B\r\nno colon here\r\n\r\nx\r\n--B--"),
                          std::string("--B\r\n\r\nx\r\n--B--"), std::string("--Bjunk")}) {
    Collected c;
    MultipartStreamParser parser("B", Collect(c));
    EXPECT_EQ(parser.Feed(bad).reason, "MULTIPART_INVALID") << bad;
  }
}

TEST(MultipartStreamParserTest, CallbackErrorStopsParsing) {
  MultipartStreamParser parser(
      "B", {[](const PartInfo&) { return PayloadTooLarge("TOO_BIG", "no"); }, nullptr, nullptr});
  EXPECT_EQ(
      parser.Feed("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--B--").reason,
      "TOO_BIG");
}

TEST(MultipartBoundaryTest, ExtractsQuotedAndPlain) {
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(MultipartBoundary("multipart/form-data; Boundary=\"a b\"; x=y"), "a b");
  EXPECT_EQ(MultipartBoundary("multipart/form-data"), "");
}

}  // namespace
}  // namespace reel::http

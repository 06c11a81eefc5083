#include "kit/json/json_writer.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace reel::json {
namespace {

// Parsed as a strict client would: encoding checked.
bool ParsesAsUtf8Json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
  return !doc.HasParseError();
}

TEST(JsonWriterTest, EchoedClientBytesThatAreNotUtf8StillMakeValidJson) {
  JsonWriter w;
  w.BeginObject()
      .Field("message", std::string_view("parameter 'cursor' must be an integer, got '\xCE\x1Ax'"))
      .EndObject();
  const std::string out = w.Take();
  EXPECT_TRUE(ParsesAsUtf8Json(out)) << out;
  EXPECT_NE(out.find("got '\xEF\xBF\xBD\\u001Ax'"), std::string::npos) << out;
}

TEST(JsonWriterTest, EscapesEveryControlCharacterInLongStrings) {
  // Long enough for rapidjson's 16-byte SSE2 path, which lets 0x1A..0x1F through raw.
  std::string text = "a string that is longer than sixteen bytes: ";
  for (char c = 0x01; c < 0x20; ++c) text.push_back(c);
  JsonWriter w;
  w.BeginObject().Field("text", text).EndObject();
  const std::string out = w.Take();
  EXPECT_TRUE(ParsesAsUtf8Json(out)) << out;
  for (char c = 0x01; c < 0x20; ++c) EXPECT_EQ(out.find(c), std::string::npos) << int(c);
  rapidjson::Document doc;
  doc.Parse(out.data(), out.size());
  EXPECT_EQ(std::string(doc["text"].GetString(), doc["text"].GetStringLength()), text);
}

TEST(JsonWriterTest, ValidTextIsWrittenAsItIs) {
  JsonWriter w;
  w.BeginObject().Field("title", "我的第一个视频 😀").EndObject();
  EXPECT_EQ(w.Take(), "{\"title\":\"我的第一个视频 😀\"}");
}

}  // namespace
}  // namespace reel::json

#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>

namespace reel::json {

/// A thin, allocation-light JSON writer for response bodies (rapidjson underneath).
/// Usage: w.BeginObject().Field("id", 7).Field("name", name).EndObject(); w.Take().
/// Not thread-safe; one per response.
class JsonWriter {
 public:
  /// `capacity`: bytes reserved up front. A feed page is about 23 KB; growing from
  /// rapidjson's 256 bytes took a dozen reallocations and copies per page.
  explicit JsonWriter(std::size_t capacity = 32 * 1024)
      : buffer_(nullptr, capacity), writer_(buffer_) {}

  JsonWriter& BeginObject() { return Did(writer_.StartObject()); }
  JsonWriter& BeginObject(std::string_view key) { return Key(key).BeginObject(); }
  JsonWriter& EndObject() { return Did(writer_.EndObject()); }
  JsonWriter& BeginArray() { return Did(writer_.StartArray()); }
  JsonWriter& BeginArray(std::string_view key) { return Key(key).BeginArray(); }
  JsonWriter& EndArray() { return Did(writer_.EndArray()); }

  JsonWriter& Key(std::string_view key) {
    return Did(writer_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size())));
  }
  /// Writes `v` as a JSON string. Bytes that are not UTF-8 (a client's, echoed in an error
  /// message) become U+FFFD: the document stays valid JSON, which must be UTF-8.
  JsonWriter& Value(std::string_view v) {
    if (NeedsCarefulQuoting(v)) return Raw(QuoteCarefully(v));
    return Did(writer_.String(v.data(), static_cast<rapidjson::SizeType>(v.size())));
  }
  JsonWriter& Value(const char* v) { return Value(std::string_view(v)); }
  JsonWriter& Value(const std::string& v) { return Value(std::string_view(v)); }
  JsonWriter& Value(std::int64_t v) { return Did(writer_.Int64(v)); }
  JsonWriter& Value(int v) { return Did(writer_.Int(v)); }
  JsonWriter& Value(double v) { return Did(writer_.Double(v)); }
  JsonWriter& Value(bool v) { return Did(writer_.Bool(v)); }
  JsonWriter& Null() { return Did(writer_.Null()); }

  template <typename T>
  JsonWriter& Field(std::string_view key, const T& v) {
    return Key(key).Value(v);
  }

  /// Appends already-serialised JSON as the next value (for cached fragments).
  JsonWriter& Raw(std::string_view json) { return RawParts({json}); }

  /// Appends already-serialised JSON given in pieces, as one next value (a cached
  /// rendering with the viewer's own values put between its pieces).
  JsonWriter& RawParts(std::initializer_list<std::string_view> parts) {
    // An empty raw value writes the separator and counts the value; the pieces are then
    // copied whole (rapidjson's RawValue copies byte by byte).
    writer_.RawValue("", 0, rapidjson::kObjectType);
    for (std::string_view part : parts) {
      if (!part.empty()) std::memcpy(buffer_.Push(part.size()), part.data(), part.size());
    }
    return *this;
  }

  /// Bytes written so far (so a caller can note where a value it wrote ends).
  std::size_t size() const { return buffer_.GetSize(); }

  std::string Take() const { return std::string(buffer_.GetString(), buffer_.GetSize()); }

 private:
  JsonWriter& Did(bool) { return *this; }

  /// True when rapidjson cannot be trusted with `v`: it is not valid UTF-8, or it holds a
  /// byte 0x1A..0x1F, which Debian's rapidjson 1.1.0 copies unescaped on its SSE2 path
  /// (its mask tests for bytes up to 0x19) and so writes invalid JSON.
  static bool NeedsCarefulQuoting(std::string_view v);
  /// `v` as a quoted JSON string: invalid UTF-8 replaced, every control character escaped.
  static std::string QuoteCarefully(std::string_view v);

  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

}  // namespace reel::json

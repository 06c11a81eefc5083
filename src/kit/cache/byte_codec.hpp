#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace reel::cache {

/// Writes a value's fields as bytes for a shared cache tier: integers as zig-zag varints,
/// strings length-prefixed. Compact and fast; the reader must read the fields back in the
/// order they were written, so each codec starts with a format number and a reader that
/// meets another one treats the entry as a miss.
class ByteWriter {
 public:
  ByteWriter& Int(std::int64_t value) {
    std::uint64_t bits = (static_cast<std::uint64_t>(value) << 1) ^
                         static_cast<std::uint64_t>(value >> 63);  // zig-zag
    while (bits >= 0x80) {
      out_.push_back(static_cast<char>((bits & 0x7F) | 0x80));
      bits >>= 7;
    }
    out_.push_back(static_cast<char>(bits));
    return *this;
  }
  ByteWriter& Bool(bool value) { return Int(value ? 1 : 0); }
  ByteWriter& Str(std::string_view value) {
    Int(static_cast<std::int64_t>(value.size()));
    out_.append(value);
    return *this;
  }
  std::string Take() { return std::move(out_); }

  /// One field of a value, by its type: what a codec's field list calls (see
  /// SharedFields), the same list ByteReader::Field reads back.
  void Field(const std::string& value) { Str(value); }
  void Field(bool value) { Bool(value); }
  template <class T>
  requires std::is_integral_v<T> || std::is_enum_v<T>
  void Field(T value) { Int(static_cast<std::int64_t>(value)); }
  void Field(const std::vector<std::string>& values) {
    Int(static_cast<std::int64_t>(values.size()));
    for (const std::string& value : values) Str(value);
  }

 private:
  std::string out_;
};

/// Reads what ByteWriter wrote. Each read returns nullopt once the bytes run out or do not
/// parse, and so does every read after; a codec checks `ok()` at the end.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  std::optional<std::int64_t> Int() {
    std::uint64_t bits = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (failed_ || in_.empty()) break;
      const auto byte = static_cast<unsigned char>(in_.front());
      in_.remove_prefix(1);
      bits |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) {
        return static_cast<std::int64_t>((bits >> 1) ^ (~(bits & 1) + 1));
      }
    }
    failed_ = true;
    return std::nullopt;
  }
  std::optional<bool> Bool() {
    auto value = Int();
    if (!value) return std::nullopt;
    return *value != 0;
  }
  std::optional<std::string> Str() {
    auto size = Int();
    if (!size || *size < 0 || static_cast<std::uint64_t>(*size) > in_.size()) {
      failed_ = true;
      return std::nullopt;
    }
    std::string value(in_.substr(0, static_cast<std::size_t>(*size)));
    in_.remove_prefix(static_cast<std::size_t>(*size));
    return value;
  }
  /// Every read succeeded and every byte was read.
  bool ok() const { return !failed_ && in_.empty(); }

  /// Reads one field written by ByteWriter::Field of the same type.
  void Field(std::string& value) { value = Str().value_or(""); }
  void Field(bool& value) { value = Bool().value_or(false); }
  template <class T>
  requires std::is_integral_v<T> || std::is_enum_v<T>
  void Field(T& value) { value = static_cast<T>(Int().value_or(0)); }
  void Field(std::vector<std::string>& values) {
    const std::int64_t count = Int().value_or(-1);
    // Each string takes a byte at least: more than the bytes left is a corrupt entry.
    if (count < 0 || static_cast<std::uint64_t>(count) > in_.size()) {
      failed_ = true;
      return;
    }
    values.clear();
    for (std::int64_t i = 0; i < count; ++i) values.push_back(Str().value_or(""));
  }

 private:
  std::string_view in_;
  bool failed_ = false;
};

}  // namespace reel::cache

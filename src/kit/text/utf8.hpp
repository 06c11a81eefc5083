#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace reel::text {

/// Number of Unicode code points in `s`, or nullopt when `s` is not valid UTF-8
/// (overlong forms, surrogates and code points above U+10FFFF are invalid).
std::optional<std::size_t> CountCodePoints(std::string_view s);

/// True when `s` is valid UTF-8 (as CountCodePoints judges it), without counting.
bool IsValidUtf8(std::string_view s);

/// `s` with every byte that does not belong to a valid UTF-8 sequence replaced by U+FFFD,
/// for echoing bytes a client sent into text that must be UTF-8 (JSON).
std::string ToValidUtf8(std::string_view s);

/// True when `s` holds a C0/C1 control character or DEL.
bool HasControlCharacters(std::string_view s);

/// `s` without leading and trailing ASCII white space.
std::string_view TrimAscii(std::string_view s);

}  // namespace reel::text

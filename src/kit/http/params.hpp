#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kit/http/message.hpp"
#include "kit/status/status.hpp"

namespace reel::http {

/// The largest integer every client can hold exactly (JavaScript, JSON-as-double parsers).
inline constexpr std::int64_t kMaxSafeInteger = (std::int64_t{1} << 53) - 1;

/// How deeply a JSON body may nest, counting its top-level object. Parameters are the
/// top-level members (and arrays of strings), so nothing real comes near; deeper bodies are
/// refused before parsing, since every level costs the parser memory.
inline constexpr std::size_t kMaxJsonDepth = 64;

/// Request parameters gathered liberally, as the Douyin routes need: the query string plus
/// the body when it is a urlencoded form, a multipart form (text fields only) or a JSON
/// object. Where a name appears twice, the query string wins.
///
/// Errors name the parameter: PARAM_MISSING, PARAM_INVALID (INVALID_ARGUMENT).
class Params {
 public:
  /// Fails (PARAM_INVALID) only when the body claims a type and does not parse as one.
  static Result<Params> From(const Request& request);

  std::optional<std::string_view> Get(std::string_view name) const;
  Result<std::string_view> Required(std::string_view name) const;

  /// An integer, also in the exponent form that clients decoding JSON numbers as doubles
  /// send ("1.680703713e+09"). Absent or empty gives nullopt.
  Result<std::optional<std::int64_t>> OptionalInt(std::string_view name) const;
  Result<std::int64_t> RequiredInt(std::string_view name) const;
  /// A positive integer below 2^53.
  Result<std::int64_t> RequiredId(std::string_view name) const;
  Result<std::optional<std::int64_t>> OptionalId(std::string_view name) const;
  /// A required two-way switch such as `action=follow|unfollow`: true for `on`, false for
  /// `off`. Errors: PARAM_MISSING when absent; PARAM_INVALID naming both words otherwise.
  Result<bool> RequiredSwitch(std::string_view name, std::string_view on,
                              std::string_view off) const;

  /// A list of strings: a JSON array of strings in the body, or one string of
  /// comma-separated items (items are trimmed and blank ones dropped, so "" is an empty
  /// list). nullopt when absent. Error: PARAM_INVALID when the array holds anything else.
  Result<std::optional<std::vector<std::string>>> OptionalStringList(std::string_view name) const;

  void Add(std::string name, std::string value);
  /// A JSON array parameter; nullopt records one that holds more than strings.
  void AddList(std::string name, std::optional<std::vector<std::string>> items);

 private:
  std::vector<std::pair<std::string, std::string>> values_;
  std::vector<std::pair<std::string, std::optional<std::vector<std::string>>>> lists_;
};

/// The `{name}` segment of the matched route as an id: decimal digits only, positive and
/// below 2^53. `what` names it in the refusal ("video id"). Error: PARAM_INVALID.
Result<std::int64_t> PathId(const Request& request, std::string_view name, std::string_view what);

/// Parses a decimal integer or an exactly integral decimal/exponent form whose magnitude
/// does not exceed 2^53. Anything else (junk, fractions, overflow) gives nullopt.
std::optional<std::int64_t> ParseInteger(std::string_view text);

/// Decodes %XX escapes and '+' (as space). Invalid escapes are kept as written.
std::string UrlDecode(std::string_view text);

/// Splits "a=1&b=2" into decoded pairs.
std::vector<std::pair<std::string, std::string>> ParseUrlEncoded(std::string_view text);

/// The token a client sent: `Authorization: Bearer`, a `token` header, or a `token`
/// parameter (in that order). Empty when there is none.
std::string_view TokenOf(const Request& request, const Params* params);

}  // namespace reel::http

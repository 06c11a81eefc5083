// Builds random requests from the route table for the route fuzzer: random methods, paths with
// ids at the integer edges, query strings, form, JSON, multipart and raw bodies with lying
// content types, and random headers, a share of them with valid tokens. Request `index` of
// seed `seed` is always the same request, whatever thread makes it and in whatever order, so a
// failure names (seed, index) and is replayed from those two numbers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "route_table.hpp"

namespace reel::security {

/// What the fuzzer knows about the server it talks to, so that a share of its requests reach
/// real objects with real credentials.
struct FuzzContext {
  std::vector<Route> routes{};
  /// Access tokens of real users (sent as valid credentials).
  std::vector<std::string> access_tokens{};
  /// Tokens that must be refused: refresh tokens, expired, forged.
  std::vector<std::string> bad_tokens{};
  /// Ids of real users, videos and comments.
  std::vector<std::int64_t> real_ids{};
  /// Keys of real media objects (`<sha256>.mp4`, `.jpg`).
  std::vector<std::string> media_keys{};
  /// Bytes of a small valid video and image, sent now and then as upload parts (the same
  /// bytes are stored once, so only the first upload of each costs a decode). May be empty.
  std::string video_bytes{};
  std::string image_bytes{};
};

/// One generated request.
struct FuzzRequest {
  std::uint64_t seed = 0;
  std::uint64_t index = 0;
  std::string method{};
  /// Path and query as sent (already encoded, or deliberately not).
  std::string target{};
  std::string body{};
  /// The Content-Type sent; empty sends none.
  std::string content_type{};
  e2e::Pairs headers{};
  /// The route the request was made from.
  const Route* route = nullptr;
  /// The method is the route's and the path its pattern filled in (a trailing slash aside),
  /// so a success must have that route's shape.
  bool route_intact = false;

  /// Everything needed to read or replay the request: seed, index, method, target, headers
  /// and the start of the body, printable (control and non-ASCII bytes escaped).
  std::string Describe() const;
};

/// Largest body MakeFuzzRequest builds: a little over http.max_body_bytes' default (1 MiB), so
/// that the size limit is crossed now and then.
inline constexpr std::size_t kMaxFuzzBodyBytes = (std::size_t{1} << 20) + 4096;

/// Request `index` of the sequence of `seed` over `context` (whose routes must not be empty).
/// Pure: depends on nothing else.
FuzzRequest MakeFuzzRequest(const FuzzContext& context, std::uint64_t seed, std::uint64_t index);

/// `text` with bytes outside printable ASCII written as \xNN, cut to `max` characters.
std::string Printable(std::string_view text, std::size_t max);

}  // namespace reel::security

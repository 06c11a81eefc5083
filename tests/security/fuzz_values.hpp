// The random pieces MakeFuzzRequest assembles: ids at the integer edges, strings that break
// parsers, parameter sets, bodies of every content type (and lies about it), and headers. One
// object per request, drawing from that request's own generator.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "fuzz_request.hpp"

namespace reel::security {

class FuzzValues {
 public:
  FuzzValues(std::mt19937_64& rng, const FuzzContext& context) : rng_(rng), context_(context) {}

  /// Uniform in [0, n); 0 when n is 0.
  std::size_t Below(std::size_t n);
  /// True with probability percent/100.
  bool Chance(int percent);

  /// A path segment for an `{id}`: the integer edges (0, -1, 1, 2^53-1, 2^53, 2^63-1, past
  /// 2^64), real ids, exponents, non-numeric, unicode, empty; percent-encoded where needed.
  std::string IdSegment();
  /// A path segment for a media `{key}`: real keys, well-formed unknown ones, traversal.
  std::string MediaKeySegment();
  /// A segment that turns a route's path into another path.
  std::string PathJunk();

  /// "" (anonymous), a valid access token, a token that must be refused, or garbage.
  std::string Token();

  /// Every parameter name the routes read, each with a value of its type (ids mostly real).
  e2e::Pairs PlausibleParams();
  /// Up to six parameters, names and values random (known names often, odd values).
  e2e::Pairs RandomParams();
  /// `params` as a query string: percent-encoded, or now and then raw bytes as they come.
  std::string QueryString(const e2e::Pairs& params);

  /// A body and the content type it is sent with: none, urlencoded, JSON (of the params,
  /// random, nested, broken or not an object), multipart (text fields and file parts,
  /// sometimes malformed), raw bytes, or over the size limit; the content type lies now
  /// and then. Never over kMaxFuzzBodyBytes.
  void Body(const e2e::Pairs& params, bool plausible, std::string& body, std::string& type);

  /// Random headers: the token (Authorization, or a token header on /douyin), Range,
  /// traceparent, conditional headers, Origin, X-Forwarded-For, huge values.
  e2e::Pairs Headers(const std::string& token, bool douyin);

  /// A string value that breaks things: empty, very long, unicode, invalid UTF-8, NUL,
  /// injection, format strings.
  std::string NastyString();
  /// A number-like value: the integer edges and malformed numbers.
  std::string EdgeNumber();

 private:
  std::string RealId();
  std::string RandomBytes(std::size_t size);
  std::string JsonValue(int depth);
  std::string JsonBody(const e2e::Pairs& params, bool plausible);
  std::string Multipart(const e2e::Pairs& params, std::string& boundary);

  std::mt19937_64& rng_;
  const FuzzContext& context_;
};

}  // namespace reel::security

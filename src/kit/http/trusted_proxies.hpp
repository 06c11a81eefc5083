#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kit/status/status.hpp"

namespace reel::http {

/// The proxies whose X-Forwarded-For the server believes (http.trusted_proxies): address
/// ranges in CIDR form, IPv4 and IPv6. Behind a proxy every connection comes from the
/// proxy's address, so without this every client would share one rate-limit bucket; with it,
/// only what a trusted hop appended counts, so a client cannot choose its own address.
/// Immutable once parsed; thread-safe.
class TrustedProxies {
 public:
  /// An empty set: no proxy is trusted and X-Forwarded-For is ignored.
  TrustedProxies() = default;

  /// Parses "10.0.0.0/8", "::1/128" or a bare address (one host). Host bits under the prefix
  /// are ignored ("127.0.0.1/8" is 127.0.0.0/8). Errors: INVALID_ARGUMENT CIDR_INVALID naming
  /// the first entry that is not an address range.
  static Result<TrustedProxies> Parse(const std::vector<std::string>& cidrs);

  bool empty() const { return ranges_.empty(); }

  /// Whether `ip` (textual; IPv4-mapped IPv6 counts as IPv4) is in a trusted range.
  bool Contains(std::string_view ip) const;

  /// The client's address for a request from `peer` carrying `forwarded_for` (every
  /// X-Forwarded-For value, joined by commas in the order received). From an untrusted peer,
  /// the peer: the header is the client's own words. From a trusted one, the right-most
  /// address that is not trusted, walking left while each hop is trusted; an entry that is not
  /// an address stops the walk at the last trusted hop; when every hop is trusted, the
  /// left-most one. Addresses come back in canonical text ("::1", "1.2.3.4").
  std::string ClientAddress(std::string_view peer, std::string_view forwarded_for) const;

 private:
  // An address as 16 bytes: IPv4 as IPv4-mapped IPv6, so one comparison serves both.
  using Bytes = std::array<std::uint8_t, 16>;
  struct Range {
    Bytes network{};
    int prefix = 0;  // bits, of the 128
  };
  // An address as a forwarded-for entry may write it ("[::1]:80", "1.2.3.4:80").
  static std::optional<Bytes> ParseAddress(std::string_view text);
  // A bare address; `v4` says which family it was written in.
  static std::optional<Bytes> ParseBare(std::string_view text, bool& v4);
  static std::string Canonical(const Bytes& address);
  bool Contains(const Bytes& address) const;

  std::vector<Range> ranges_;
};

}  // namespace reel::http

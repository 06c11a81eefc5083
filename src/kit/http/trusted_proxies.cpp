#include "kit/http/trusted_proxies.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace reel::http {
namespace {

constexpr std::uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsMapped(const std::array<std::uint8_t, 16>& a) {
  return std::memcmp(a.data(), kMappedPrefix, sizeof kMappedPrefix) == 0;
}

// Splits a forwarded-for list from the right: the last entry, and what is left of it.
std::string_view PopLast(std::string_view& list) {
  const auto comma = list.rfind(',');
  std::string_view last = comma == std::string_view::npos ? list : list.substr(comma + 1);
  list = comma == std::string_view::npos ? std::string_view{} : list.substr(0, comma);
  return Trim(last);
}

}  // namespace

std::optional<TrustedProxies::Bytes> TrustedProxies::ParseAddress(std::string_view text) {
  text = Trim(text);
  // Proxies write "[v6]:port" and "v4:port" too; the port says nothing about the client.
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    text = text.substr(1, close - 1);
  } else if (const auto colon = text.find(':');
             colon != std::string_view::npos &&
             text.find(':', colon + 1) == std::string_view::npos) {
    text = text.substr(0, colon);
  }
  bool v4 = false;
  return ParseBare(text, v4);
}

std::optional<TrustedProxies::Bytes> TrustedProxies::ParseBare(std::string_view text, bool& v4) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  const std::string z(text);  // inet_pton wants a terminated string
  Bytes out{};
  in_addr a4{};
  if (::inet_pton(AF_INET, z.c_str(), &a4) == 1) {
    v4 = true;
    std::memcpy(out.data(), kMappedPrefix, sizeof kMappedPrefix);
    std::memcpy(out.data() + 12, &a4, 4);
    return out;
  }
  in6_addr a6{};
  if (::inet_pton(AF_INET6, z.c_str(), &a6) == 1) {
    v4 = false;
    std::memcpy(out.data(), &a6, 16);
    return out;
  }
  return std::nullopt;
}

std::string TrustedProxies::Canonical(const Bytes& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (IsMapped(address)) {
    ::inet_ntop(AF_INET, address.data() + 12, text, sizeof text);
  } else {
    ::inet_ntop(AF_INET6, address.data(), text, sizeof text);
  }
  return text;
}

Result<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& cidrs) {
  TrustedProxies out;
  for (const std::string& entry : cidrs) {
    const std::string_view text = Trim(entry);
    if (text.empty()) continue;  // "a,,b" and a trailing comma
    const auto invalid = [&entry](std::string_view why) {
      return InvalidArgument("CIDR_INVALID", "'" + entry + "' is not an address range (" +
                                                 std::string(why) +
                                                 "), e.g. 10.0.0.0/8 or ::1/128");
    };
    const auto slash = text.find('/');
    bool v4 = false;
    const auto address = ParseBare(text.substr(0, slash), v4);
    if (!address) return invalid("not an address");
    const int width = v4 ? 32 : 128;
    int prefix = width;
    if (slash != std::string_view::npos) {
      const std::string_view bits = text.substr(slash + 1);
      const auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
      if (bits.empty() || ec != std::errc() || end != bits.data() + bits.size() || prefix < 0 ||
          prefix > width) {
        return invalid("the prefix length must be 0.." + std::to_string(width));
      }
    }
    Range range{*address, v4 ? 96 + prefix : prefix};
    for (int bit = range.prefix; bit < 128; ++bit) {
      range.network[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
    }
    out.ranges_.push_back(range);
  }
  return out;
}

bool TrustedProxies::Contains(const Bytes& address) const {
  for (const Range& range : ranges_) {
    int bit = 0;
    for (; bit + 8 <= range.prefix; bit += 8) {
      if (address[bit / 8] != range.network[bit / 8]) break;
    }
    if (bit + 8 <= range.prefix) continue;  // a whole byte differed
    if (bit < range.prefix) {
      const auto mask = static_cast<std::uint8_t>(0xffu << (8 - (range.prefix - bit)));
      if ((address[bit / 8] & mask) != range.network[bit / 8]) continue;
    }
    return true;
  }
  return false;
}

bool TrustedProxies::Contains(std::string_view ip) const {
  const auto address = ParseAddress(ip);
  return address && Contains(*address);
}

std::string TrustedProxies::ClientAddress(std::string_view peer,
                                          std::string_view forwarded_for) const {
  const auto peer_address = ParseAddress(peer);
  if (!peer_address) return std::string(peer);
  if (!Contains(*peer_address)) return Canonical(*peer_address);
  Bytes client = *peer_address;
  // Every hop is bounded by the header size the server reads (16 KiB), so this loop is too.
  while (!forwarded_for.empty()) {
    const std::string_view entry = PopLast(forwarded_for);
    const auto hop = ParseAddress(entry);
    if (!hop) break;  // a trusted hop would not have written this: stop believing
    client = *hop;
    if (!Contains(client)) break;
  }
  return Canonical(client);
}

}  // namespace reel::http

#include "kit/redis/redis_options.hpp"

#include <charconv>
#include <stdexcept>

namespace reel::redis {

std::string RedisEndpoint::ToString() const {
  return host + ":" + std::to_string(port);
}

RedisEndpoint RedisEndpoint::Parse(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    throw std::invalid_argument("a Redis endpoint is host:port, not \"" + std::string(text) + "\"");
  }
  const std::string_view port_text = text.substr(colon + 1);
  int number = 0;
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), number);
  if (error != std::errc() || end != port_text.data() + port_text.size() || number < 1 ||
      number > 65535) {
    throw std::invalid_argument("a Redis endpoint's port is 1..65535, not \"" +
                                std::string(port_text) + "\"");
  }
  RedisEndpoint endpoint;
  endpoint.host = std::string(text.substr(0, colon));
  endpoint.port = number;
  return endpoint;
}

}  // namespace reel::redis

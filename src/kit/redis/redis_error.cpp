#include "kit/redis/redis_error.hpp"

#include <array>
#include <utility>

namespace reel::redis {
namespace {

Status StatusOf(RedisError::Kind kind) {
  if (kind == RedisError::Kind::kUnavailable) {
    return Unavailable("REDIS_UNAVAILABLE", "a shared service is unavailable; try again shortly");
  }
  return Internal("internal error");
}

std::string_view FirstWord(std::string_view text) {
  return text.substr(0, text.find(' '));
}

}  // namespace

RedisError::RedisError(Kind kind, const std::string& what, std::string error_code)
    : StatusError(StatusOf(kind), what), kind_(kind), error_code_(std::move(error_code)) {}

RedisError ErrorOfReply(std::string_view reply_text) {
  // A server that is starting, running a long script, or (as a replica) cut off from its
  // primary answers these; so does one whose password changed. Waiting may help; the
  // command itself was fine.
  static constexpr std::array<std::string_view, 6> kNotServing = {
      "LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "NOAUTH", "WRONGPASS"};
  const std::string_view code = FirstWord(reply_text);
  RedisError::Kind kind = RedisError::Kind::kReply;
  for (std::string_view not_serving : kNotServing) {
    if (code == not_serving) kind = RedisError::Kind::kUnavailable;
  }
  return RedisError(kind, "redis: " + std::string(reply_text), std::string(code));
}

}  // namespace reel::redis

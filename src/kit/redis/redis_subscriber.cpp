#include "kit/redis/redis_subscriber.hpp"

#include <algorithm>
#include <exception>
#include <optional>
#include <stdexcept>
#include <utility>

#include "kit/log/log.hpp"
#include "kit/redis/redis_connection.hpp"
#include "kit/redis/redis_error.hpp"

namespace reel::redis {
namespace {

// How often the thread looks up from a quiet connection (stop requests, PING).
constexpr std::chrono::milliseconds kPollInterval{100};
// A connection quiet this long is asked for a PING: a server that hangs, or a peer that
// vanished without closing, is found within this plus command_timeout.
constexpr std::chrono::milliseconds kPingAfter{1000};

bool IsPush(const RedisReply& reply, std::string_view kind, std::size_t size) {
  return reply.type() == RedisReply::Type::kArray && reply.elements().size() == size &&
         reply.elements()[0].type() == RedisReply::Type::kString &&
         reply.elements()[0].str() == kind;
}

}  // namespace

RedisSubscriber::RedisSubscriber(RedisOptions options, std::vector<std::string> channels,
                                 MessageHandler on_message, ReconnectHandler on_reconnect)
    : options_(std::move(options)),
      channels_(std::move(channels)),
      on_message_(std::move(on_message)),
      on_reconnect_(std::move(on_reconnect)) {
  if (channels_.empty()) throw std::invalid_argument("RedisSubscriber needs a channel");
  thread_ = std::jthread([this](std::stop_token stop) { Run(std::move(stop)); });
}

RedisSubscriber::~RedisSubscriber() {
  thread_.request_stop();
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool RedisSubscriber::subscribed() const {
  std::lock_guard lock(mutex_);
  return subscribed_;
}

bool RedisSubscriber::WaitSubscribed(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return subscribed_; });
}

int RedisSubscriber::subscriptions() const {
  std::lock_guard lock(mutex_);
  return subscriptions_;
}

void RedisSubscriber::SetSubscribed(bool active) {
  {
    std::lock_guard lock(mutex_);
    subscribed_ = active;
    if (active) ++subscriptions_;
  }
  changed_.notify_all();
}

void RedisSubscriber::Run(std::stop_token stop) {
  std::chrono::milliseconds backoff = options_.reconnect_min;
  bool lost = false;  // logged once per outage, not once per attempt
  while (!stop.stop_requested()) {
    try {
      RedisConnection conn(options_);
      Subscribe(conn);
      backoff = options_.reconnect_min;
      if (lost) log::Info("redis subscriber reconnected", {{"server", conn.label()}});
      lost = false;
      // Before subscribed() says so: whoever sees it true may rely on the flush being done.
      if (on_reconnect_) {
        try {
          on_reconnect_();
        } catch (const std::exception& e) {
          log::Error("redis subscriber: on_reconnect failed", {{"error", e.what()}});
        }
      }
      SetSubscribed(true);
      Listen(conn, stop);
    } catch (const std::exception& e) {  // RedisError, or a reply of a shape not expected
      if (!lost) log::Warn("redis subscriber lost its server; reconnecting", {{"error", e.what()}});
      lost = true;
    }
    SetSubscribed(false);
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, stop, backoff, [] { return false; });
    backoff = std::min(backoff * 2, options_.reconnect_max);
  }
}

void RedisSubscriber::Subscribe(RedisConnection& conn) {
  std::vector<std::string_view> command = {"SUBSCRIBE"};
  command.insert(command.end(), channels_.begin(), channels_.end());
  conn.Send(command);
  // One confirmation per channel, in order.
  const auto deadline = std::chrono::steady_clock::now() + options_.command_timeout;
  for (std::size_t confirmed = 0; confirmed < channels_.size();) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      throw RedisError(RedisError::Kind::kUnavailable,
                       conn.label() + ": SUBSCRIBE not confirmed within the command timeout");
    }
    const std::optional<RedisReply> reply = conn.Receive(left);
    if (!reply) continue;
    if (reply->type() == RedisReply::Type::kError) throw ErrorOfReply(reply->str());
    if (IsPush(*reply, "subscribe", 3)) ++confirmed;
  }
}

void RedisSubscriber::Listen(RedisConnection& conn, const std::stop_token& stop) {
  auto last_heard = std::chrono::steady_clock::now();
  bool ping_sent = false;
  while (!stop.stop_requested()) {
    const std::optional<RedisReply> reply = conn.Receive(kPollInterval);
    const auto now = std::chrono::steady_clock::now();
    if (!reply) {
      if (!ping_sent && now - last_heard >= kPingAfter) {
        const std::string_view ping[] = {"PING"};
        conn.Send(ping);
        ping_sent = true;
      } else if (ping_sent && now - last_heard >= kPingAfter + options_.command_timeout) {
        throw RedisError(RedisError::Kind::kUnavailable,
                         conn.label() + ": no answer to PING within the command timeout");
      }
      continue;
    }
    last_heard = now;
    ping_sent = false;
    if (!IsPush(*reply, "message", 3)) continue;  // the PING's pong
    try {
      on_message_(reply->elements()[1].str(), reply->elements()[2].str());
    } catch (const std::exception& e) {
      log::Error("redis subscriber: a message handler failed", {{"error", e.what()}});
    }
  }
}

}  // namespace reel::redis

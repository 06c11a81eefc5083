#include "kit/redis/redis_connection.hpp"

#include <hiredis/hiredis.h>
#include <poll.h>

#include <cerrno>
#include <vector>

#include "kit/redis/redis_error.hpp"

namespace reel::redis {
namespace {

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

timeval ToTimeval(std::chrono::milliseconds duration) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(duration.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((duration.count() % 1000) * 1000);
  return tv;
}

RedisReply Copy(const redisReply& reply) {
  switch (reply.type) {
    case REDIS_REPLY_INTEGER:
      return RedisReply::Integer(reply.integer);
    case REDIS_REPLY_STRING:
      return RedisReply::String(std::string(reply.str, reply.len));
    case REDIS_REPLY_STATUS:
      return RedisReply::Status(std::string(reply.str, reply.len));
    case REDIS_REPLY_ERROR:
      return RedisReply::Error(std::string(reply.str, reply.len));
    case REDIS_REPLY_ARRAY: {
      std::vector<RedisReply> elements;
      elements.reserve(reply.elements);
      for (std::size_t i = 0; i < reply.elements; ++i) elements.push_back(Copy(*reply.element[i]));
      return RedisReply::Array(std::move(elements));
    }
    default:  // REDIS_REPLY_NIL
      return RedisReply();
  }
}

// hiredis takes parallel arrays of pointers and lengths: lengths, so values may hold any
// byte (NUL included).
struct ArgvArrays {
  explicit ArgvArrays(std::span<const std::string_view> args) {
    pointers.reserve(args.size());
    lengths.reserve(args.size());
    for (std::string_view arg : args) {
      pointers.push_back(arg.data());
      lengths.push_back(arg.size());
    }
  }
  int argc() const { return static_cast<int>(pointers.size()); }
  std::vector<const char*> pointers;
  std::vector<std::size_t> lengths;
};

}  // namespace

void RedisConnection::ContextDeleter::operator()(redisContext* context) const {
  redisFree(context);
}

RedisConnection::RedisConnection(const RedisOptions& options)
    : label_("redis " + options.endpoint.ToString()) {
  context_.reset(redisConnectWithTimeout(options.endpoint.host.c_str(), options.endpoint.port,
                                         ToTimeval(options.connect_timeout)));
  if (!context_) throw RedisError(RedisError::Kind::kUnavailable, label_ + ": out of memory");
  if (context_->err != 0) {
    throw RedisError(RedisError::Kind::kUnavailable,
                     label_ + ": cannot connect: " + std::string(context_->errstr));
  }
  if (redisSetTimeout(context_.get(), ToTimeval(options.command_timeout)) != REDIS_OK) {
    Fail("setting the command timeout");
  }
  // Finds a peer that vanished without closing (a machine gone) on an idle connection.
  redisEnableKeepAlive(context_.get());
  if (!options.password.empty()) {
    const std::string_view auth[] = {"AUTH", options.password};
    const RedisReply reply = Run(auth);
    if (reply.type() == RedisReply::Type::kError) {
      // Whatever the server says, this client cannot use it: unavailable, not a bug to
      // report per request.
      throw RedisError(RedisError::Kind::kUnavailable, label_ + ": login refused: " + reply.str());
    }
  }
}

RedisConnection::~RedisConnection() = default;

RedisReply RedisConnection::Run(std::span<const std::string_view> args) {
  ArgvArrays argv(args);  // not const: hiredis takes `const char**`
  ReplyPtr reply(static_cast<redisReply*>(
      redisCommandArgv(context_.get(), argv.argc(), argv.pointers.data(), argv.lengths.data())));
  if (!reply) Fail("running " + std::string(args.empty() ? "" : args.front()));
  return Copy(*reply);
}

void RedisConnection::Send(std::span<const std::string_view> args) {
  ArgvArrays argv(args);  // not const: hiredis takes `const char**`
  if (redisAppendCommandArgv(context_.get(), argv.argc(), argv.pointers.data(),
                             argv.lengths.data()) != REDIS_OK) {
    Fail("sending a command");
  }
  int done = 0;
  while (done == 0) {
    if (redisBufferWrite(context_.get(), &done) != REDIS_OK) Fail("sending a command");
  }
}

std::optional<RedisReply> RedisConnection::Receive(std::chrono::milliseconds wait) {
  void* raw = nullptr;
  if (redisGetReplyFromReader(context_.get(), &raw) != REDIS_OK) Fail("reading a reply");
  if (raw == nullptr) {
    pollfd fd{context_->fd, POLLIN, 0};
    const int ready = poll(&fd, 1, static_cast<int>(wait.count()));
    if (ready < 0 && errno == EINTR) return std::nullopt;
    if (ready < 0) Fail("waiting for a reply");
    if (ready == 0) return std::nullopt;
    // Readable: this read does not block (the end of the stream is an error here).
    if (redisBufferRead(context_.get()) != REDIS_OK) Fail("reading a reply");
    if (redisGetReplyFromReader(context_.get(), &raw) != REDIS_OK) Fail("reading a reply");
    if (raw == nullptr) return std::nullopt;  // part of one; the rest comes with a later read
  }
  const ReplyPtr reply(static_cast<redisReply*>(raw));
  return Copy(*reply);
}

bool RedisConnection::StillOpen() const {
  if (broken_) return false;
  pollfd fd{context_->fd, POLLIN, 0};
  const int ready = poll(&fd, 1, 0);
  return ready == 0 || (ready < 0 && errno == EINTR);
}

void RedisConnection::Fail(std::string_view doing) {
  broken_ = true;
  const std::string error = context_->err != 0 ? context_->errstr : "unknown error";
  // hiredis reports a receive timeout (SO_RCVTIMEO) as EAGAIN's text; say what it means.
  const bool timed_out =
      context_->err == REDIS_ERR_IO && error.find("temporarily unavailable") != std::string::npos;
  throw RedisError(RedisError::Kind::kUnavailable,
                   label_ + ": " + std::string(doing) + ": " +
                       (timed_out ? "no reply within the command timeout" : error));
}

}  // namespace reel::redis

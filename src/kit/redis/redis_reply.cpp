#include "kit/redis/redis_reply.hpp"

#include <stdexcept>
#include <utility>

namespace reel::redis {
namespace {

const char* TypeName(RedisReply::Type type) {
  switch (type) {
    case RedisReply::Type::kNil:
      return "nil";
    case RedisReply::Type::kInteger:
      return "integer";
    case RedisReply::Type::kString:
      return "string";
    case RedisReply::Type::kStatus:
      return "status";
    case RedisReply::Type::kError:
      return "error";
    case RedisReply::Type::kArray:
      return "array";
  }
  return "?";
}

[[noreturn]] void WrongType(RedisReply::Type wanted, const RedisReply& reply) {
  throw std::logic_error(std::string("redis reply is not ") + TypeName(wanted) + ": " +
                         reply.Describe());
}

}  // namespace

RedisReply RedisReply::Integer(std::int64_t value) {
  RedisReply reply;
  reply.type_ = Type::kInteger;
  reply.integer_ = value;
  return reply;
}

RedisReply RedisReply::String(std::string bytes) {
  RedisReply reply;
  reply.type_ = Type::kString;
  reply.str_ = std::move(bytes);
  return reply;
}

RedisReply RedisReply::Status(std::string text) {
  RedisReply reply;
  reply.type_ = Type::kStatus;
  reply.str_ = std::move(text);
  return reply;
}

RedisReply RedisReply::Error(std::string text) {
  RedisReply reply;
  reply.type_ = Type::kError;
  reply.str_ = std::move(text);
  return reply;
}

RedisReply RedisReply::Array(std::vector<RedisReply> elements) {
  RedisReply reply;
  reply.type_ = Type::kArray;
  reply.elements_ = std::move(elements);
  return reply;
}

std::int64_t RedisReply::integer() const {
  if (type_ != Type::kInteger) WrongType(Type::kInteger, *this);
  return integer_;
}

const std::string& RedisReply::str() const {
  if (type_ != Type::kString && type_ != Type::kStatus && type_ != Type::kError) {
    WrongType(Type::kString, *this);
  }
  return str_;
}

const std::vector<RedisReply>& RedisReply::elements() const {
  if (type_ != Type::kArray) WrongType(Type::kArray, *this);
  return elements_;
}

std::string RedisReply::Describe() const {
  switch (type_) {
    case Type::kNil:
      return "nil";
    case Type::kInteger:
      return std::to_string(integer_);
    case Type::kString:
      return "\"" + str_ + "\"";
    case Type::kStatus:
      return "+" + str_;
    case Type::kError:
      return "-" + str_;
    case Type::kArray: {
      std::string out = "[";
      for (std::size_t i = 0; i < elements_.size(); ++i) {
        if (i > 0) out += ", ";
        out += elements_[i].Describe();
      }
      return out + "]";
    }
  }
  return "?";
}

}  // namespace reel::redis

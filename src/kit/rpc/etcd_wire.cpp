#include "kit/rpc/etcd_wire.hpp"

#include <rapidjson/document.h>

#include <array>
#include <cstdlib>

namespace reel::rpc::etcd_wire {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int SextetOf(char c) {
  auto at = kAlphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

bool Parse(std::string_view text, rapidjson::Document& doc) {
  doc.Parse(text.data(), text.size());
  return !doc.HasParseError() && doc.IsObject();
}

// The gateway writes int64 as JSON strings ("revision":"12"); accept numbers too.
std::int64_t Int64Field(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd()) return 0;
  if (it->value.IsInt64()) return it->value.GetInt64();
  if (it->value.IsString()) return std::strtoll(it->value.GetString(), nullptr, 10);
  return 0;
}

std::string Base64Field(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return Base64Decode({it->value.GetString(), it->value.GetStringLength()}).value_or("");
}

bool BoolField(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  return it != object.MemberEnd() && it->value.IsBool() && it->value.GetBool();
}

std::string StringField(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

std::int64_t RevisionOf(const rapidjson::Value& object) {
  auto header = object.FindMember("header");
  if (header == object.MemberEnd() || !header->value.IsObject()) return 0;
  return Int64Field(header->value, "revision");
}

// Unary errors: {"error":"text","message":"text","code":5}; streaming ones nest an object:
// {"error":{"grpc_code":5,"message":"text",...}}.
Status StatusOfErrorValue(const rapidjson::Value& object, long http_status) {
  auto error = object.FindMember("error");
  std::string message;
  std::int64_t grpc_code = Int64Field(object, "code");
  if (error != object.MemberEnd() && error->value.IsObject()) {
    message = StringField(error->value, "message");
    grpc_code = Int64Field(error->value, "grpc_code");
  } else {
    message = StringField(object, "message");
    if (message.empty()) message = StringField(object, "error");
  }
  if (message.empty()) message = "etcd answered HTTP " + std::to_string(http_status);
  constexpr std::int64_t kGrpcNotFound = 5;
  if (grpc_code == kGrpcNotFound || http_status == 404) return NotFound("ETCD_NOT_FOUND", message);
  return Unavailable("ETCD_ERROR", message);
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
             (static_cast<unsigned char>(bytes[i + 1]) << 8) |
             static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    std::array<int, 4> s{};
    int padding = 0;
    for (size_t j = 0; j < 4; ++j) {
      char c = text[i + j];
      if (c == '=' && last && j >= 2) {
        ++padding;
        s[j] = 0;
        continue;
      }
      if (padding > 0) return std::nullopt;  // data after padding
      s[j] = SextetOf(c);
      if (s[j] < 0) return std::nullopt;
    }
    unsigned n = (s[0] << 18) | (s[1] << 12) | (s[2] << 6) | s[3];
    out.push_back(static_cast<char>((n >> 16) & 0xff));
    if (padding < 2) out.push_back(static_cast<char>((n >> 8) & 0xff));
    if (padding < 1) out.push_back(static_cast<char>(n & 0xff));
  }
  return out;
}

std::string PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(end.back());
    if (last < 0xff) {
      ++last;
      return end;
    }
    end.pop_back();
  }
  return std::string(1, '\0');
}

Status ErrorStatus(long http_status, std::string_view body) {
  rapidjson::Document doc;
  if (!Parse(body, doc)) {
    return Unavailable("ETCD_ERROR", "etcd answered HTTP " + std::to_string(http_status));
  }
  return StatusOfErrorValue(doc, http_status);
}

Result<Reply> ParseReply(std::string_view body) {
  rapidjson::Document doc;
  if (!Parse(body, doc)) return Unavailable("ETCD_ERROR", "etcd sent a malformed reply");
  if (doc.HasMember("error")) return StatusOfErrorValue(doc, 200);
  const rapidjson::Value* object = &doc;
  auto result = doc.FindMember("result");
  if (result != doc.MemberEnd() && result->value.IsObject()) object = &result->value;

  Reply reply;
  reply.revision = RevisionOf(*object);
  reply.id = Int64Field(*object, "ID");
  reply.ttl = Int64Field(*object, "TTL");
  auto kvs = object->FindMember("kvs");
  if (kvs != object->MemberEnd() && kvs->value.IsArray()) {
    for (const auto& kv : kvs->value.GetArray()) {
      if (!kv.IsObject()) continue;
      reply.kvs.push_back({Base64Field(kv, "key"), Base64Field(kv, "value")});
    }
  }
  return reply;
}

WatchLine ParseWatchLine(std::string_view line) {
  WatchLine out;
  rapidjson::Document doc;
  if (!Parse(line, doc)) {
    out.message = "malformed watch line";
    return out;
  }
  auto result = doc.FindMember("result");
  if (doc.HasMember("error") || result == doc.MemberEnd() || !result->value.IsObject()) {
    out.message = ErrorStatus(200, line).message;
    return out;
  }
  const rapidjson::Value& r = result->value;
  out.revision = RevisionOf(r);
  if (BoolField(r, "canceled")) {
    out.kind = WatchLine::Kind::kCanceled;
    out.message = StringField(r, "cancel_reason");
    if (auto compacted = Int64Field(r, "compact_revision"); compacted > 0) {
      out.message += " (compacted at revision " + std::to_string(compacted) + ")";
    }
    return out;
  }
  out.kind = BoolField(r, "created") ? WatchLine::Kind::kCreated : WatchLine::Kind::kEvents;
  auto events = r.FindMember("events");
  if (events == r.MemberEnd() || !events->value.IsArray()) return out;
  out.kind = WatchLine::Kind::kEvents;
  for (const auto& event : events->value.GetArray()) {
    if (!event.IsObject()) continue;
    auto kv = event.FindMember("kv");
    if (kv == event.MemberEnd() || !kv->value.IsObject()) continue;
    WatchLine::Event e;
    // PUT is the enum's zero value, so the gateway leaves "type" out for it.
    e.deleted = StringField(event, "type") == "DELETE";
    e.key = Base64Field(kv->value, "key");
    if (!e.deleted) e.value = Base64Field(kv->value, "value");
    out.events.push_back(std::move(e));
  }
  return out;
}

}  // namespace reel::rpc::etcd_wire

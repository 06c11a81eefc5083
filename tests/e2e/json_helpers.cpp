#include "json_helpers.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>

namespace reel::e2e {

std::string ToJson(const Pairs& string_fields) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  for (const auto& [name, value] : string_fields) {
    writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  }
  writer.EndObject();
  return buffer.GetString();
}

const rapidjson::Value* JsonAt(const rapidjson::Value& root, std::string_view path) {
  const rapidjson::Value* current = &root;
  while (!path.empty()) {
    const auto dot = path.find('.');
    const std::string step(path.substr(0, dot));
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    if (current->IsObject()) {
      const auto member = current->FindMember(step.c_str());
      if (member == current->MemberEnd()) return nullptr;
      current = &member->value;
    } else if (current->IsArray() && !step.empty() &&
               std::all_of(step.begin(), step.end(), [](char c) { return std::isdigit(c); })) {
      const auto index = std::stoul(step);
      if (index >= current->Size()) return nullptr;
      current = &(*current)[static_cast<rapidjson::SizeType>(index)];
    } else {
      return nullptr;
    }
  }
  return current;
}

std::optional<std::int64_t> JsonInt(const rapidjson::Value& root, std::string_view path) {
  const rapidjson::Value* value = JsonAt(root, path);
  if (value == nullptr || !value->IsInt64()) return std::nullopt;
  return value->GetInt64();
}

std::optional<double> JsonNumber(const rapidjson::Value& root, std::string_view path) {
  const rapidjson::Value* value = JsonAt(root, path);
  if (value == nullptr || !value->IsNumber()) return std::nullopt;
  return value->GetDouble();
}

std::optional<std::string> JsonString(const rapidjson::Value& root, std::string_view path) {
  const rapidjson::Value* value = JsonAt(root, path);
  if (value == nullptr || !value->IsString()) return std::nullopt;
  return std::string(value->GetString(), value->GetStringLength());
}

std::optional<bool> JsonBool(const rapidjson::Value& root, std::string_view path) {
  const rapidjson::Value* value = JsonAt(root, path);
  if (value == nullptr || !value->IsBool()) return std::nullopt;
  return value->GetBool();
}

std::optional<std::int64_t> DouyinStatusCode(const HttpResponse& response) {
  return JsonInt(response.Json(), "status_code");
}

std::string ApiReason(const HttpResponse& response) {
  return JsonString(response.Json(), "reason").value_or("");
}

}  // namespace reel::e2e

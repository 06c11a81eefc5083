#include "kit/http/params.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "kit/http/multipart_stream.hpp"

namespace reel::http {
namespace {

Status Missing(std::string_view name) {
  return InvalidArgument("PARAM_MISSING", "missing parameter '" + std::string(name) + "'");
}

Status Malformed(std::string_view name, std::string_view why) {
  return InvalidArgument("PARAM_INVALID",
                         "parameter '" + std::string(name) + "' " + std::string(why));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

Status AddMultipart(Params& params, std::string_view content_type, std::string_view body) {
  const std::string_view boundary = MultipartBoundary(content_type);
  if (boundary.empty()) return Malformed("body", "is multipart without a boundary");
  // Text fields become parameters; file parts are for upload routes, which spool them.
  std::string name, value;
  bool is_file = false;
  MultipartStreamParser parser(boundary, {[&](const PartInfo& part) {
                                            name = part.name;
                                            value.clear();
                                            is_file = !part.filename.empty();
                                            return Status::Ok();
                                          },
                                          [&](std::string_view data) {
                                            if (!is_file) value.append(data);
                                            return Status::Ok();
                                          },
                                          [&] {
                                            if (!is_file) params.Add(name, value);
                                            return Status::Ok();
                                          }});
  if (Status s = parser.Feed(body); !s.ok()) return s;
  return parser.Finish();
}

// The strings of a JSON array, or nullopt when it holds anything else.
std::optional<std::vector<std::string>> StringsOf(const rapidjson::Value& array) {
  std::vector<std::string> items;
  items.reserve(array.Size());
  for (const auto& item : array.GetArray()) {
    if (!item.IsString()) return std::nullopt;
    items.emplace_back(item.GetString(), item.GetStringLength());
  }
  return items;
}

std::string_view TrimSpaces(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// The deepest nesting of arrays and objects in `json`, brackets inside strings not counted.
// Exact for valid JSON; for anything else the parse that follows gives the error.
std::size_t NestingDepth(std::string_view json) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

Status AddJson(Params& params, std::string_view body) {
  if (NestingDepth(body) > kMaxJsonDepth) {
    return Malformed("body",
                     "is nested more than " + std::to_string(kMaxJsonDepth) + " levels deep");
  }
  // Iterative as well, so the stack a parse needs never depends on the body: the recursive
  // parse of a million '[' overflowed a request thread's stack and took the server down.
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return Malformed("body", "is not a JSON object");
  for (const auto& member : doc.GetObject()) {
    const auto& v = member.value;
    std::string text;
    if (v.IsString()) {
      text.assign(v.GetString(), v.GetStringLength());
    } else if (v.IsInt64()) {
      text = std::to_string(v.GetInt64());
    } else if (v.IsNumber()) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", v.GetDouble());
      text = buf;
    } else if (v.IsBool()) {
      text = v.GetBool() ? "true" : "false";
    } else if (v.IsArray()) {
      params.AddList(std::string(member.name.GetString(), member.name.GetStringLength()),
                     StringsOf(v));
      continue;
    } else {
      continue;  // nested values are not parameters
    }
    params.Add(std::string(member.name.GetString(), member.name.GetStringLength()),
               std::move(text));
  }
  return Status::Ok();
}

// -?digits(.digits)?([eE][+-]?digits)?: JSON's number syntax, leading zeros allowed. strtod
// alone would also take white space, '+', hex floats, "1." and ".5".
bool IsDecimalForm(std::string_view text) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t from = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i > from;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (!digits()) return false;
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == text.size();
}

}  // namespace

std::string UrlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ParseUrlEncoded(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    out.emplace_back(UrlDecode(pair.substr(0, eq)),
                     eq == std::string_view::npos ? std::string{} : UrlDecode(pair.substr(eq + 1)));
  }
  return out;
}

Result<std::int64_t> PathId(const Request& request, std::string_view name, std::string_view what) {
  const std::string_view text = request.PathParam(name);
  std::int64_t id = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, id);
  if (text.empty() || ec != std::errc() || ptr != end || id <= 0 || id > kMaxSafeInteger) {
    return InvalidArgument("PARAM_INVALID", "the " + std::string(what) +
                                                " in the path must be a positive integer below "
                                                "2^53, got '" +
                                                std::string(text) + "'");
  }
  return id;
}

std::optional<std::int64_t> ParseInteger(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec == std::errc() && ptr == end) {
    if (value > kMaxSafeInteger + 1 || value < -(kMaxSafeInteger + 1)) return std::nullopt;
    return value;
  }
  // Exponent or decimal form: only when it denotes an integer exactly.
  if (text.find_first_of(".eE") == std::string_view::npos || !IsDecimalForm(text)) {
    return std::nullopt;
  }
  const std::string copy(text);
  char* parsed_end = nullptr;
  const double d = std::strtod(copy.c_str(), &parsed_end);
  if (parsed_end != copy.c_str() + copy.size() || !std::isfinite(d) || std::trunc(d) != d ||
      std::fabs(d) > static_cast<double>(kMaxSafeInteger) + 1) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(d);
}

void Params::Add(std::string name, std::string value) {
  values_.emplace_back(std::move(name), std::move(value));
}

void Params::AddList(std::string name, std::optional<std::vector<std::string>> items) {
  lists_.emplace_back(std::move(name), std::move(items));
}

Result<Params> Params::From(const Request& request) {
  Params params;
  for (auto& [name, value] : ParseUrlEncoded(request.query)) {
    params.Add(std::move(name), std::move(value));
  }
  for (const auto& [name, value] : request.form_fields) params.Add(name, value);
  if (request.body.empty()) return params;
  const std::string_view type = request.Header("content-type");
  Status status = Status::Ok();
  // A JSON object sent with a form type (curl -d) or none at all is still JSON.
  const bool json_shaped =
      request.body.front() == '{' &&
      (type.empty() || StartsWithNoCase(type, "application/x-www-form-urlencoded"));
  if (StartsWithNoCase(type, "application/json") || json_shaped) {
    status = AddJson(params, request.body);
  } else if (StartsWithNoCase(type, "application/x-www-form-urlencoded")) {
    for (auto& [name, value] : ParseUrlEncoded(request.body)) {
      params.Add(std::move(name), std::move(value));
    }
  } else if (StartsWithNoCase(type, "multipart/form-data")) {
    status = AddMultipart(params, type, request.body);
  }
  if (!status.ok()) return status;
  return params;
}

std::optional<std::string_view> Params::Get(std::string_view name) const {
  for (const auto& [key, value] : values_) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

Result<std::string_view> Params::Required(std::string_view name) const {
  auto value = Get(name);
  if (!value) return Missing(name);
  return *value;
}

Result<bool> Params::RequiredSwitch(std::string_view name, std::string_view on,
                                    std::string_view off) const {
  auto value = Required(name);
  if (!value.ok()) return value.status();
  if (*value == on) return true;
  if (*value == off) return false;
  return InvalidArgument("PARAM_INVALID", "parameter '" + std::string(name) + "' must be \"" +
                                              std::string(on) + "\" or \"" + std::string(off) +
                                              "\", got '" + std::string(*value) + "'");
}

Result<std::optional<std::int64_t>> Params::OptionalInt(std::string_view name) const {
  auto text = Get(name);
  if (!text || text->empty()) return std::optional<std::int64_t>{};
  auto value = ParseInteger(*text);
  if (!value) return Malformed(name, "must be an integer, got '" + std::string(*text) + "'");
  return std::optional<std::int64_t>{*value};
}

Result<std::int64_t> Params::RequiredInt(std::string_view name) const {
  auto value = OptionalInt(name);
  if (!value.ok()) return value.status();
  if (!*value) return Missing(name);
  return **value;
}

Result<std::optional<std::int64_t>> Params::OptionalId(std::string_view name) const {
  auto value = OptionalInt(name);
  if (!value.ok() || !*value) return value;
  if (**value <= 0 || **value > kMaxSafeInteger) {
    return Malformed(name, "must be a positive id below 2^53");
  }
  return value;
}

Result<std::int64_t> Params::RequiredId(std::string_view name) const {
  auto value = OptionalId(name);
  if (!value.ok()) return value.status();
  if (!*value) return Missing(name);
  return **value;
}

Result<std::optional<std::vector<std::string>>> Params::OptionalStringList(
    std::string_view name) const {
  if (auto text = Get(name)) {
    std::vector<std::string> items;
    std::string_view rest = *text;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string_view item = TrimSpaces(rest.substr(0, comma));
      if (!item.empty()) items.emplace_back(item);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    return std::optional<std::vector<std::string>>{std::move(items)};
  }
  for (const auto& [key, items] : lists_) {
    if (key != name) continue;
    if (!items) return Malformed(name, "must be an array of strings");
    return std::optional<std::vector<std::string>>{*items};
  }
  return std::optional<std::vector<std::string>>{};
}

std::string_view TokenOf(const Request& request, const Params* params) {
  const std::string_view auth = request.Header("authorization");
  if (StartsWithNoCase(auth, "bearer ")) return auth.substr(7);
  if (auto header = request.Header("token"); !header.empty()) return header;
  if (params) {
    if (auto value = params->Get("token")) return *value;
  }
  return {};
}

}  // namespace reel::http

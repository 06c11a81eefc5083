// Request parameters as the Douyin and /api routes read them: the query string, a body of
// any declared type (urlencoded, JSON, multipart text fields, or a type the input names),
// then every typed read a route makes (integers, ids, string lists, /api pages, the token).
//
// Input: <selector byte> <query> '\0' [<content type> '\0'] <body>.

#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_input.hpp"
#include "kit/http/api_page.hpp"
#include "kit/http/params.hpp"

namespace {

using reel::fuzz::Check;
using reel::http::kMaxSafeInteger;

constexpr std::string_view kNames[] = {"token", "user_id", "video_id",    "cursor",      "limit",
                                       "tags",  "title",   "latest_time", "action_type", "type"};

// The characters of the forms ParseInteger documents: decimal digits, a sign, a decimal
// point and an exponent.
bool DecimalForm(std::string_view text) {
  if (text.empty() || !(text.front() == '-' || (text.front() >= '0' && text.front() <= '9'))) {
    return false;
  }
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
      return false;
    }
  }
  return true;
}

void CheckInteger(std::string_view text) {
  const auto value = reel::http::ParseInteger(text);
  if (!value) return;
  Check(DecimalForm(text), "ParseInteger accepted something that is not a decimal form");
  Check(*value <= kMaxSafeInteger + 1 && *value >= -(kMaxSafeInteger + 1),
        "ParseInteger returned a value beyond 2^53");
}

void ReadEverything(const reel::http::Request& request, const reel::http::Params& params) {
  for (std::string_view name : kNames) {
    if (auto text = params.Get(name)) {
      CheckInteger(*text);
      Check(params.Required(name).ok(), "Required fails for a present parameter");
    }
    if (auto id = params.OptionalId(name); id.ok() && *id) {
      Check(**id > 0 && **id <= kMaxSafeInteger, "an id outside 1..2^53-1");
    }
    (void)params.RequiredInt(name);
    if (auto list = params.OptionalStringList(name); list.ok() && *list && params.Get(name)) {
      for (const std::string& item : **list) {
        Check(!item.empty() && item.front() != ' ' && item.back() != ' ',
              "a comma-separated item is blank or untrimmed");
      }
    }
  }
  if (auto page = reel::http::ReadApiPage(params); page.ok()) {
    Check(page->cursor >= 0, "an /api cursor below 0");
    Check(page->limit >= 1 && page->limit <= reel::http::ApiPage::kMaxLimit,
          "an /api limit outside 1..100");
  }
  (void)reel::http::TokenOf(request, &params);
}

void FuzzOne(const std::uint8_t* data, std::size_t size) {
  reel::fuzz::FuzzInput in(data, size);
  const std::uint8_t selector = in.Byte();
  reel::http::Request request;
  request.method = "POST";
  request.path = "/douyin/user/login";
  request.query = std::string(in.Until('\0'));
  switch (selector % 6) {
    case 0:
      break;  // no Content-Type: a body starting with '{' is still read as JSON
    case 1:
      request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
      break;
    case 2:
      request.headers.emplace_back("content-type", "application/json");
      break;
    case 3:
      request.headers.emplace_back("content-type", "multipart/form-data; boundary=b");
      break;
    default:
      request.headers.emplace_back("content-type", std::string(in.Until('\0')));
      break;
  }
  if (selector & 0x80) request.headers.emplace_back("token", "header-token");
  request.body = std::string(in.Rest());

  const auto params = reel::http::Params::From(request);
  if (params.ok()) ReadEverything(request, *params);

  CheckInteger(request.query);
  const std::string decoded = reel::http::UrlDecode(request.query);
  Check(decoded.size() <= request.query.size(), "UrlDecode made its input longer");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  reel::fuzz::OnSmallStack([&] { FuzzOne(data, size); });
  return 0;
}

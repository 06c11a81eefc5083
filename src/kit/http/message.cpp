#include "kit/http/message.hpp"

#include "kit/http/douyin_envelope.hpp"
#include "kit/json/json_writer.hpp"

namespace reel::http {
namespace {

std::string_view Find(const Headers& headers, std::string_view lower_name) {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

}  // namespace

std::string_view Request::Header(std::string_view lower_name) const {
  return Find(headers, lower_name);
}

std::string_view Request::PathParam(std::string_view name) const {
  for (const auto& [key, value] : path_params) {
    if (key == name) return value;
  }
  return {};
}

Response Response::Json(std::string body, int status) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("content-type", "application/json; charset=utf-8");
  return r;
}

Response& Response::SetHeader(std::string lower_name, std::string value) {
  for (auto& [name, existing] : headers) {
    if (name == lower_name) {
      existing = std::move(value);
      return *this;
    }
  }
  headers.emplace_back(std::move(lower_name), std::move(value));
  return *this;
}

std::string_view Response::Header(std::string_view lower_name) const {
  return Find(headers, lower_name);
}

Response RenderApiError(const Status& status) {
  json::JsonWriter w;
  w.BeginObject()
      .Field("code", HttpStatusOf(status.code))
      .Field("reason", status.reason)
      .Field("message", status.message)
      .EndObject();
  Response r = Response::Json(w.Take(), HttpStatusOf(status.code));
  if (status.retry_after.count() > 0) {
    r.SetHeader("retry-after", std::to_string(status.retry_after.count()));
  }
  return r;
}

Response RenderError(const Request& request, const Status& status) {
  if (request.route && request.route->render_error) return request.route->render_error(status);
  // Douyin clients read every answer's status_code; an /api-shaped 404 has none.
  if (IsDouyinPath(request.path)) return DouyinErrorRenderer()(status);
  return RenderApiError(status);
}

bool IsDouyinPath(std::string_view path) {
  constexpr std::string_view kPrefix = "/douyin";
  return path.starts_with(kPrefix) &&
         (path.size() == kPrefix.size() || path[kPrefix.size()] == '/');
}

Response RenderProtocolError(std::string_view path, int http_status, std::string_view reason,
                             std::string_view message) {
  json::JsonWriter w;
  if (IsDouyinPath(path)) {
    w.BeginObject().Field("status_code", http_status).Field("status_msg", message).EndObject();
    return Response::Json(w.Take());
  }
  w.BeginObject()
      .Field("code", http_status)
      .Field("reason", reason)
      .Field("message", message)
      .EndObject();
  return Response::Json(w.Take(), http_status);
}

}  // namespace reel::http

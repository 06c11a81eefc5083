#include "kit/http/douyin_envelope.hpp"

namespace reel::http {

ErrorRenderer DouyinErrorRenderer(DouyinDefaults defaults) {
  return [defaults = std::move(defaults)](const Status& status) {
    json::JsonWriter w;
    w.BeginObject()
        .Field("status_code", DouyinStatusCodeOf(status.code))
        .Field("status_msg", status.message);
    if (defaults) defaults(w);
    w.EndObject();
    Response r = Response::Json(w.Take());
    if (status.retry_after.count() > 0) {
      r.SetHeader("retry-after", std::to_string(status.retry_after.count()));
    }
    return r;
  };
}

void BeginDouyinOk(json::JsonWriter& w) {
  w.BeginObject().Field("status_code", 0).Field("status_msg", "ok");
}

Response FinishDouyin(json::JsonWriter& w) {
  w.EndObject();
  return Response::Json(w.Take());
}

Response DouyinDone(bool changed, std::string_view unchanged_msg) {
  json::JsonWriter w;
  w.BeginObject().Field("status_code", 0).Field("status_msg", changed ? "ok" : unchanged_msg);
  return FinishDouyin(w);
}

}  // namespace reel::http

#pragma once

#include <functional>

#include "kit/http/message.hpp"
#include "kit/json/json_writer.hpp"

namespace reel::http {

/// Writes the fields a route's Douyin body always carries, with their failure values
/// (e.g. "user_id": 0, "token": ""), so clients find them on every response.
using DouyinDefaults = std::function<void(json::JsonWriter&)>;

/// Douyin error shape: HTTP 200 with {"status_code": <HTTP-like code>, "status_msg": ...}
/// plus the route's defaults.
ErrorRenderer DouyinErrorRenderer(DouyinDefaults defaults = nullptr);

/// Opens a successful Douyin body: {"status_code":0,"status_msg":"ok", ... The route then
/// writes its own fields and calls FinishDouyin, which closes the object.
void BeginDouyinOk(json::JsonWriter& w);
Response FinishDouyin(json::JsonWriter& w);

/// A body-less success: {"status_code":0,"status_msg":"ok"}. `changed` false answers an
/// action that was already in effect (liking twice) with `unchanged_msg` instead: still a
/// success, since the client's state is what it asked for.
Response DouyinDone(bool changed = true, std::string_view unchanged_msg = {});

}  // namespace reel::http

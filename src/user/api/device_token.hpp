#pragma once

#include <string_view>

#include "kit/http/message.hpp"
#include "kit/http/params.hpp"

namespace reel::user {

/// The device token a login sends back: the `device_token` parameter, else the
/// `X-Device-Token` header; empty when neither is there.
inline std::string_view DeviceTokenOf(const http::Request& req, const http::Params& params) {
  if (auto value = params.Get("device_token"); value && !value->empty()) return *value;
  return req.Header("x-device-token");
}

}  // namespace reel::user

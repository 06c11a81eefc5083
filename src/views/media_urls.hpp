#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace reel::views {

/// Turns blob keys into the absolute URLs clients play from: this server's
/// "<base>/media/<key>", or, when a `key_url` is given (media.s3.urls: public or presigned),
/// whatever it makes of the key: a CDN's URL, a presigned S3 URL.
class MediaUrls {
 public:
  /// The URL of a key somewhere else; "" to fall back to this server's /media.
  using KeyUrl = std::function<std::string(std::string_view key)>;

  explicit MediaUrls(std::string public_base_url, KeyUrl key_url = {})
      : base_(std::move(public_base_url)), key_url_(std::move(key_url)) {
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
  }
  std::string Of(std::string_view key) const {
    if (key_url_) {
      std::string url = key_url_(key);
      if (!url.empty()) return url;
    }
    return base_ + "/media/" + std::string(key);
  }
  /// "<base><path>" for a path of the server's own ("/api/...").
  std::string OfPath(std::string_view path) const { return base_ + std::string(path); }

 private:
  std::string base_;
  KeyUrl key_url_;
};

}  // namespace reel::views

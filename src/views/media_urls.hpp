#pragma once

#include <string>
#include <string_view>

namespace reel::views {

/// Turns blob keys into the absolute URLs clients play from ("<base>/media/<key>").
class MediaUrls {
 public:
  explicit MediaUrls(std::string public_base_url) : base_(std::move(public_base_url)) {
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
  }
  std::string Of(std::string_view key) const { return base_ + "/media/" + std::string(key); }
  /// "<base><path>" for a path of the server's own ("/api/...").
  std::string OfPath(std::string_view path) const { return base_ + std::string(path); }

 private:
  std::string base_;
};

}  // namespace reel::views

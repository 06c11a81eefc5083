#include "kit/blob/s3_presigned_urls.hpp"

#include <algorithm>
#include <utility>

namespace reel::blob {

std::chrono::system_clock::time_point PresignedUrls::WindowClock::Now() const {
  const auto now = std::chrono::floor<std::chrono::seconds>(base_.Now());
  const auto since_epoch = now.time_since_epoch();
  return std::chrono::system_clock::time_point(since_epoch - since_epoch % window_);
}

PresignedUrls::PresignedUrls(S3Options options, std::chrono::seconds expires, const Clock& clock)
    : expires_(expires),
      window_(std::max(std::chrono::seconds(1), expires / 2)),
      clock_(clock, window_),
      store_(std::move(options), clock_) {}

Result<std::string> PresignedUrls::Of(std::string_view key) {
  return store_.PresignedGetUrl(key, expires_);
}

}  // namespace reel::blob

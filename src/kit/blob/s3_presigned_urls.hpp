#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "kit/blob/s3_blob_store.hpp"
#include "kit/clock/clock.hpp"
#include "kit/status/status.hpp"

namespace reel::blob {

/// Presigned GET URLs to hand to players (play_url, cover_url with media.s3.urls: presigned).
/// Each is signed at the start of the current window of expires/2: everyone asking within a
/// window gets the same URL, so browsers and CDNs, which cache by URL, keep the bytes; and a
/// URL handed out stays valid for at least expires/2. Signing only: no request is sent.
/// Thread-safe.
class PresignedUrls {
 public:
  /// `expires`: 2 s to 7 days. `clock` must outlive this.
  PresignedUrls(S3Options options, std::chrono::seconds expires, const Clock& clock);

  std::chrono::seconds window() const { return window_; }
  /// Errors: BLOB_KEY_INVALID.
  Result<std::string> Of(std::string_view key);

 private:
  // The clock the store signs with: `base` rounded down to the window.
  class WindowClock final : public Clock {
   public:
    WindowClock(const Clock& base, std::chrono::seconds window) : base_(base), window_(window) {}
    std::chrono::system_clock::time_point Now() const override;
    std::chrono::steady_clock::time_point Monotonic() const override { return base_.Monotonic(); }

   private:
    const Clock& base_;
    std::chrono::seconds window_;
  };

  std::chrono::seconds expires_;
  std::chrono::seconds window_;
  WindowClock clock_;
  S3BlobStore store_;
};

}  // namespace reel::blob

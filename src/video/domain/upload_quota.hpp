#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "kit/status/status.hpp"
#include "video/domain/video.hpp"

namespace reel::video {

/// The per-user limits an upload is checked against, at one moment (`now_ms`).
struct UploadLimits {
  std::int64_t now_ms = 0;
  std::chrono::milliseconds pending_ttl = std::chrono::hours(24);
  /// Unpublished uploads a user may hold; 0: not checked (publishing in one step, as the
  /// Douyin route does, leaves nothing pending).
  std::int64_t max_pending = 0;
  /// Bytes over a user's videos and pending uploads; 0: not checked.
  std::uint64_t max_bytes = 0;

  /// Pending uploads made at or before this time have expired.
  std::int64_t PendingCutoffMs() const { return now_ms - pending_ttl.count(); }
};

/// Whether a user with `usage` may upload an object of `object_bytes` (once recorded, it is one
/// more pending upload unless it was one already). An object the user holds already costs no
/// bytes.
/// Errors: UPLOADS_PENDING_LIMIT (RESOURCE_EXHAUSTED, Retry-After: when the oldest pending
/// upload expires), STORAGE_QUOTA_EXCEEDED (PAYLOAD_TOO_LARGE). Messages say what to do.
Status CheckUploadQuota(const MediaUsage& usage, std::uint64_t object_bytes,
                        const UploadLimits& limits);

/// "512 KiB", "12.5 MiB", "10 GiB": sizes as the messages show them.
std::string DescribeBytes(std::uint64_t bytes);
/// "24 h", "90 min", "5 s": durations as the messages show them.
std::string DescribeDuration(std::chrono::milliseconds duration);

}  // namespace reel::video

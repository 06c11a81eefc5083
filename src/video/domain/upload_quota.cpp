#include "video/domain/upload_quota.hpp"

#include <algorithm>

namespace reel::video {
namespace {

// One decimal, dropped when it is zero: "10 GiB", "12.5 MiB".
std::string Scaled(std::uint64_t bytes, std::uint64_t unit, const char* name) {
  const std::uint64_t tenths = (bytes * 10 + unit / 2) / unit;
  std::string out = std::to_string(tenths / 10);
  if (tenths % 10 != 0) out += "." + std::to_string(tenths % 10);
  return out + " " + name;
}

}  // namespace

std::string DescribeBytes(std::uint64_t bytes) {
  constexpr std::uint64_t kKiB = 1024;
  constexpr std::uint64_t kMiB = kKiB << 10;
  constexpr std::uint64_t kGiB = kMiB << 10;
  if (bytes >= kGiB) return Scaled(bytes, kGiB, "GiB");
  if (bytes >= kMiB) return Scaled(bytes, kMiB, "MiB");
  if (bytes >= kKiB) return Scaled(bytes, kKiB, "KiB");
  return std::to_string(bytes) + " bytes";
}

std::string DescribeDuration(std::chrono::milliseconds duration) {
  using namespace std::chrono;
  if (duration >= hours(1) && duration % hours(1) == milliseconds(0)) {
    return std::to_string(duration_cast<hours>(duration).count()) + " h";
  }
  if (duration >= minutes(1) && duration % minutes(1) == milliseconds(0)) {
    return std::to_string(duration_cast<minutes>(duration).count()) + " min";
  }
  if (duration % seconds(1) == milliseconds(0)) {
    return std::to_string(duration_cast<seconds>(duration).count()) + " s";
  }
  return std::to_string(duration.count()) + " ms";
}

Status CheckUploadQuota(const MediaUsage& usage, std::uint64_t object_bytes,
                        const UploadLimits& limits) {
  // Other objects only: uploading one's pending upload again refreshes it, adds none.
  if (limits.max_pending > 0 && usage.pending_uploads >= limits.max_pending) {
    // Waiting helps: the oldest pending upload expires then and frees a place.
    const std::int64_t expires_in_ms =
        usage.oldest_pending_ms + limits.pending_ttl.count() - limits.now_ms;
    const auto retry_after =
        std::chrono::seconds(std::max<std::int64_t>(1, (expires_in_ms + 999) / 1000));
    return ResourceExhausted(
        "UPLOADS_PENDING_LIMIT",
        "you have " + std::to_string(usage.pending_uploads) +
            " uploads not yet published, the most allowed: publish one (POST /api/video/create) "
            "or wait until the oldest expires (unpublished uploads are kept " +
            DescribeDuration(limits.pending_ttl) + ")",
        retry_after);
  }
  const std::uint64_t added = usage.holds_object ? 0 : object_bytes;
  if (limits.max_bytes > 0 && usage.stored_bytes + added > limits.max_bytes) {
    return PayloadTooLarge("STORAGE_QUOTA_EXCEEDED",
                           "storing this video (" + DescribeBytes(added) +
                               ") would bring your videos and unpublished uploads to " +
                               DescribeBytes(usage.stored_bytes + added) + ", over your quota of " +
                               DescribeBytes(limits.max_bytes) +
                               ": delete videos, or let unpublished uploads expire");
  }
  return Status::Ok();
}

}  // namespace reel::video

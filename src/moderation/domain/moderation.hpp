#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace reel::moderation {

/// What a report names. The numbers are the proto's (moderation.v1.TargetType).
enum class TargetType { kVideo = 1, kComment = 2, kUser = 3 };

/// The fixed list a reporter picks from (moderation.v1.ReportReason's numbers).
enum class ReportReason {
  kSpam = 1,
  kHarassment = 2,
  kHate = 3,
  kViolence = 4,
  kSexual = 5,
  kMisinformation = 6,
  kCopyright = 7,
  kOther = 8,
};
inline constexpr int kMaxReportReason = 8;

enum class ReportStatus { kOpen = 1, kDismissed = 2, kActioned = 3 };

struct Target {
  TargetType type = TargetType::kVideo;
  std::int64_t id = 0;

  bool operator==(const Target&) const = default;
};

struct Report {
  std::int64_t id = 0;
  std::int64_t reporter_id = 0;
  Target target;
  ReportReason reason = ReportReason::kOther;
  std::string text;
  ReportStatus status = ReportStatus::kOpen;
  std::int64_t created_at_ms = 0;
  std::int64_t resolved_by = 0;
  std::int64_t resolved_at_ms = 0;
  std::string resolution;
};

/// One entry of the action log: who did what to which target, why and when. moderator_id 0
/// is the service itself (a target hidden by reports).
struct Action {
  std::int64_t id = 0;
  std::int64_t moderator_id = 0;
  std::string action;  // "approve_video", "reject_video", "dismiss_report", ...
  Target target;
  std::string reason;
  std::int64_t at_ms = 0;
};

/// A page of a list, newest first; next_cursor 0: the last page.
template <typename T>
struct Page {
  std::vector<T> items;
  std::int64_t next_cursor = 0;
};

std::string_view NameOf(TargetType type);

}  // namespace reel::moderation

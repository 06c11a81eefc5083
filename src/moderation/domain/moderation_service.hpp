#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "kit/clock/clock.hpp"
#include "kit/status/status.hpp"
#include "moderation/domain/moderation.hpp"
#include "moderation/domain/moderation_repository.hpp"
#include "moderation/domain/moderation_targets.hpp"

namespace reel::moderation {

struct ModerationSettings {
  /// moderation.moderators: moderators by configuration, who may also grant the role.
  std::set<std::int64_t> configured_moderators;
  /// moderation.report_hide_threshold: distinct open reporters that hide a target.
  std::int64_t report_hide_threshold = 3;
};

/// What a report asks for.
struct ReportInput {
  std::int64_t reporter_id = 0;
  Target target;
  int reason = 0;  // a ReportReason number; anything else is REASON_INVALID
  std::string_view text;
};

/// Reports, their resolution, video review, the moderator role and the action log
/// (proto/moderation/v1/moderation.proto states the contract). Every moderator call checks
/// its caller first: NOT_A_MODERATOR (PERMISSION_DENIED) for anyone who is neither named in
/// the settings nor has the role. Every moderator action is in the action log. Thread-safe.
class ModerationService {
 public:
  static constexpr std::size_t kMaxTextChars = 500;
  static constexpr int kDefaultLimit = 20;
  static constexpr int kMaxLimit = 100;

  ModerationService(ModerationRepository& store, ModerationTargets& targets,
                    ModerationSettings settings, const Clock& clock)
      : store_(store), targets_(targets), settings_(std::move(settings)), clock_(clock) {}

  /// Errors: TARGET_NOT_FOUND (absent, or not visible to the reporter), REASON_INVALID,
  /// TEXT_INVALID (over 500 characters or not UTF-8), CANNOT_REPORT_SELF.
  Result<StoredReport> CreateReport(const ReportInput& input);

  /// Errors: NOT_A_MODERATOR, PARAM_INVALID (limit outside 0..100; 0 means 20).
  Result<Page<Report>> ListReports(std::int64_t moderator, ReportStatus status, std::int64_t cursor,
                                   int limit);

  /// `action`: "dismiss" or "remove". Errors: NOT_A_MODERATOR, REPORT_NOT_FOUND,
  /// REPORT_RESOLVED (ALREADY_EXISTS), ACTION_INVALID, NOTE_INVALID (over 500 characters).
  Result<Report> ResolveReport(std::int64_t moderator, std::int64_t report_id,
                               std::string_view action, std::string_view note);

  /// Errors: NOT_A_MODERATOR, REASON_INVALID (a rejection needs 1..500 characters),
  /// VIDEO_NOT_FOUND.
  Status ReviewVideo(std::int64_t moderator, std::int64_t video_id, bool approve,
                     std::string_view reason);

  /// Errors: NOT_A_MODERATOR, CONFIGURED_MODERATORS_ONLY (PERMISSION_DENIED: a moderator by
  /// role may not), USER_NOT_FOUND.
  Status SetModerator(std::int64_t moderator, std::int64_t user_id, bool grant);

  Result<bool> IsModerator(std::int64_t user_id);

  /// Errors: NOT_A_MODERATOR, PARAM_INVALID.
  Result<Page<Action>> ListActions(std::int64_t moderator, std::int64_t cursor, int limit);

 private:
  Status RequireModerator(std::int64_t user_id);
  void Log(std::int64_t moderator, std::string action, const Target& target, std::string reason);
  std::int64_t NowMs() const;

  ModerationRepository& store_;
  ModerationTargets& targets_;
  ModerationSettings settings_;
  const Clock& clock_;
};

}  // namespace reel::moderation

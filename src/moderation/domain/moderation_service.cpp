#include "moderation/domain/moderation_service.hpp"

#include <chrono>

#include "kit/log/log.hpp"
#include "kit/text/utf8.hpp"

namespace reel::moderation {
namespace {

// Text of at most `max` characters of valid UTF-8 (empty allowed).
bool TextFits(std::string_view text, std::size_t max) {
  auto chars = text::CountCodePoints(text);
  return chars && *chars <= max;
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

Result<int> CheckLimit(int limit) {
  if (limit == 0) return ModerationService::kDefaultLimit;
  if (limit < 0 || limit > ModerationService::kMaxLimit) {
    return InvalidArgument("PARAM_INVALID",
                           "limit must be 1.." + std::to_string(ModerationService::kMaxLimit));
  }
  return limit;
}

Status TargetNotFound(const Target& target) {
  return NotFound("TARGET_NOT_FOUND", std::string(NameOf(target.type)) + " " +
                                          std::to_string(target.id) +
                                          " does not exist or is not visible to you");
}

bool IsNotFound(const Status& s) {
  return s.code == Code::kNotFound;
}

}  // namespace

std::string_view NameOf(TargetType type) {
  switch (type) {
    case TargetType::kVideo:
      return "video";
    case TargetType::kComment:
      return "comment";
    case TargetType::kUser:
      return "user";
  }
  return "target";
}

std::int64_t ModerationService::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
      .count();
}

Result<bool> ModerationService::IsModerator(std::int64_t user_id) {
  if (user_id <= 0) return false;
  if (settings_.configured_moderators.contains(user_id)) return true;
  return targets_.HasModeratorRole(user_id);
}

Status ModerationService::RequireModerator(std::int64_t user_id) {
  auto moderator = IsModerator(user_id);
  if (!moderator.ok()) return moderator.status();
  if (!*moderator) return PermissionDenied("NOT_A_MODERATOR", "only moderators may do this");
  return Status::Ok();
}

void ModerationService::Log(std::int64_t moderator, std::string action, const Target& target,
                            std::string reason) {
  store_.RecordAction(Action{0, moderator, std::move(action), target, std::move(reason), NowMs()});
}

Result<StoredReport> ModerationService::CreateReport(const ReportInput& input) {
  if (input.reason < 1 || input.reason > kMaxReportReason) {
    return InvalidArgument("REASON_INVALID", "reason must be one of the listed reasons");
  }
  if (!TextFits(input.text, kMaxTextChars)) {
    return InvalidArgument("TEXT_INVALID", "text must be at most 500 characters of UTF-8");
  }
  if (input.target.id <= 0) return TargetNotFound(input.target);
  if (input.target.type == TargetType::kUser && input.target.id == input.reporter_id) {
    return InvalidArgument("CANNOT_REPORT_SELF", "you cannot report yourself");
  }
  auto owner = targets_.OwnerIfVisible(input.target, input.reporter_id);
  if (!owner.ok()) return owner.status();
  if (!*owner) return TargetNotFound(input.target);
  if (**owner == input.reporter_id) {
    return InvalidArgument("CANNOT_REPORT_SELF",
                           "you cannot report your own " + std::string(NameOf(input.target.type)));
  }

  Report report;
  report.reporter_id = input.reporter_id;
  report.target = input.target;
  report.reason = static_cast<ReportReason>(input.reason);
  report.text = std::string(input.text);
  report.created_at_ms = NowMs();
  StoredReport stored = store_.AddReport(report, settings_.report_hide_threshold);
  if (stored.reached_threshold) {
    // Marked in the report's transaction, so of reporters racing past the threshold one
    // hides it. A failure to hide (the owner down) drops the mark: the next report retries.
    if (Status s = targets_.SetHidden(input.target, true); !s.ok()) {
      store_.Unmark(input.target);
      log::Warn("moderation: could not hide a reported target",
                {{"target", std::string(NameOf(input.target.type))},
                 {"id", input.target.id},
                 {"error", s.message}});
    } else {
      Log(0, "hide_target", input.target,
          std::to_string(stored.open_reporters) + " users reported it");
    }
  }
  return stored;
}

Result<Page<Report>> ModerationService::ListReports(std::int64_t moderator, ReportStatus status,
                                                    std::int64_t cursor, int limit) {
  if (Status s = RequireModerator(moderator); !s.ok()) return s;
  auto checked = CheckLimit(limit);
  if (!checked.ok()) return checked.status();
  if (cursor < 0) return InvalidArgument("PARAM_INVALID", "cursor must not be negative");
  return store_.ListReports(status, cursor, *checked);
}

Result<Report> ModerationService::ResolveReport(std::int64_t moderator, std::int64_t report_id,
                                                std::string_view action, std::string_view note) {
  if (Status s = RequireModerator(moderator); !s.ok()) return s;
  const bool dismiss = action == "dismiss";
  if (!dismiss && action != "remove") {
    return InvalidArgument("ACTION_INVALID", "action must be \"dismiss\" or \"remove\"");
  }
  if (!TextFits(note, kMaxTextChars)) {
    return InvalidArgument("NOTE_INVALID", "note must be at most 500 characters of UTF-8");
  }
  auto report = store_.FindReport(report_id);
  if (!report) {
    return NotFound("REPORT_NOT_FOUND", "report " + std::to_string(report_id) + " does not exist");
  }
  if (report->status != ReportStatus::kOpen) {
    return AlreadyExists("REPORT_RESOLVED",
                         "report " + std::to_string(report_id) + " is resolved already");
  }
  // The owner's change first: when it fails nothing is resolved, and the moderator retries.
  // A target deleted meanwhile needs no change. Dismissing shows the target again only if
  // reports hid it (its mark stays until the reports are resolved below).
  if (dismiss) {
    if (store_.IsHiddenByReports(report->target)) {
      if (Status s = targets_.SetHidden(report->target, false); !s.ok() && !IsNotFound(s)) {
        return s;
      }
    }
  } else {
    const std::string why = note.empty() ? "removed after reports" : std::string(note);
    if (Status s = targets_.Remove(report->target, why); !s.ok() && !IsNotFound(s)) return s;
  }
  store_.ResolveTarget(report->target, dismiss ? ReportStatus::kDismissed : ReportStatus::kActioned,
                       moderator, NowMs(), note.empty() ? action : note);
  Log(moderator, dismiss ? "dismiss_report" : "remove_target", report->target, std::string(note));
  auto resolved = store_.FindReport(report_id);
  if (!resolved) return Internal("report " + std::to_string(report_id) + " vanished");
  return std::move(*resolved);
}

Status ModerationService::ReviewVideo(std::int64_t moderator, std::int64_t video_id, bool approve,
                                      std::string_view reason) {
  if (Status s = RequireModerator(moderator); !s.ok()) return s;
  if (!TextFits(reason, kMaxTextChars) || (!approve && IsBlank(reason))) {
    return InvalidArgument("REASON_INVALID",
                           "a rejection needs a reason of 1..500 characters of UTF-8");
  }
  if (Status s = targets_.ReviewVideo(video_id, approve, approve ? "" : reason); !s.ok()) return s;
  Log(moderator, approve ? "approve_video" : "reject_video", {TargetType::kVideo, video_id},
      std::string(reason));
  return Status::Ok();
}

Status ModerationService::SetModerator(std::int64_t moderator, std::int64_t user_id, bool grant) {
  if (Status s = RequireModerator(moderator); !s.ok()) return s;
  if (!settings_.configured_moderators.contains(moderator)) {
    return PermissionDenied("CONFIGURED_MODERATORS_ONLY",
                            "only moderators named in moderation.moderators may grant or "
                            "revoke the moderator role");
  }
  if (Status s = targets_.SetModeratorRole(user_id, grant); !s.ok()) return s;
  Log(moderator, grant ? "grant_moderator" : "revoke_moderator", {TargetType::kUser, user_id}, "");
  return Status::Ok();
}

Result<Page<Action>> ModerationService::ListActions(std::int64_t moderator, std::int64_t cursor,
                                                    int limit) {
  if (Status s = RequireModerator(moderator); !s.ok()) return s;
  auto checked = CheckLimit(limit);
  if (!checked.ok()) return checked.status();
  if (cursor < 0) return InvalidArgument("PARAM_INVALID", "cursor must not be negative");
  return store_.ListActions(cursor, *checked);
}

}  // namespace reel::moderation

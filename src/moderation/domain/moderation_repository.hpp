#pragma once

#include <cstdint>
#include <optional>

#include "kit/status/status.hpp"
#include "moderation/domain/moderation.hpp"

namespace reel::moderation {

/// What storing a report did.
struct StoredReport {
  Report report;
  bool changed = false;  // false: the reporter's open report on the target, as it was
  /// Distinct reporters with an open report on the target, this one included.
  std::int64_t open_reporters = 0;
  /// True for exactly one report: the one whose storing brought the open reporters to the
  /// threshold while the target was not already hidden by reports (it is now marked so).
  bool reached_threshold = false;
};

/// Storage of reports, the marks of targets hidden by reports, and the action log.
/// Implementations are thread-safe.
class ModerationRepository {
 public:
  virtual ~ModerationRepository() = default;

  /// Stores `report` (status open) unless its reporter has an open report on its target,
  /// and marks the target hidden when `hide_threshold` distinct reporters have open
  /// reports on it and it was not marked, all in one transaction.
  virtual StoredReport AddReport(const Report& report, std::int64_t hide_threshold) = 0;

  virtual std::optional<Report> FindReport(std::int64_t id) = 0;

  /// Reports in `status`, newest first, with ids below `cursor` (0: from the newest).
  virtual Page<Report> ListReports(ReportStatus status, std::int64_t cursor, int limit) = 0;

  /// Whether reports hid `target` (it has the mark AddReport sets).
  virtual bool IsHiddenByReports(const Target& target) = 0;

  /// Every open report on `target` becomes `status`, resolved by `moderator` at `at_ms`
  /// with `resolution`, and the target's hidden-by-reports mark is dropped, in one
  /// transaction. Answers how many reports it resolved.
  virtual std::int64_t ResolveTarget(const Target& target, ReportStatus status,
                                     std::int64_t moderator, std::int64_t at_ms,
                                     std::string_view resolution) = 0;

  /// Drops the target's hidden-by-reports mark (hiding it failed: a later report retries).
  virtual void Unmark(const Target& target) = 0;

  /// Appends to the action log and answers the entry's id.
  virtual std::int64_t RecordAction(const Action& action) = 0;
  /// The action log, newest first, ids below `cursor` (0: from the newest).
  virtual Page<Action> ListActions(std::int64_t cursor, int limit) = 0;
};

}  // namespace reel::moderation

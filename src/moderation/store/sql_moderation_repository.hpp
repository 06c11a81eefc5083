#pragma once

#include "kit/db/database.hpp"
#include "moderation/domain/moderation_repository.hpp"

namespace reel::moderation {

/// ModerationRepository on either engine (kit/db; the tables of moderation_migrations.cpp).
class SqlModerationRepository final : public ModerationRepository {
 public:
  explicit SqlModerationRepository(db::Database& db) : db_(db) {}

  StoredReport AddReport(const Report& report, std::int64_t hide_threshold) override;
  std::optional<Report> FindReport(std::int64_t id) override;
  Page<Report> ListReports(ReportStatus status, std::int64_t cursor, int limit) override;
  bool IsHiddenByReports(const Target& target) override;
  std::int64_t ResolveTarget(const Target& target, ReportStatus status, std::int64_t moderator,
                             std::int64_t at_ms, std::string_view resolution) override;
  void Unmark(const Target& target) override;
  std::int64_t RecordAction(const Action& action) override;
  Page<Action> ListActions(std::int64_t cursor, int limit) override;

 private:
  db::Database& db_;
};

}  // namespace reel::moderation

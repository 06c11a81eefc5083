// issue 16: marks on a video its author sees: private (a lock), pending review, rejected with
// the moderator's reason, and a repost's source. Others never get private or held videos.
import type { Video } from "../api/types";
import { useT } from "../i18n/i18n";

export function VideoBadges({ video, withSource = false }: { video: Video; withSource?: boolean }) {
  const t = useT();
  const badges = [];
  if (video.is_public === false) {
    badges.push(
      <span key="private" className="badge badge-private" data-testid="badge-private">
        🔒 {t("badgePrivate")}
      </span>,
    );
  }
  if (video.audit_status === "pending") {
    badges.push(
      <span key="pending" className="badge badge-pending" data-testid="badge-pending">
        {t("badgePending")}
      </span>,
    );
  } else if (video.audit_status === "rejected") {
    badges.push(
      <span key="rejected" className="badge badge-rejected" data-testid="badge-rejected">
        {t("badgeRejected", { reason: video.audit_reason ?? "" })}
      </span>,
    );
  }
  if (withSource && video.is_original === false && video.source_url) {
    badges.push(
      <a
        key="source"
        className="badge badge-repost"
        href={video.source_url}
        target="_blank"
        rel="noopener noreferrer nofollow"
      >
        {t("badgeRepost")} · {t("sourceLink")}
      </a>,
    );
  }
  if (badges.length === 0) return null;
  return <span className="badges">{badges}</span>;
}

// The buttons beside a video: author, like, comments, bookmark (收藏), share.
import { useState } from "react";
import type { Video } from "../api/types";
import { useSessionUserId } from "../app/auth";
import { errorText } from "../app/errors";
import { formatCount } from "../app/format";
import { Link, loginPath, navigate } from "../app/router";
import { collect, follow, shareVideo } from "../api/endpoints";
import { useI18n } from "../i18n/i18n";
import { Avatar } from "./Avatar";
import { Icon } from "./Icon";
import type { IconName } from "./Icon";
import { ReportDialog } from "./ReportDialog";
import { setLiked } from "./likeVideo";
import { useToast } from "./Toast";

interface Props {
  video: Video;
  active: boolean;
  onLike: (video: Video) => void;
  onOpenComments: () => void;
}

export function shareUrl(video: Video): string {
  return `${window.location.origin}/v/${video.id}`;
}

/// One button of the rail: an icon over a count (or a word); `className` adds a state
/// ("liked", "collected") to the shared look.
function RailButton({
  className,
  onClick,
  pressed,
  label,
  tabIndex,
  testId,
  icon,
  iconSize,
  count,
  countTestId,
}: {
  className?: string;
  onClick: () => void;
  pressed?: boolean;
  label: string;
  tabIndex: number;
  testId: string;
  icon: IconName;
  iconSize: number;
  count: string;
  countTestId?: string;
}) {
  return (
    <button
      type="button"
      className={className === undefined ? "rail-button" : `rail-button ${className}`}
      onClick={onClick}
      aria-pressed={pressed}
      aria-label={label}
      tabIndex={tabIndex}
      data-testid={testId}
    >
      <span className="rail-icon">
        <Icon name={icon} size={iconSize} />
      </span>
      <span className="rail-count" data-testid={countTestId}>
        {count}
      </span>
    </button>
  );
}

export function SideRail({ video, active, onLike, onOpenComments }: Props) {
  const { t, lang } = useI18n();
  const toast = useToast();
  const me = useSessionUserId();
  const [busy, setBusy] = useState(false);
  const [collecting, setCollecting] = useState(false);
  const [reporting, setReporting] = useState(false);
  const focusable = active ? 0 : -1;

  const requireLogin = () => {
    if (me !== null) return true;
    navigate(loginPath());
    return false;
  };

  const toggleLike = async () => {
    if (!requireLogin() || busy) return;
    setBusy(true);
    try {
      onLike(await setLiked(video, !video.is_favorite));
    } catch (error) {
      toast(errorText(error, t));
    } finally {
      setBusy(false);
    }
  };

  const followAuthor = async () => {
    if (!requireLogin()) return;
    try {
      const result = await follow(video.author.id, true);
      onLike({
        ...video,
        author: {
          ...video.author,
          is_follow: result.is_follow,
          follower_count: video.author.follower_count + (result.changed ? 1 : 0),
        },
      });
    } catch (error) {
      toast(errorText(error, t));
    }
  };

  // Optimistic: the button and count change at once, the server's answer then settles them,
  // and a refusal puts back what was shown before.
  const toggleCollect = async () => {
    if (!requireLogin() || collecting) return;
    const before = video;
    const want = !video.is_collected;
    onLike({
      ...video,
      is_collected: want,
      collect_count: Math.max(0, video.collect_count + (want ? 1 : -1)),
    });
    setCollecting(true);
    try {
      const result = await collect(video.id, want);
      onLike({ ...before, is_collected: result.is_collected, collect_count: result.collect_count });
    } catch (error) {
      onLike(before);
      toast(errorText(error, t));
    } finally {
      setCollecting(false);
    }
  };

  const share = async () => {
    const url = shareUrl(video);
    try {
      await navigator.clipboard.writeText(url);
      toast(t("linkCopied"));
    } catch {
      // No clipboard (insecure origin, denied): show the link to copy by hand.
      toast(t("shareLinkIs", { url }));
    }
    // The link is out: count the share (the server counts one per user, video and day).
    if (me === null) return;
    try {
      const result = await shareVideo(video.id);
      onLike({ ...video, share_count: result.share_count });
    } catch {
      // The link was given anyway; a share that was not counted is not worth an error.
    }
  };

  return (
    <div className="rail">
      <div className="rail-author">
        <Link
          to={`/u/${video.author.id}`}
          aria-label={t("authorProfile", { name: video.author.name })}
          tabIndex={focusable}
        >
          <Avatar user={video.author} size={48} />
        </Link>
        {!video.author.is_follow && me !== video.author.id && (
          <button
            type="button"
            className="rail-follow"
            onClick={followAuthor}
            aria-label={t("followAuthor", { name: video.author.name })}
            tabIndex={focusable}
            data-testid="rail-follow"
          >
            +
          </button>
        )}
      </div>
      <RailButton
        className={video.is_favorite ? "liked" : ""}
        onClick={toggleLike}
        pressed={video.is_favorite}
        label={video.is_favorite ? t("unlike") : t("like")}
        tabIndex={focusable}
        testId="like-button"
        icon="heart"
        iconSize={34}
        count={formatCount(video.favorite_count, lang)}
        countTestId="like-count"
      />
      <RailButton
        onClick={onOpenComments}
        label={t("comments")}
        tabIndex={focusable}
        testId="comment-button"
        icon="comment"
        iconSize={32}
        count={formatCount(video.comment_count, lang)}
        countTestId="comment-count"
      />
      <RailButton
        className={video.is_collected ? "collected" : ""}
        onClick={toggleCollect}
        pressed={video.is_collected}
        label={video.is_collected ? t("uncollect") : t("collect")}
        tabIndex={focusable}
        testId="collect-button"
        icon="bookmark"
        iconSize={32}
        count={formatCount(video.collect_count, lang)}
        countTestId="collect-count"
      />
      <RailButton
        onClick={share}
        label={t("shareCount", { n: formatCount(video.share_count, lang) })}
        tabIndex={focusable}
        testId="share-button"
        icon="share"
        iconSize={32}
        count={video.share_count > 0 ? formatCount(video.share_count, lang) : t("share")}
        countTestId="share-count"
      />
      {/* issue 16: report the video (not one's own) */}
      {me !== video.author.id && (
        <RailButton
          onClick={() => requireLogin() && setReporting(true)}
          label={t("reportVideo")}
          tabIndex={focusable}
          testId="report-video"
          icon="flag"
          iconSize={28}
          count={t("report")}
        />
      )}
      {reporting && (
        <ReportDialog targetType="video" targetId={video.id} onClose={() => setReporting(false)} />
      )}
    </div>
  );
}

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
      <button
        type="button"
        className={`rail-button ${video.is_favorite ? "liked" : ""}`}
        onClick={toggleLike}
        aria-pressed={video.is_favorite}
        aria-label={video.is_favorite ? t("unlike") : t("like")}
        tabIndex={focusable}
        data-testid="like-button"
      >
        <span className="rail-icon">
          <Icon name="heart" size={34} />
        </span>
        <span className="rail-count" data-testid="like-count">
          {formatCount(video.favorite_count, lang)}
        </span>
      </button>
      <button
        type="button"
        className="rail-button"
        onClick={onOpenComments}
        aria-label={t("comments")}
        tabIndex={focusable}
        data-testid="comment-button"
      >
        <span className="rail-icon">
          <Icon name="comment" size={32} />
        </span>
        <span className="rail-count" data-testid="comment-count">
          {formatCount(video.comment_count, lang)}
        </span>
      </button>
      <button
        type="button"
        className={`rail-button ${video.is_collected ? "collected" : ""}`}
        onClick={toggleCollect}
        aria-pressed={video.is_collected}
        aria-label={video.is_collected ? t("uncollect") : t("collect")}
        tabIndex={focusable}
        data-testid="collect-button"
      >
        <span className="rail-icon">
          <Icon name="bookmark" size={32} />
        </span>
        <span className="rail-count" data-testid="collect-count">
          {formatCount(video.collect_count, lang)}
        </span>
      </button>
      <button
        type="button"
        className="rail-button"
        onClick={share}
        aria-label={t("shareCount", { n: formatCount(video.share_count, lang) })}
        tabIndex={focusable}
        data-testid="share-button"
      >
        <span className="rail-icon">
          <Icon name="share" size={32} />
        </span>
        <span className="rail-count" data-testid="share-count">
          {video.share_count > 0 ? formatCount(video.share_count, lang) : t("share")}
        </span>
      </button>
      {/* issue 16: report the video (not one's own) */}
      {me !== video.author.id && (
        <button
          type="button"
          className="rail-button"
          onClick={() => requireLogin() && setReporting(true)}
          aria-label={t("reportVideo")}
          tabIndex={focusable}
          data-testid="report-video"
        >
          <span className="rail-icon">
            <Icon name="flag" size={28} />
          </span>
          <span className="rail-count">{t("report")}</span>
        </button>
      )}
      {reporting && (
        <ReportDialog targetType="video" targetId={video.id} onClose={() => setReporting(false)} />
      )}
    </div>
  );
}

// A vertical pager of full-screen videos: swipe, mouse wheel, arrow keys or the buttons move
// one video at a time; nearing the end asks for the next page.
import { useCallback, useEffect, useRef, useState } from "react";
import type { TouchEvent, WheelEvent } from "react";
import type { Video } from "../api/types";
import { useSessionUserId } from "../app/auth";
import { errorText } from "../app/errors";
import { loginPath, navigate } from "../app/router";
import { useT } from "../i18n/i18n";
import { CommentsDrawer } from "./CommentsDrawer";
import { setLiked } from "./likeVideo";
import { useToast } from "./Toast";
import { VideoSlide } from "./VideoSlide";

interface Props {
  videos: Video[];
  hasMore: boolean;
  loading: boolean;
  onNeedMore: () => void;
  onUpdate: (video: Video) => void;
}

// Sound stays on for the rest of the visit once someone has tapped for it.
let soundWanted = false;
const WHEEL_LOCK_MS = 650;
const SWIPE_PX = 50;

export function VideoFeed({ videos, hasMore, loading, onNeedMore, onUpdate }: Props) {
  const t = useT();
  const toast = useToast();
  const me = useSessionUserId();
  const [index, setIndex] = useState(0);
  const [muted, setMuted] = useState(!soundWanted);
  const [commentsFor, setCommentsFor] = useState<number | null>(null);
  const wheelLock = useRef(0);
  const touchStart = useRef<number | null>(null);
  const count = videos.length;

  useEffect(() => {
    if (index >= count && count > 0) setIndex(count - 1);
  }, [count, index]);
  useEffect(() => {
    if (hasMore && !loading && count > 0 && index >= count - 3) onNeedMore();
  }, [index, count, hasMore, loading, onNeedMore]);

  const move = useCallback(
    (delta: number) => setIndex((i) => Math.max(0, Math.min(count - 1, i + delta))),
    [count],
  );

  const unmute = useCallback(() => {
    soundWanted = true;
    setMuted(false);
  }, []);

  const current = videos[Math.min(index, count - 1)];
  const likeCurrent = useCallback(async () => {
    if (!current || current.is_favorite) return;
    if (me === null) {
      navigate(loginPath());
      return;
    }
    try {
      onUpdate(await setLiked(current, true));
    } catch (error) {
      toast(errorText(error, t));
    }
  }, [current, me, onUpdate, toast, t]);

  useEffect(() => {
    if (commentsFor !== null) return;
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target?.closest("input, textarea, select, [contenteditable=true]")) return;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "ArrowDown" || event.key === "PageDown" || event.key === "j") {
        event.preventDefault();
        move(1);
      } else if (event.key === "ArrowUp" || event.key === "PageUp" || event.key === "k") {
        event.preventDefault();
        move(-1);
      } else if (event.key === "m") {
        soundWanted = muted;
        setMuted(!muted);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [commentsFor, move, muted]);

  const onWheel = (event: WheelEvent) => {
    if (Math.abs(event.deltaY) < 20) return;
    const now = Date.now();
    if (now < wheelLock.current) return;
    wheelLock.current = now + WHEEL_LOCK_MS;
    move(event.deltaY > 0 ? 1 : -1);
  };
  const onTouchStart = (event: TouchEvent) => {
    touchStart.current = event.touches[0]?.clientY ?? null;
  };
  const onTouchEnd = (event: TouchEvent) => {
    const start = touchStart.current;
    touchStart.current = null;
    const end = event.changedTouches[0]?.clientY;
    if (start === null || end === undefined || Math.abs(end - start) < SWIPE_PX) return;
    move(end < start ? 1 : -1);
  };

  const commentVideo = videos.find((v) => v.id === commentsFor);
  return (
    <section
      className="feed"
      onWheel={onWheel}
      onTouchStart={onTouchStart}
      onTouchEnd={onTouchEnd}
      aria-label={t("feedHelp")}
    >
      <div className="track" style={{ transform: `translateY(${-index * 100}%)` }}>
        {videos.map((video, i) => (
          <div key={video.id} className="slot" style={{ top: `${i * 100}%` }}>
            {Math.abs(i - index) <= 2 && (
              <VideoSlide
                video={video}
                active={i === index}
                nearby={Math.abs(i - index) <= 1}
                muted={muted}
                onUnmute={unmute}
                onDoubleTap={likeCurrent}
                onOpenComments={() => setCommentsFor(video.id)}
                onUpdate={onUpdate}
              />
            )}
          </div>
        ))}
      </div>
      <div className="pager" role="group">
        <button
          type="button"
          className="icon-button"
          onClick={() => move(-1)}
          disabled={index === 0}
          aria-label={t("previousVideo")}
        >
          ▲
        </button>
        <span className="sr-only" aria-live="polite">
          {count > 0 ? t("videoPosition", { index: index + 1, count }) : ""}
        </span>
        <button
          type="button"
          className="icon-button"
          onClick={() => move(1)}
          disabled={index >= count - 1}
          aria-label={t("nextVideo")}
          data-testid="next-video"
        >
          ▼
        </button>
      </div>
      {commentVideo && (
        <CommentsDrawer
          video={commentVideo}
          onClose={() => setCommentsFor(null)}
          onCountChange={(delta) =>
            onUpdate({
              ...commentVideo,
              comment_count: Math.max(0, commentVideo.comment_count + delta),
            })
          }
        />
      )}
    </section>
  );
}

// One full-screen video: the player, what it is and who made it, and the side rail.
// Only the current slide plays; its neighbours keep a <video> with preload so the next swipe
// starts at once; slides further away show their cover.
import { useEffect, useRef, useState } from "react";
import type { MouseEvent } from "react";
import type { Video } from "../api/types";
import { Link } from "../app/router";
import { useT } from "../i18n/i18n";
import { Icon } from "./Icon";
import { SideRail } from "./SideRail";
import { VideoBadges } from "./VideoBadges";

interface Props {
  video: Video;
  active: boolean;
  nearby: boolean;
  muted: boolean;
  onUnmute: () => void;
  onDoubleTap: () => void;
  onOpenComments: () => void;
  onUpdate: (video: Video) => void;
}

const DOUBLE_TAP_MS = 280;

export function VideoSlide(props: Props) {
  const { video, active, nearby, muted } = props;
  const t = useT();
  const player = useRef<HTMLVideoElement>(null);
  const [paused, setPaused] = useState(false);
  const [progress, setProgress] = useState(0);
  const [hearts, setHearts] = useState<{ id: number; x: number; y: number }[]>([]);
  const tapTimer = useRef<number>(0);

  useEffect(() => {
    const el = player.current;
    if (!el) return;
    if (active) {
      setPaused(false);
      // A browser may refuse to play with sound before a gesture; it then plays muted.
      el.play().catch(() => setPaused(true));
    } else {
      el.pause();
      if (el.currentTime > 0) el.currentTime = 0;
    }
  }, [active, video.play_url]);

  useEffect(() => () => window.clearTimeout(tapTimer.current), []);

  const togglePlay = () => {
    const el = player.current;
    if (!el) return;
    if (el.paused) {
      el.play().catch(() => undefined);
      setPaused(false);
    } else {
      el.pause();
      setPaused(true);
    }
  };

  const onTap = (event: MouseEvent<HTMLDivElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    if (tapTimer.current) {
      window.clearTimeout(tapTimer.current);
      tapTimer.current = 0;
      const heart = { id: Date.now(), x: event.clientX - rect.left, y: event.clientY - rect.top };
      setHearts((h) => [...h, heart]);
      window.setTimeout(() => setHearts((h) => h.filter((x) => x.id !== heart.id)), 800);
      props.onDoubleTap();
      return;
    }
    // The first tap anywhere turns the sound on at once; later single taps pause and resume.
    const wasMuted = muted;
    if (wasMuted) props.onUnmute();
    tapTimer.current = window.setTimeout(() => {
      tapTimer.current = 0;
      if (!wasMuted) togglePlay();
    }, DOUBLE_TAP_MS);
  };

  return (
    <article
      className="slide"
      aria-roledescription="video"
      aria-label={video.title}
      aria-hidden={!active}
      data-testid={active ? "active-slide" : undefined}
      data-video-id={video.id}
    >
      <div className="stage" onClick={onTap}>
        {nearby ? (
          <video
            ref={player}
            className="player"
            src={video.play_url}
            poster={video.cover_url || undefined}
            muted={muted}
            loop
            playsInline
            preload="auto"
            onTimeUpdate={(e) => {
              const el = e.currentTarget;
              if (el.duration > 0) setProgress(el.currentTime / el.duration);
            }}
            onPlay={() => setPaused(false)}
            onPause={() => active && setPaused(true)}
          />
        ) : (
          video.cover_url && <img className="player" src={video.cover_url} alt="" />
        )}
        {hearts.map((h) => (
          <span key={h.id} className="burst" style={{ left: h.x, top: h.y }} aria-hidden="true">
            ♥
          </span>
        ))}
        {active && paused && !muted && (
          <span className="paused-mark" aria-hidden="true">
            ▶
          </span>
        )}
      </div>
      {active && muted && (
        <button type="button" className="unmute-hint" onClick={props.onUnmute} tabIndex={-1}>
          <Icon name="mute" size={18} /> {t("tapToUnmute")}
        </button>
      )}
      <div className="caption">
        <Link to={`/u/${video.author.id}`} className="caption-author" tabIndex={active ? 0 : -1}>
          @{video.author.name}
        </Link>
        <h2 className="caption-title">{video.title}</h2>
        <VideoBadges video={video} withSource />
        {video.description && <p className="caption-text">{video.description}</p>}
        {video.tags.length > 0 && (
          <p className="caption-tags">
            {video.tags.map((tag) => (
              <Link
                key={tag}
                to={`/search?q=${encodeURIComponent(tag)}`}
                tabIndex={active ? 0 : -1}
              >
                #{tag}
              </Link>
            ))}
          </p>
        )}
      </div>
      <SideRail
        video={video}
        active={active}
        onLike={props.onUpdate}
        onOpenComments={props.onOpenComments}
      />
      <div className="progress-line" aria-hidden="true">
        <span style={{ transform: `scaleX(${active ? progress : 0})` }} />
      </div>
      {active && (
        <button type="button" className="sr-only" onClick={togglePlay}>
          {paused ? t("play") : t("pause")}
        </button>
      )}
    </article>
  );
}

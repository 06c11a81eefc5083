// Home: the latest / following / hot feeds as tabs over the full-screen pager.
import { useCallback } from "react";
import type { KeyboardEvent } from "react";
import { feed } from "../api/endpoints";
import type { FeedType, Video } from "../api/types";
import { useSessionUserId } from "../app/auth";
import { Link, loginPath, navigate, useLocation } from "../app/router";
import { Empty, ErrorBox, Loading } from "../components/States";
import { VideoFeed } from "../components/VideoFeed";
import { usePaged } from "../hooks/usePaged";
import { useT } from "../i18n/i18n";
import type { StringKey } from "../i18n/strings";

const TABS: { type: FeedType; label: StringKey }[] = [
  { type: "latest", label: "tabLatest" },
  { type: "following", label: "tabFollowing" },
  { type: "hot", label: "tabHot" },
];

function tabOf(value: string | null): FeedType {
  return value === "following" || value === "hot" ? value : "latest";
}

export function FeedPage() {
  const t = useT();
  const me = useSessionUserId();
  const { query } = useLocation();
  const type = tabOf(query.get("tab"));
  const needsLogin = type === "following" && me === null;
  const list = usePaged<Video>(needsLogin ? null : `${type}:${me ?? 0}`, async (cursor, signal) => {
    const page = await feed(type, { cursor, limit: 10, signal });
    return { ...page, items: page.videos };
  });
  const { setItems } = list;
  // A follow from one video's rail shows on every video by the same author.
  const update = useCallback(
    (video: Video) =>
      setItems((items) =>
        items.map((v) =>
          v.id === video.id
            ? video
            : v.author.id === video.author.id
              ? { ...v, author: video.author }
              : v,
        ),
      ),
    [setItems],
  );
  const select = (next: FeedType) =>
    navigate(next === "latest" ? "/" : `/?tab=${next}`, { replace: true });
  // Arrow keys move between tabs (the ARIA tabs pattern); Up/Down stay with the videos.
  const onTabKey = (event: KeyboardEvent, i: number) => {
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    const next = TABS[(i + (event.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length];
    select(next.type);
    document.getElementById(`tab-${next.type}`)?.focus();
  };

  let body;
  if (needsLogin) {
    body = (
      <Empty>
        <Link to={loginPath()} className="button primary">
          {t("feedFollowingLogin")}
        </Link>
      </Empty>
    );
  } else if (list.items.length > 0) {
    body = (
      <VideoFeed
        key={type}
        videos={list.items}
        hasMore={list.hasMore}
        loading={list.loading}
        onNeedMore={list.loadMore}
        onUpdate={update}
      />
    );
  } else if (list.error) {
    body = <ErrorBox error={list.error} onRetry={list.reload} />;
  } else if (list.loading || list.hasMore) {
    body = <Loading />;
  } else {
    body = <Empty>{type === "following" ? t("feedFollowingEmpty") : t("feedEmpty")}</Empty>;
  }

  return (
    <div className="feed-page">
      <div className="feed-tabs" role="tablist" aria-label={t("navHome")}>
        {TABS.map((tab, i) => (
          <button
            key={tab.type}
            id={`tab-${tab.type}`}
            type="button"
            role="tab"
            aria-selected={type === tab.type}
            aria-controls="feed-panel"
            tabIndex={type === tab.type ? 0 : -1}
            onClick={() => select(tab.type)}
            onKeyDown={(e) => onTabKey(e, i)}
          >
            {t(tab.label)}
          </button>
        ))}
      </div>
      <div id="feed-panel" role="tabpanel" aria-labelledby={`tab-${type}`} className="feed-panel">
        {body}
      </div>
    </div>
  );
}

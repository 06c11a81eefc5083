// Search videos and people as you type: the query settles for 300 ms before it is sent,
// lands in the address (so a reload or a shared link shows the same results), and answers
// to an older query are dropped.
import { useEffect, useRef, useState } from "react";
import { searchUsers, searchVideos } from "../api/endpoints";
import type { User, Video } from "../api/types";
import { useSessionUserId } from "../app/auth";
import { navigate, useLocation } from "../app/router";
import { Empty, ErrorBox, Loading } from "../components/States";
import { UserRow } from "../components/UserRow";
import { VideoGrid } from "../components/VideoGrid";
import { useDebounced } from "../hooks/useDebounced";
import { usePaged } from "../hooks/usePaged";
import { useSentinel } from "../hooks/useSentinel";
import { useT } from "../i18n/i18n";

type Kind = "video" | "user";
const DEBOUNCE_MS = 300;

export function SearchPage() {
  const t = useT();
  const me = useSessionUserId();
  const { query } = useLocation();
  const kind: Kind = query.get("type") === "user" ? "user" : "video";
  const [text, setText] = useState(query.get("q") ?? "");
  const settled = useDebounced(text.trim(), DEBOUNCE_MS);
  const field = useRef<HTMLInputElement>(null);

  useEffect(() => field.current?.focus(), []);
  // A #tag link followed while already here changes the address, not the field: follow it.
  const addressQuery = query.get("q") ?? "";
  useEffect(() => {
    if (addressQuery !== settled) setText(addressQuery);
    // Only the address moving should do this, not the field settling.
  }, [addressQuery]);
  useEffect(() => {
    const params = new URLSearchParams();
    if (settled) params.set("q", settled);
    if (kind === "user") params.set("type", "user");
    const search = params.toString();
    navigate(search ? `/search?${search}` : "/search", { replace: true });
  }, [settled, kind]);

  const key = settled ? `${kind}:${settled}:${me ?? 0}` : null;
  const videos = usePaged<Video>(kind === "video" ? key : null, async (cursor, signal) => {
    const page = await searchVideos(settled, { cursor, limit: 18, signal });
    return { ...page, items: page.videos };
  });
  const users = usePaged<User>(kind === "user" ? key : null, async (cursor, signal) => {
    const page = await searchUsers(settled, { cursor, limit: 20, signal });
    return { ...page, items: page.users };
  });
  const list = kind === "video" ? videos : users;
  const sentinel = useSentinel<HTMLDivElement>(
    list.loadMore,
    list.hasMore && !list.loading && !!key,
  );

  const selectKind = (next: Kind) => {
    const params = new URLSearchParams();
    if (settled) params.set("q", settled);
    if (next === "user") params.set("type", "user");
    navigate(`/search?${params.toString()}`, { replace: true });
  };

  return (
    <div className="page">
      <form className="search-bar" role="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="search-input" className="sr-only">
          {t("searchLabel")}
        </label>
        <input
          id="search-input"
          ref={field}
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t("searchPlaceholder")}
          autoComplete="off"
          enterKeyHint="search"
        />
        {text && (
          <button type="button" className="button secondary small" onClick={() => setText("")}>
            {t("clearSearch")}
          </button>
        )}
      </form>
      <div className="tabs" role="tablist">
        {(["video", "user"] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={kind === name}
            onClick={() => selectKind(name)}
          >
            {name === "video" ? t("searchVideos") : t("searchUsers")}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-busy={list.loading} data-testid="search-results">
        {!key && <Empty>{t("searchPrompt")}</Empty>}
        {kind === "video" ? (
          <VideoGrid videos={videos.items} />
        ) : (
          <ul className="user-list">
            {users.items.map((user) => (
              <UserRow
                key={user.id}
                user={user}
                onChange={(u) =>
                  users.setItems((items) => items.map((x) => (x.id === u.id ? u : x)))
                }
              />
            ))}
          </ul>
        )}
        {list.error != null && <ErrorBox error={list.error} onRetry={list.reload} />}
        {list.loading && <Loading />}
        {key && !list.loading && !list.error && list.items.length === 0 && (
          <Empty>{t("searchNothing", { q: settled })}</Empty>
        )}
        {key && list.hasMore && !list.error && <div ref={sentinel} className="sentinel" />}
      </div>
    </div>
  );
}

// Someone's page: background, avatar, name, bio, counts, follow or edit, and their videos
// liked and bookmarked (收藏) videos as tabs.
import { useEffect, useState } from "react";
import { ApiError } from "../api/client";
import { getUser, listCollections, listLikes, listWorks } from "../api/endpoints";
import type { User, Video } from "../api/types";
import { logout, useSessionUserId } from "../app/auth";
import { isAbort } from "../app/errors";
import { formatCount } from "../app/format";
import { Link, navigate, useLocation } from "../app/router";
import { Avatar } from "../components/Avatar";
import { BlockButton } from "../components/BlockButton";
import { FollowButton } from "../components/FollowButton";
import { Empty, ErrorBox, Loading } from "../components/States";
import { VideoGrid } from "../components/VideoGrid";
import { usePaged } from "../hooks/usePaged";
import { useSentinel } from "../hooks/useSentinel";
import { useI18n } from "../i18n/i18n";
import { BlockedUsersDialog } from "./BlockedUsersDialog";
import { EditProfileDialog } from "./EditProfileDialog";
import { ReportDialog } from "../components/ReportDialog";

type Tab = "works" | "likes" | "collections";
const TABS: readonly Tab[] = ["works", "likes", "collections"];

export function ProfilePage({ id }: { id: number }) {
  const { t, lang } = useI18n();
  const me = useSessionUserId();
  const { query } = useLocation();
  const asked = query.get("tab");
  const tab: Tab = asked === "likes" || asked === "collections" ? asked : "works";
  const [user, setUser] = useState<User | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [editing, setEditing] = useState(false);
  const [showBlocked, setShowBlocked] = useState(false); // issue 16
  const [reporting, setReporting] = useState(false); // issue 16
  const mine = me === id;

  useEffect(() => {
    const abort = new AbortController();
    setError(null);
    getUser(id, abort.signal)
      .then((r) => setUser(r.user))
      .catch((e) => !isAbort(e) && setError(e));
    return () => abort.abort();
  }, [id, me, attempt]);

  const videos = usePaged<Video>(`${id}:${tab}:${me ?? 0}`, async (cursor, signal) => {
    const list = tab === "likes" ? listLikes : tab === "collections" ? listCollections : listWorks;
    const page = await list(id, { cursor, limit: 18, signal });
    return { ...page, items: page.videos };
  });
  const sentinel = useSentinel<HTMLDivElement>(videos.loadMore, videos.hasMore && !videos.loading);

  if (error instanceof ApiError && error.status === 404) return <Empty>{t("userNotFound")}</Empty>;
  if (error) return <ErrorBox error={error} onRetry={() => setAttempt((a) => a + 1)} />;
  if (!user || user.id !== id) return <Loading />;

  const selectTab = (next: Tab) =>
    navigate(next === "works" ? `/u/${id}` : `/u/${id}?tab=${next}`, { replace: true });
  const privateCollections =
    videos.error instanceof ApiError && videos.error.reason === "COLLECTIONS_PRIVATE";
  const stats: { label: string; value: number; to?: string }[] = [
    { label: t("followCount"), value: user.follow_count, to: `/u/${id}/following` },
    { label: t("followerCount"), value: user.follower_count, to: `/u/${id}/followers` },
    { label: t("likedCount"), value: user.total_favorited },
  ];

  return (
    <div className="page profile-page">
      <header className="profile-head">
        <div
          className="profile-cover"
          style={
            user.background_image
              ? { backgroundImage: `url("${user.background_image}")` }
              : undefined
          }
        />
        <div className="profile-main">
          <Avatar user={user} size={96} />
          <div className="profile-text">
            <h1 data-testid="profile-name">{user.name}</h1>
            <p className="muted" data-testid="profile-signature">
              {user.signature || t("noSignature")}
            </p>
            <ul className="stats">
              {stats.map((s) => (
                <li key={s.label}>
                  {s.to ? (
                    <Link to={s.to}>
                      <strong>{formatCount(s.value, lang)}</strong> {s.label}
                    </Link>
                  ) : (
                    <span>
                      <strong>{formatCount(s.value, lang)}</strong> {s.label}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </div>
          <div className="profile-actions">
            {mine ? (
              <>
                <button type="button" className="button secondary" onClick={() => setEditing(true)}>
                  {t("editProfile")}
                </button>
                <button
                  type="button"
                  className="button secondary"
                  onClick={() => setShowBlocked(true)}
                >
                  {t("blockedUsers")}
                </button>
                <button
                  type="button"
                  className="button secondary"
                  onClick={() => {
                    void logout();
                    navigate("/");
                  }}
                >
                  {t("logout")}
                </button>
              </>
            ) : (
              <>
                <FollowButton
                  userId={user.id}
                  name={user.name}
                  isFollow={user.is_follow}
                  onChange={(isFollow) =>
                    setUser({
                      ...user,
                      is_follow: isFollow,
                      follower_count:
                        user.follower_count + (isFollow === user.is_follow ? 0 : isFollow ? 1 : -1),
                    })
                  }
                />
                {me !== null && (
                  <Link to={`/chat/${user.id}`} className="button secondary">
                    {t("message")}
                  </Link>
                )}
                {/* issue 16: a block ends the follows both ways; reload the counts */}
                <BlockButton
                  userId={user.id}
                  name={user.name}
                  onChange={() => setAttempt((a) => a + 1)}
                />
                {me !== null && (
                  <button
                    type="button"
                    className="button secondary"
                    onClick={() => setReporting(true)}
                    data-testid="report-user"
                  >
                    {t("report")}
                  </button>
                )}
              </>
            )}
          </div>
        </div>
      </header>
      <div className="tabs" role="tablist">
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            onClick={() => selectTab(name)}
          >
            {name === "works"
              ? `${t("tabWorks")} ${formatCount(user.work_count, lang)}`
              : name === "likes"
                ? `${t("tabLikes")} ${formatCount(user.favorite_count, lang)}`
                : t("tabCollections")}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        <VideoGrid videos={videos.items} />
        {/* Another's collections are private unless they made them public: a note, not an error. */}
        {privateCollections ? (
          <Empty>{t("collectionsPrivate")}</Empty>
        ) : (
          videos.error != null && <ErrorBox error={videos.error} onRetry={videos.reload} />
        )}
        {!videos.loading && !videos.error && videos.items.length === 0 && (
          <Empty>
            {tab === "works"
              ? t("worksEmpty")
              : tab === "likes"
                ? t("likesEmpty")
                : t("collectionsEmpty")}
          </Empty>
        )}
        {videos.loading && <Loading />}
        {videos.hasMore && !videos.error && <div ref={sentinel} className="sentinel" />}
      </div>
      {showBlocked && <BlockedUsersDialog onClose={() => setShowBlocked(false)} />}
      {reporting && (
        <ReportDialog targetType="user" targetId={user.id} onClose={() => setReporting(false)} />
      )}
      {editing && (
        <EditProfileDialog
          user={user}
          onClose={() => setEditing(false)}
          onSaved={(updated) => {
            setUser(updated);
            setEditing(false);
          }}
        />
      )}
    </div>
  );
}

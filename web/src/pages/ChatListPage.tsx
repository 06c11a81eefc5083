// Conversations: your friends (mutual follows), each with the newest message between you,
// most recent conversation first.
import { listRelations } from "../api/endpoints";
import type { Friend } from "../api/types";
import { useSessionUserId } from "../app/auth";
import { formatAgo } from "../app/format";
import { Link } from "../app/router";
import { Avatar } from "../components/Avatar";
import { Empty, ErrorBox, Loading } from "../components/States";
import { usePaged } from "../hooks/usePaged";
import { useSentinel } from "../hooks/useSentinel";
import { useT } from "../i18n/i18n";

function lastTime(friend: Friend): number {
  return friend.last_message?.created_at ?? 0;
}

export function ChatListPage() {
  const t = useT();
  const me = useSessionUserId();
  const list = usePaged<Friend>(me === null ? null : `friends:${me}`, async (cursor, signal) => {
    const page = await listRelations(me ?? 0, "friend", { cursor, limit: 50, signal });
    return { ...page, items: page.users };
  });
  const sentinel = useSentinel<HTMLDivElement>(list.loadMore, list.hasMore && !list.loading);
  const friends = [...list.items].sort((a, b) => lastTime(b) - lastTime(a));
  return (
    <div className="page narrow">
      <h1>{t("messagesTitle")}</h1>
      <ul className="conversation-list" data-testid="conversations">
        {friends.map((friend) => (
          <li key={friend.id}>
            <Link to={`/chat/${friend.id}`} className="conversation">
              <Avatar user={friend} size={52} />
              <span className="conversation-text">
                <span className="conversation-name">{friend.name}</span>
                <span className="muted ellipsis">
                  {friend.last_message
                    ? `${friend.last_message.from_user_id === me ? `${t("you")}: ` : ""}${friend.last_message.content}`
                    : t("noMessagesYet")}
                </span>
              </span>
              {friend.last_message && (
                <span className="muted small">{formatAgo(friend.last_message.created_at, t)}</span>
              )}
            </Link>
          </li>
        ))}
      </ul>
      {list.error != null && <ErrorBox error={list.error} onRetry={list.reload} />}
      {list.loading && <Loading />}
      {!list.loading && !list.error && list.items.length === 0 && (
        <Empty>{t("chatEmptyList")}</Empty>
      )}
      {list.hasMore && !list.error && <div ref={sentinel} className="sentinel" />}
    </div>
  );
}

// Whom someone follows, or who follows them.
import { useEffect, useState } from "react";
import { getUser, listRelations } from "../api/endpoints";
import type { User } from "../api/types";
import { useSessionUserId } from "../app/auth";
import { UserRow } from "../components/UserRow";
import { Empty, ErrorBox, Loading } from "../components/States";
import { usePaged } from "../hooks/usePaged";
import { useSentinel } from "../hooks/useSentinel";
import { useT } from "../i18n/i18n";

export function RelationsPage({ id, type }: { id: number; type: "follow" | "follower" }) {
  const t = useT();
  const me = useSessionUserId();
  const [owner, setOwner] = useState<User | null>(null);
  useEffect(() => {
    getUser(id).then(
      (r) => setOwner(r.user),
      () => setOwner(null),
    );
  }, [id]);
  const list = usePaged<User>(`${id}:${type}:${me ?? 0}`, async (cursor, signal) => {
    const page = await listRelations(id, type, { cursor, limit: 30, signal });
    return { ...page, items: page.users };
  });
  const sentinel = useSentinel<HTMLDivElement>(list.loadMore, list.hasMore && !list.loading);
  const name = owner?.name ?? "…";
  return (
    <div className="page narrow">
      <h1>{type === "follow" ? t("followingOf", { name }) : t("followersOf", { name })}</h1>
      <ul className="user-list">
        {list.items.map((user) => (
          <UserRow
            key={user.id}
            user={user}
            onChange={(u) => list.setItems((items) => items.map((x) => (x.id === u.id ? u : x)))}
          />
        ))}
      </ul>
      {list.error != null && <ErrorBox error={list.error} onRetry={list.reload} />}
      {list.loading && <Loading />}
      {!list.loading && !list.error && list.items.length === 0 && <Empty>{t("listEmpty")}</Empty>}
      {list.hasMore && !list.error && <div ref={sentinel} className="sentinel" />}
    </div>
  );
}

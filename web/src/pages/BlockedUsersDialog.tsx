// issue 16: the people one blocked, newest first, each with an unblock button.
import { useState } from "react";
import { block, listBlocked } from "../api/endpoints";
import type { User } from "../api/types";
import { errorText } from "../app/errors";
import { Link } from "../app/router";
import { Avatar } from "../components/Avatar";
import { Dialog } from "../components/Dialog";
import { Empty, ErrorBox, Loading } from "../components/States";
import { useToast } from "../components/Toast";
import { usePaged } from "../hooks/usePaged";
import { useSentinel } from "../hooks/useSentinel";
import { useT } from "../i18n/i18n";

export function BlockedUsersDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const toast = useToast();
  const [busy, setBusy] = useState<number | null>(null);
  const users = usePaged<User>("blocked", async (cursor, signal) => {
    const page = await listBlocked({ cursor, limit: 20, signal });
    return { ...page, items: page.users };
  });
  const sentinel = useSentinel<HTMLDivElement>(users.loadMore, users.hasMore && !users.loading);

  const unblock = async (user: User) => {
    if (!window.confirm(t("confirmUnblock", { name: user.name }))) return;
    setBusy(user.id);
    try {
      await block(user.id, false);
      users.setItems((items) => items.filter((u) => u.id !== user.id));
      toast(t("unblockedDone", { name: user.name }));
    } catch (error) {
      toast(errorText(error, t));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Dialog title={t("blockedUsers")} onClose={onClose} closeLabel={t("close")}>
      <ul className="user-list" data-testid="blocked-list">
        {users.items.map((user) => (
          <li key={user.id} className="user-row" data-testid="blocked-user">
            <Link to={`/u/${user.id}`} className="user-row-link" onClick={onClose}>
              <Avatar user={user} size={40} />
              <span className="user-row-text">
                <span className="user-row-name">{user.name}</span>
              </span>
            </Link>
            <button
              type="button"
              className="button secondary small"
              disabled={busy === user.id}
              onClick={() => void unblock(user)}
            >
              {t("unblock")}
            </button>
          </li>
        ))}
      </ul>
      {users.error != null && <ErrorBox error={users.error} onRetry={users.reload} />}
      {!users.loading && !users.error && users.items.length === 0 && (
        <Empty>{t("blockedEmpty")}</Empty>
      )}
      {users.loading && <Loading />}
      {users.hasMore && !users.error && <div ref={sentinel} className="sentinel" />}
    </Dialog>
  );
}

// issue 16: whether the signed-in user moderates (GET /api/admin/me), for the side rail's
// link to the moderation page. Asked once per sign-in.
import { useEffect, useState } from "react";
import { moderatorMe } from "../api/endpoints";
import { useSessionUserId } from "./auth";

export function useIsModerator(): boolean | null {
  const me = useSessionUserId();
  const [answer, setAnswer] = useState<{ user: number; moderator: boolean } | null>(null);
  useEffect(() => {
    if (me === null) return;
    const abort = new AbortController();
    moderatorMe(abort.signal)
      .then((r) => setAnswer({ user: me, moderator: r.moderator }))
      .catch(() => setAnswer({ user: me, moderator: false }));
    return () => abort.abort();
  }, [me]);
  if (me === null) return false;
  return answer && answer.user === me ? answer.moderator : null;
}

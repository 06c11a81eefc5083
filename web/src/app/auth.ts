// The signed-in user id for components (null when signed out), following the session.
import { useSyncExternalStore } from "react";
import { revokeSession } from "../api/client";
import { getSession, setSession, subscribeSession } from "../api/session";

export function useSessionUserId(): number | null {
  return useSyncExternalStore(subscribeSession, () => getSession()?.userId ?? null);
}

/// Signs out here at once and ends the session on the server (POST /api/user/logout), so
/// its refresh token is dead even if someone copied it.
export function logout(): Promise<void> {
  const session = getSession();
  setSession(null);
  return session ? revokeSession(session) : Promise.resolve();
}

// The signed-in user id for components (null when signed out), following the session.
import { useSyncExternalStore } from "react";
import { getSession, setSession, subscribeSession } from "../api/session";

export function useSessionUserId(): number | null {
  return useSyncExternalStore(subscribeSession, () => getSession()?.userId ?? null);
}

export function logout() {
  setSession(null);
}

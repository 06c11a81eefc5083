// The signed-in user's tokens, kept in localStorage so a reload (or another tab) stays
// signed in. Subscribers hear about every change, including ones made in other tabs.

export interface Session {
  userId: number;
  accessToken: string;
  refreshToken: string;
}

const KEY = "reel.session";
type Listener = () => void;
const listeners = new Set<Listener>();
let current: Session | null = read();

function read(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<Session>;
    if (typeof s.userId !== "number" || !s.accessToken || !s.refreshToken) return null;
    return { userId: s.userId, accessToken: s.accessToken, refreshToken: s.refreshToken };
  } catch {
    return null;
  }
}

function notify() {
  for (const listener of listeners) listener();
}

export function getSession(): Session | null {
  return current;
}

export function setSession(session: Session | null) {
  current = session;
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
  notify();
}

export function subscribeSession(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

window.addEventListener("storage", (event) => {
  if (event.key !== KEY) return;
  current = read();
  notify();
});

/// Seconds until the access token expires, from its `exp` claim (Infinity if unreadable).
export function secondsLeft(token: string, nowMs = Date.now()): number {
  try {
    const payload = token.split(".")[1] ?? "";
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const exp = (JSON.parse(json) as { exp?: number }).exp;
    return typeof exp === "number" ? exp - nowMs / 1000 : Infinity;
  } catch {
    return Infinity;
  }
}

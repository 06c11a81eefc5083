// The signed-in user's tokens, kept in localStorage so a reload (or another tab) stays
// signed in. Subscribers hear about every change, including ones made in other tabs. Device
// tokens (one per username that signed in here) are kept apart and outlive a logout: they
// say "this browser logged in as them before", which is what lets the owner past a password
// guesser's throttle on the next login.

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

/// The session as stored now, which another tab may have changed a moment ago (before its
/// storage event reached this one).
export function reloadSession(): Session | null {
  const fresh = read();
  const same =
    fresh?.userId === current?.userId &&
    fresh?.accessToken === current?.accessToken &&
    fresh?.refreshToken === current?.refreshToken;
  if (!same) {
    current = fresh;
    notify();
  }
  return current;
}

const DEVICES_KEY = "reel.devices";
const MAX_DEVICE_TOKENS = 5;

function readDevices(): Record<string, string> {
  try {
    const parsed = JSON.parse(localStorage.getItem(DEVICES_KEY) ?? "{}") as unknown;
    return parsed && typeof parsed === "object" ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

// Usernames are unique ignoring ASCII case, as the server compares them.
const nameKey = (username: string) => username.replace(/[A-Z]/g, (c) => c.toLowerCase());

/// The device token of an earlier sign-in as `username` in this browser, if any.
export function deviceTokenFor(username: string): string | undefined {
  const token = readDevices()[nameKey(username)];
  return typeof token === "string" && token ? token : undefined;
}

/// Keeps `token` for the next login as `username` (the newest few names only).
export function rememberDeviceToken(username: string, token: string | undefined) {
  if (!token) return;
  const devices = readDevices();
  delete devices[nameKey(username)];
  devices[nameKey(username)] = token;
  const names = Object.keys(devices);
  for (const old of names.slice(0, Math.max(0, names.length - MAX_DEVICE_TOKENS))) {
    delete devices[old];
  }
  localStorage.setItem(DEVICES_KEY, JSON.stringify(devices));
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

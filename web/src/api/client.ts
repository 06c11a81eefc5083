// fetch() for the /api routes: bearer token, JSON bodies, errors as ApiError carrying the
// contract's {code, reason, message}, and one transparent refresh when the access token has
// expired (TOKEN_EXPIRED), shared by every request that hit the expiry at the same time, and
// by every tab: a refresh token works once, and a second use logs the session out.
import { getSession, reloadSession, secondsLeft, setSession, type Session } from "./session";
import type { Tokens } from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  json?: unknown;
  form?: FormData;
  signal?: AbortSignal;
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/// Reads an error body in the contract's shape, or makes one from whatever came back.
export function errorFrom(status: number, body: string): ApiError {
  try {
    const parsed = JSON.parse(body) as { reason?: string; message?: string };
    if (parsed && typeof parsed.reason === "string") {
      return new ApiError(status, parsed.reason, parsed.message ?? parsed.reason);
    }
  } catch {
    // not JSON: a proxy or the server's own transport error
  }
  return new ApiError(status, `HTTP_${status}`, body.slice(0, 200) || `HTTP ${status}`);
}

export function storeTokens(tokens: Tokens) {
  setSession({
    userId: tokens.user_id,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
  });
}

let refreshing: Promise<boolean> | null = null;

/// Runs `work` while holding the browser-wide refresh lock (Web Locks), so two tabs never
/// send the same refresh token; without Web Locks it just runs.
function underRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  // request() resolves to what `work` resolves to (its typing says a promise of a promise).
  return locks ? (locks.request("reel.refresh", work) as unknown as Promise<T>) : work();
}

/// Trades the refresh token for new tokens once, however many callers (and tabs) ask at the
/// same time. Resolves false (and signs out) when the refresh token is refused.
export function refreshTokens(): Promise<boolean> {
  if (refreshing) return refreshing;
  const before = getSession();
  if (!before) return Promise.resolve(false);
  refreshing = underRefreshLock(async () => {
    // Another tab may have refreshed while this one waited for the lock: use what it stored.
    const session = reloadSession();
    if (!session) return false;
    if (session.refreshToken !== before.refreshToken) return true;
    try {
      const response = await fetch("/api/user/refresh", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: session.refreshToken }),
      });
      if (response.ok) {
        storeTokens((await response.json()) as Tokens);
        return true;
      }
      // Only a refusal (expired, revoked, reused) signs out; a network or server hiccup
      // keeps the session for later.
      if (response.status === 401 || response.status === 400) setSession(null);
      return false;
    } catch {
      return false;
    }
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/// Ends `session` on the server (its refresh token and its writes stop working). Best
/// effort: the caller has signed out locally already.
export async function revokeSession(session: Session): Promise<void> {
  try {
    await fetch("/api/user/logout", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Authorization: `Bearer ${session.accessToken}`,
      },
      body: JSON.stringify({ refresh_token: session.refreshToken }),
    });
  } catch {
    // offline: the session ends when its tokens expire
  }
}

/// The access token to send, refreshed first when it expires within a minute (uploads use
/// this: re-sending a large file after a 401 would waste the upload).
export async function freshAccessToken(): Promise<string | null> {
  const session = getSession();
  if (!session) return null;
  if (secondsLeft(session.accessToken) < 60) await refreshTokens();
  return getSession()?.accessToken ?? null;
}

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = {};
  const token = getSession()?.accessToken;
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (options.form) {
    body = options.form;
  } else if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  }
  try {
    return await fetch(withQuery(path, options.query), {
      method,
      headers,
      body,
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "NETWORK", "network error");
  }
}

export async function api<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  let response = await send(method, path, options);
  if (response.status === 401 && getSession()) {
    const error = errorFrom(401, await response.text());
    if (error.reason === "TOKEN_EXPIRED") {
      // Refused refresh: signed out, so the retry goes as a guest (and an auth route says so).
      if (!(await refreshTokens()) && getSession()) throw error;
    } else if (
      error.reason === "TOKEN_INVALID" ||
      error.reason === "TOKEN_REVOKED" ||
      error.reason === "TOKEN_REUSED"
    ) {
      // Signed by another secret (a reset server), a session logged out (here, elsewhere, a
      // password change) or a copied refresh token: no use keeping it.
      setSession(null);
    } else {
      throw error;
    }
    response = await send(method, path, options);
  }
  const text = await response.text();
  if (!response.ok) throw errorFrom(response.status, text);
  return (text ? JSON.parse(text) : {}) as T;
}

// What to tell a person about a failed call: our words for the reasons we know, the
// server's sentence for the rest.
import { ApiError } from "../api/client";
import type { Translate } from "../i18n/i18n";

export function errorText(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    if (error.reason === "NETWORK") return t("errorNetwork");
    if (error.status === 429) return t("tooManyTries");
    if (error.status === 401 && error.reason.startsWith("TOKEN_")) return t("loginRequired");
    // issue 16: the server's message says which side blocked (relation_service.cpp).
    if (error.reason === "BLOCKED") {
      return t(error.message.includes("unblock them first") ? "youBlocked" : "blockedYou");
    }
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

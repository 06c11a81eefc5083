// Numbers, sizes and times as people read them.
import type { Translate } from "../i18n/i18n";
import type { Lang } from "../i18n/i18n";

export function formatCount(n: number, lang: Lang): string {
  if (lang === "zh") {
    if (n >= 100_000_000) return `${trim(n / 100_000_000)}亿`;
    if (n >= 10_000) return `${trim(n / 10_000)}万`;
    return String(n);
  }
  if (n >= 1_000_000) return `${trim(n / 1_000_000)}M`;
  if (n >= 10_000) return `${trim(n / 1_000)}K`;
  return String(n);
}

function trim(x: number): string {
  return x.toFixed(1).replace(/\.0$/, "");
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 30) return `${trim(bytes / (1 << 30))} GiB`;
  if (bytes >= 1 << 20) return `${trim(bytes / (1 << 20))} MiB`;
  if (bytes >= 1 << 10) return `${trim(bytes / (1 << 10))} KiB`;
  return `${bytes} B`;
}

export function formatAgo(ms: number, t: Translate, now = Date.now()): string {
  const minutes = Math.floor((now - ms) / 60_000);
  if (minutes < 1) return t("justNow");
  if (minutes < 60) return t("minutesAgo", { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t("hoursAgo", { n: hours });
  const days = Math.floor(hours / 24);
  if (days < 30) return t("daysAgo", { n: days });
  return new Date(ms).toLocaleDateString();
}

export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/// Code points, as the server counts lengths (a Chinese character is one).
export function charCount(text: string): number {
  return Array.from(text).length;
}

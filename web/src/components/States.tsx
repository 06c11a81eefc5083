// The three states every list and page has besides "here it is".
import type { ReactNode } from "react";
import { errorText } from "../app/errors";
import { useT } from "../i18n/i18n";

export function Loading() {
  const t = useT();
  return (
    <p className="state" role="status">
      <span className="spinner" aria-hidden="true" /> {t("loading")}
    </p>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  return (
    <div className="state error" role="alert">
      <p>{t("loadFailed", { message: errorText(error, t) })}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          {t("retry")}
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state empty">{children}</p>;
}

// issue 16: block or unblock someone from their profile, after a confirmation. Blocking ends
// the follows between the two (the server does it), so the parent is told to show that.
import { useEffect, useState } from "react";
import { block, isBlocked } from "../api/endpoints";
import { useSessionUserId } from "../app/auth";
import { errorText, isAbort } from "../app/errors";
import { useT } from "../i18n/i18n";
import { useToast } from "./Toast";

interface Props {
  userId: number;
  name: string;
  /// Called after a change: whether the user is blocked now.
  onChange: (blocked: boolean) => void;
}

export function BlockButton({ userId, name, onChange }: Props) {
  const t = useT();
  const toast = useToast();
  const me = useSessionUserId();
  const [blocked, setBlocked] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (me === null || me === userId) return;
    const abort = new AbortController();
    setBlocked(null);
    isBlocked(userId, abort.signal)
      .then(setBlocked)
      .catch((e) => !isAbort(e) && setBlocked(false));
    return () => abort.abort();
  }, [me, userId]);

  if (me === null || me === userId || blocked === null) return null;
  const toggle = async () => {
    const next = !blocked;
    if (!window.confirm(t(next ? "confirmBlock" : "confirmUnblock", { name }))) return;
    setBusy(true);
    try {
      const result = await block(userId, next);
      setBlocked(result.is_blocked);
      onChange(result.is_blocked);
      toast(t(result.is_blocked ? "blockedDone" : "unblockedDone", { name }));
    } catch (error) {
      toast(errorText(error, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="button secondary"
      onClick={toggle}
      disabled={busy}
      aria-pressed={blocked}
      data-testid="block-button"
    >
      {blocked ? t("unblock") : t("block")}
    </button>
  );
}

// Follow / unfollow someone; the button says what pressing it does next.
import { useState } from "react";
import { follow } from "../api/endpoints";
import { loginPath, navigate } from "../app/router";
import { useSessionUserId } from "../app/auth";
import { errorText } from "../app/errors";
import { useT } from "../i18n/i18n";
import { useToast } from "./Toast";

interface Props {
  userId: number;
  name: string;
  isFollow: boolean;
  onChange: (isFollow: boolean) => void;
  compact?: boolean;
}

export function FollowButton({ userId, name, isFollow, onChange, compact }: Props) {
  const t = useT();
  const toast = useToast();
  const me = useSessionUserId();
  const [busy, setBusy] = useState(false);
  if (me === userId) return null;
  const toggle = async () => {
    if (me === null) {
      navigate(loginPath());
      return;
    }
    setBusy(true);
    try {
      const result = await follow(userId, !isFollow);
      onChange(result.is_follow);
    } catch (error) {
      toast(errorText(error, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className={`button ${isFollow ? "secondary" : "primary"} ${compact ? "small" : ""}`}
      onClick={toggle}
      disabled={busy}
      aria-pressed={isFollow}
      aria-label={isFollow ? `${t("unfollow")} ${name}` : `${t("follow")} ${name}`}
      data-testid="follow-button"
    >
      {isFollow ? t("following") : t("follow")}
    </button>
  );
}

// Report a video, a comment or a user (举报): a reason from the fixed list and optional
// details (POST /api/report/create). Reporting again answers the earlier report.
import { useState } from "react";
import type { FormEvent } from "react";
import { createReport } from "../api/endpoints";
import { REPORT_REASONS } from "../api/types";
import type { ReportReason, ReportTargetType } from "../api/types";
import { errorText } from "../app/errors";
import { charCount } from "../app/format";
import type { StringKey } from "../i18n/strings";
import { useT } from "../i18n/i18n";
import { Dialog } from "./Dialog";
import { useToast } from "./Toast";

const MAX_TEXT = 500;

export const reasonKey = (reason: ReportReason): StringKey =>
  `reason${reason[0].toUpperCase()}${reason.slice(1)}` as StringKey;

const titleKey: Record<ReportTargetType, StringKey> = {
  video: "reportVideo",
  comment: "reportComment",
  user: "reportUser",
};

interface Props {
  targetType: ReportTargetType;
  targetId: number;
  onClose: () => void;
}

export function ReportDialog({ targetType, targetId, onClose }: Props) {
  const t = useT();
  const toast = useToast();
  const [reason, setReason] = useState<ReportReason>("spam");
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const tooLong = charCount(text) > MAX_TEXT;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (tooLong || sending) return;
    setSending(true);
    try {
      const reply = await createReport(targetType, targetId, reason, text.trim());
      toast(reply.changed ? t("reportSent") : t("reportAlready"));
      onClose();
    } catch (error) {
      toast(errorText(error, t));
    } finally {
      setSending(false);
    }
  };

  return (
    <Dialog title={t(titleKey[targetType])} onClose={onClose} closeLabel={t("close")}>
      <form className="edit-form report-form" onSubmit={submit} data-testid="report-form">
        <fieldset>
          <legend>{t("reportReasonLabel")}</legend>
          {REPORT_REASONS.map((r) => (
            <label key={r} className="report-reason">
              <input
                type="radio"
                name="reason"
                value={r}
                checked={reason === r}
                onChange={() => setReason(r)}
              />
              {t(reasonKey(r))}
            </label>
          ))}
        </fieldset>
        <label>
          {t("reportTextLabel")}
          <textarea
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={3}
            aria-invalid={tooLong}
            data-testid="report-text"
          />
        </label>
        {tooLong && <p className="field-error">{t("reportTextTooLong", { max: MAX_TEXT })}</p>}
        <button type="submit" className="button primary" disabled={sending || tooLong}>
          {t("reportSend")}
        </button>
      </form>
    </Dialog>
  );
}

// issue 16: the moderation page — pending videos (play, approve, reject with a reason), open
// reports (dismiss or remove) and the action log. For moderators only; others are told so.
import { useCallback, useEffect, useState } from "react";
import {
  moderationActions,
  openReports,
  pendingVideos,
  resolveReport,
  reviewVideo,
} from "../api/endpoints";
import type { ModerationAction, Report, Video } from "../api/types";
import { errorText } from "../app/errors";
import { useIsModerator } from "../app/moderator";
import { Link } from "../app/router";
import { Empty, ErrorBox, Loading } from "../components/States";
import { reasonKey } from "../components/ReportDialog";
import { useToast } from "../components/Toast";
import { useT } from "../i18n/i18n";

type Tab = "pending" | "reports" | "actions";

function targetLink(type: string, id: number): string {
  if (type === "video") return `/v/${id}`;
  if (type === "user") return `/u/${id}`;
  return "";
}

function PendingVideo({ video, onDone }: { video: Video; onDone: () => void }) {
  const t = useT();
  const toast = useToast();
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState("");
  const [busy, setBusy] = useState(false);
  const decide = async (action: "approve" | "reject") => {
    if (action === "reject" && !reason.trim()) {
      setProblem(t("modRejectReasonRequired"));
      return;
    }
    setBusy(true);
    try {
      await reviewVideo(video.id, action, action === "reject" ? reason.trim() : "");
      toast(action === "approve" ? t("modApproved") : t("modRejected"));
      onDone();
    } catch (error) {
      toast(errorText(error, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="mod-item" data-testid="pending-video" data-video-id={video.id}>
      <video src={video.play_url} poster={video.cover_url} controls preload="none" width={180} />
      <div className="mod-body">
        <strong>{video.title}</strong>
        <span>
          <Link to={`/u/${video.author.id}`}>@{video.author.name}</Link>
        </span>
        <input
          type="text"
          value={reason}
          maxLength={500}
          placeholder={t("modRejectReason")}
          aria-label={t("modRejectReason")}
          onChange={(e) => {
            setReason(e.target.value);
            setProblem("");
          }}
          data-testid="reject-reason"
        />
        {problem && <p className="field-error">{problem}</p>}
        <div className="dialog-actions">
          <button
            type="button"
            className="button primary"
            disabled={busy}
            onClick={() => decide("approve")}
            data-testid="approve-video"
          >
            {t("modApprove")}
          </button>
          <button
            type="button"
            className="button secondary"
            disabled={busy}
            onClick={() => decide("reject")}
            data-testid="reject-video"
          >
            {t("modReject")}
          </button>
        </div>
      </div>
    </li>
  );
}

function OpenReport({ report, onDone }: { report: Report; onDone: () => void }) {
  const t = useT();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const resolve = async (action: "dismiss" | "remove") => {
    setBusy(true);
    try {
      await resolveReport(report.id, action);
      toast(action === "dismiss" ? t("modDismissed") : t("modRemoved"));
      onDone();
    } catch (error) {
      toast(errorText(error, t));
    } finally {
      setBusy(false);
    }
  };
  const link = targetLink(report.target_type, report.target_id);
  const label = t("modTarget", { type: report.target_type, id: report.target_id });
  return (
    <li className="mod-item" data-testid="open-report">
      <div className="mod-body">
        <strong>{link ? <Link to={link}>{label}</Link> : label}</strong>
        {report.target_summary && <q>{report.target_summary}</q>}
        <span>
          {t("modReportedBy", { id: report.reporter_id, reason: t(reasonKey(report.reason)) })}
        </span>
        {report.text && <span>{report.text}</span>}
        <div className="dialog-actions">
          <button
            type="button"
            className="button secondary"
            disabled={busy}
            onClick={() => resolve("dismiss")}
          >
            {t("modDismiss")}
          </button>
          <button
            type="button"
            className="button primary"
            disabled={busy}
            onClick={() => resolve("remove")}
          >
            {t("modRemove")}
          </button>
        </div>
      </div>
    </li>
  );
}

export function AdminPage() {
  const t = useT();
  const moderator = useIsModerator();
  const [tab, setTab] = useState<Tab>("pending");
  const [videos, setVideos] = useState<Video[] | null>(null);
  const [reports, setReports] = useState<Report[] | null>(null);
  const [actions, setActions] = useState<ModerationAction[] | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Tab, unknown>>>({});
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  // Each list on its own: one that fails (its service down) leaves the others usable.
  useEffect(() => {
    if (!moderator) return;
    const abort = new AbortController();
    setErrors({});
    const page = { limit: 50, signal: abort.signal };
    const failed = (tab: Tab) => (e: unknown) => {
      if (!abort.signal.aborted) setErrors((old) => ({ ...old, [tab]: e }));
    };
    pendingVideos(page)
      .then((r) => setVideos(r.videos))
      .catch(failed("pending"));
    openReports(page)
      .then((r) => setReports(r.reports))
      .catch(failed("reports"));
    moderationActions(page)
      .then((r) => setActions(r.actions))
      .catch(failed("actions"));
    return () => abort.abort();
  }, [moderator, generation]);

  if (moderator === null) return <Loading />;
  if (!moderator) return <Empty>{t("modNotModerator")}</Empty>;
  const tabs: [Tab, string][] = [
    ["pending", t("modTabPending")],
    ["reports", t("modTabReports")],
    ["actions", t("modTabActions")],
  ];
  return (
    <div className="page admin-page" data-testid="admin-page">
      <h1>{t("modTitle")}</h1>
      <div className="tabs" role="tablist">
        {tabs.map(([name, label]) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            onClick={() => setTab(name)}
            data-testid={`admin-tab-${name}`}
          >
            {label}
          </button>
        ))}
      </div>
      {errors[tab] != null && <ErrorBox error={errors[tab]} onRetry={reload} />}
      <div role="tabpanel">
        {tab === "pending" &&
          errors.pending == null &&
          (videos === null ? (
            <Loading />
          ) : videos.length === 0 ? (
            <Empty>{t("modPendingEmpty")}</Empty>
          ) : (
            <ul className="mod-list">
              {videos.map((v) => (
                <PendingVideo key={v.id} video={v} onDone={reload} />
              ))}
            </ul>
          ))}
        {tab === "reports" &&
          errors.reports == null &&
          (reports === null ? (
            <Loading />
          ) : reports.length === 0 ? (
            <Empty>{t("modReportsEmpty")}</Empty>
          ) : (
            <ul className="mod-list">
              {reports.map((r) => (
                <OpenReport key={r.id} report={r} onDone={reload} />
              ))}
            </ul>
          ))}
        {tab === "actions" &&
          errors.actions == null &&
          (actions === null ? (
            <Loading />
          ) : actions.length === 0 ? (
            <Empty>{t("modActionsEmpty")}</Empty>
          ) : (
            <ul className="mod-list" data-testid="action-log">
              {actions.map((a) => (
                <li key={a.id} className="mod-item">
                  <span>
                    {t("modActionLine", {
                      moderator: a.moderator_id,
                      action: a.action,
                      type: a.target_type,
                      id: a.target_id,
                    })}
                  </span>
                  {a.reason && <q>{a.reason}</q>}
                  <time dateTime={new Date(a.at).toISOString()}>
                    {new Date(a.at).toLocaleString()}
                  </time>
                </li>
              ))}
            </ul>
          ))}
      </div>
    </div>
  );
}

// The comments on one video, newest first, page by page; post one, delete your own (or any
// on your own video).
import { useState } from "react";
import type { FormEvent } from "react";
import { deleteComment, listComments, postComment } from "../api/endpoints";
import type { Comment, Video } from "../api/types";
import { useSessionUserId } from "../app/auth";
import { errorText } from "../app/errors";
import { charCount, formatAgo } from "../app/format";
import { Link, loginPath } from "../app/router";
import { usePaged } from "../hooks/usePaged";
import { useSentinel } from "../hooks/useSentinel";
import { useT } from "../i18n/i18n";
import { Avatar } from "./Avatar";
import { Dialog } from "./Dialog";
import { Icon } from "./Icon";
import { ReportDialog } from "./ReportDialog";
import { Empty, ErrorBox } from "./States";

const MAX_COMMENT = 500;
const PAGE = 20;

interface Props {
  video: Video;
  onClose: () => void;
  onCountChange: (delta: number) => void;
}

export function CommentsDrawer({ video, onClose, onCountChange }: Props) {
  const t = useT();
  const me = useSessionUserId();
  const list = usePaged<Comment>(`${video.id}:${me ?? 0}`, async (cursor, signal) => {
    const page = await listComments(video.id, { cursor, limit: PAGE, signal });
    return { ...page, items: page.comments };
  });
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const [formError, setFormError] = useState("");
  const [reporting, setReporting] = useState<number | null>(null); // issue 16: a comment id
  const sentinel = useSentinel<HTMLLIElement>(list.loadMore, list.hasMore && !list.loading);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const content = text.trim();
    if (!content) return setFormError(t("commentEmpty"));
    if (charCount(content) > MAX_COMMENT)
      return setFormError(t("commentTooLong", { max: MAX_COMMENT }));
    setSending(true);
    setFormError("");
    try {
      const { comment } = await postComment(video.id, content);
      list.setItems((items) => [comment, ...items.filter((c) => c.id !== comment.id)]);
      onCountChange(1);
      setText("");
    } catch (error) {
      setFormError(errorText(error, t));
    } finally {
      setSending(false);
    }
  };

  const remove = async (comment: Comment) => {
    try {
      await deleteComment(comment.id);
      list.setItems((items) => items.filter((c) => c.id !== comment.id));
      onCountChange(-1);
      // The focused delete button is gone with its row: keep the keyboard in the drawer.
      document.getElementById("comment-input")?.focus();
    } catch (error) {
      setFormError(errorText(error, t));
    }
  };

  const tooLong = charCount(text) > MAX_COMMENT;
  return (
    <Dialog
      title={t("commentsTitle", { count: video.comment_count })}
      onClose={onClose}
      className="drawer"
      closeLabel={t("close")}
    >
      <ul className="comment-list" data-testid="comment-list">
        {list.items.map((comment) => (
          <li key={comment.id} className="comment" data-testid="comment">
            <Link to={`/u/${comment.user.id}`} aria-label={comment.user.name}>
              <Avatar user={comment.user} size={36} />
            </Link>
            <div className="comment-body">
              <span className="muted">{comment.user.name}</span>
              <p className="comment-text">{comment.content}</p>
              <span className="muted small">{formatAgo(comment.created_at, t)}</span>
            </div>
            {me !== null && (me === comment.user.id || me === video.author.id) && (
              <button
                type="button"
                className="icon-button small"
                onClick={() => remove(comment)}
                aria-label={t("deleteComment")}
                data-testid="delete-comment"
              >
                <Icon name="trash" size={18} />
              </button>
            )}
            {me !== null && me !== comment.user.id && (
              <button
                type="button"
                className="icon-button small"
                onClick={() => setReporting(comment.id)}
                aria-label={t("reportComment")}
                data-testid="report-comment"
              >
                <Icon name="flag" size={16} />
              </button>
            )}
          </li>
        ))}
        {!list.loading && !list.error && list.items.length === 0 && (
          <li>
            <Empty>{t("commentsEmpty")}</Empty>
          </li>
        )}
        {list.error != null && (
          <li>
            <ErrorBox error={list.error} onRetry={list.reload} />
          </li>
        )}
        {list.hasMore && !list.error && (
          <li ref={sentinel}>
            <button
              type="button"
              className="button secondary wide"
              onClick={list.loadMore}
              disabled={list.loading}
            >
              {list.loading ? t("loading") : t("loadMore")}
            </button>
          </li>
        )}
      </ul>
      {me === null ? (
        <p className="comment-login">
          <Link to={loginPath()} className="button primary wide">
            {t("loginToComment")}
          </Link>
        </p>
      ) : (
        <form className="comment-form" onSubmit={submit} noValidate>
          <label htmlFor="comment-input" className="sr-only">
            {t("commentLabel")}
          </label>
          <input
            id="comment-input"
            data-autofocus
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setFormError("");
            }}
            placeholder={t("commentPlaceholder")}
            aria-invalid={tooLong || formError !== ""}
            aria-describedby="comment-error"
            autoComplete="off"
          />
          <button type="submit" className="button primary" disabled={sending || !text.trim()}>
            {t("send")}
          </button>
          <p id="comment-error" className="field-error" role="alert">
            {tooLong ? t("commentTooLong", { max: MAX_COMMENT }) : formError}
          </p>
        </form>
      )}
      {reporting !== null && (
        <ReportDialog
          targetType="comment"
          targetId={reporting}
          onClose={() => setReporting(null)}
        />
      )}
    </Dialog>
  );
}

// The comments on one video, newest first, page by page; post one, delete your own (or any
// on your own video). Issue 16: each top-level comment shows its reply count and first
// replies; "view N replies" pages the rest; "reply" answers a comment or a reply (a reply to
// a reply shows "A ▸ B").
import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { deleteComment, listComments, listReplies, postComment } from "../api/endpoints";
import type { Comment, Video } from "../api/types";
import { useSessionUserId } from "../app/auth";
import { errorText } from "../app/errors";
import { charCount } from "../app/format";
import { Link, loginPath } from "../app/router";
import { usePaged } from "../hooks/usePaged";
import { useSentinel } from "../hooks/useSentinel";
import { useT } from "../i18n/i18n";
import { CommentRow } from "./CommentRow";
import { Dialog } from "./Dialog";
import { ReportDialog } from "./ReportDialog";
import { Empty, ErrorBox } from "./States";

const MAX_COMMENT = 500;
const PAGE = 20;
const REPLY_PAGE = 10;

interface Props {
  video: Video;
  onClose: () => void;
  onCountChange: (delta: number) => void;
}

// Where a thread's next page of replies starts, and whether there is one.
interface ThreadPaging {
  cursor?: string;
  done: boolean;
  loading: boolean;
}

// `replies` after `more`, each id once, oldest (lowest id) first.
function mergeReplies(replies: Comment[], more: Comment[]): Comment[] {
  const seen = new Set(replies.map((r) => r.id));
  return [...replies, ...more.filter((r) => !seen.has(r.id))].sort((a, b) => a.id - b.id);
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
  const [replyTo, setReplyTo] = useState<Comment | null>(null);
  const [paging, setPaging] = useState<Record<number, ThreadPaging>>({});
  const input = useRef<HTMLInputElement>(null);
  const [reporting, setReporting] = useState<number | null>(null); // issue 16: a comment id
  const sentinel = useSentinel<HTMLLIElement>(list.loadMore, list.hasMore && !list.loading);

  // Changes one thread (a top-level comment) in the list.
  const updateThread = (id: number, change: (thread: Comment) => Comment) =>
    list.setItems((items) => items.map((c) => (c.id === id ? change(c) : c)));

  const loadReplies = async (thread: Comment) => {
    const state = paging[thread.id] ?? { done: false, loading: false };
    if (state.loading || state.done) return;
    setPaging((p) => ({ ...p, [thread.id]: { ...state, loading: true } }));
    try {
      const page = await listReplies(thread.id, { cursor: state.cursor, limit: REPLY_PAGE });
      updateThread(thread.id, (c) => ({
        ...c,
        first_replies: mergeReplies(c.first_replies ?? [], page.replies),
      }));
      setPaging((p) => ({
        ...p,
        [thread.id]: { cursor: page.next_cursor, done: !page.has_more, loading: false },
      }));
    } catch (error) {
      setFormError(errorText(error, t));
      setPaging((p) => ({ ...p, [thread.id]: { ...state, loading: false } }));
    }
  };

  const startReply = (comment: Comment) => {
    setReplyTo(comment);
    setFormError("");
    input.current?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const content = text.trim();
    if (!content) return setFormError(t("commentEmpty"));
    if (charCount(content) > MAX_COMMENT)
      return setFormError(t("commentTooLong", { max: MAX_COMMENT }));
    setSending(true);
    setFormError("");
    try {
      const { comment } = await postComment(video.id, content, replyTo?.id);
      if (comment.parent_id) {
        updateThread(comment.parent_id, (c) => ({
          ...c,
          reply_count: (c.reply_count ?? 0) + 1,
          first_replies: mergeReplies(c.first_replies ?? [], [comment]),
        }));
      } else {
        list.setItems((items) => [comment, ...items.filter((c) => c.id !== comment.id)]);
      }
      onCountChange(1);
      setText("");
      setReplyTo(null);
    } catch (error) {
      setFormError(errorText(error, t));
    } finally {
      setSending(false);
    }
  };

  const remove = async (comment: Comment) => {
    try {
      await deleteComment(comment.id);
      if (comment.parent_id) {
        updateThread(comment.parent_id, (c) => ({
          ...c,
          reply_count: Math.max(0, (c.reply_count ?? 0) - 1),
          first_replies: (c.first_replies ?? []).filter((r) => r.id !== comment.id),
        }));
        onCountChange(-1);
      } else {
        // A thread goes with its replies, which the count included.
        list.setItems((items) => items.filter((c) => c.id !== comment.id));
        onCountChange(-1 - (comment.reply_count ?? 0));
      }
      if (replyTo && (replyTo.id === comment.id || replyTo.parent_id === comment.id)) {
        setReplyTo(null);
      }
      // The focused delete button is gone with its row: keep the keyboard in the drawer.
      input.current?.focus();
    } catch (error) {
      setFormError(errorText(error, t));
    }
  };

  const canDelete = (c: Comment) => me !== null && (me === c.user.id || me === video.author.id);
  // issue 16: anyone signed in may report another's comment.
  const canReport = (c: Comment) => me !== null && me !== c.user.id;
  const report = (c: Comment) => setReporting(c.id);
  const tooLong = charCount(text) > MAX_COMMENT;
  return (
    <Dialog
      title={t("commentsTitle", { count: video.comment_count })}
      onClose={onClose}
      className="drawer"
      closeLabel={t("close")}
    >
      <ul className="comment-list" data-testid="comment-list">
        {list.items.map((thread) => {
          const replies = thread.first_replies ?? [];
          const state = paging[thread.id];
          const hidden = Math.max(0, (thread.reply_count ?? 0) - replies.length);
          return (
            <li key={thread.id} className="comment-thread" data-testid="comment">
              <CommentRow
                comment={thread}
                onReply={me !== null ? startReply : undefined}
                onDelete={canDelete(thread) ? remove : undefined}
                onReport={canReport(thread) ? report : undefined}
                deleteTestId="delete-comment"
              />
              {replies.length > 0 && (
                <ul className="reply-list">
                  {replies.map((reply) => (
                    <li key={reply.id} data-testid="reply">
                      <CommentRow
                        comment={reply}
                        small
                        onReply={me !== null ? startReply : undefined}
                        onDelete={canDelete(reply) ? remove : undefined}
                        onReport={canReport(reply) ? report : undefined}
                        deleteTestId="delete-reply"
                      />
                    </li>
                  ))}
                </ul>
              )}
              {hidden > 0 && !state?.done && (
                <button
                  type="button"
                  className="link-button small view-replies"
                  onClick={() => loadReplies(thread)}
                  disabled={state?.loading}
                  data-testid="view-replies"
                >
                  {state?.loading
                    ? t("loading")
                    : replies.length === 0
                      ? t("viewReplies", { count: hidden })
                      : t("viewMoreReplies", { count: hidden })}
                </button>
              )}
            </li>
          );
        })}
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
          {replyTo && (
            <p className="reply-target" data-testid="reply-target">
              <span className="muted small">{t("replyTo", { name: replyTo.user.name })}</span>
              <button
                type="button"
                className="icon-button small"
                onClick={() => setReplyTo(null)}
                aria-label={t("cancelReply")}
                data-testid="cancel-reply"
              >
                <span aria-hidden="true">×</span>
              </button>
            </p>
          )}
          <label htmlFor="comment-input" className="sr-only">
            {replyTo ? t("replyTo", { name: replyTo.user.name }) : t("commentLabel")}
          </label>
          <input
            id="comment-input"
            ref={input}
            data-autofocus
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setFormError("");
            }}
            onKeyDown={(e) => {
              if (e.key === "Escape" && replyTo) {
                e.stopPropagation();
                setReplyTo(null);
              }
            }}
            placeholder={
              replyTo ? t("replyPlaceholder", { name: replyTo.user.name }) : t("commentPlaceholder")
            }
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

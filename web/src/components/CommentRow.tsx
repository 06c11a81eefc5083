// One comment or reply of the comments drawer: the author, the text ("A ▸ B" on a reply to
// a reply), its age, and the reply, delete and report actions the viewer has.
import type { Comment } from "../api/types";
import { formatAgo } from "../app/format";
import { Link } from "../app/router";
import { useT } from "../i18n/i18n";
import { Avatar } from "./Avatar";
import { Icon } from "./Icon";

interface Props {
  comment: Comment;
  small?: boolean;
  onReply?: (comment: Comment) => void;
  onDelete?: (comment: Comment) => void;
  onReport?: (comment: Comment) => void;
  deleteTestId: string;
}

export function CommentRow({ comment, small, onReply, onDelete, onReport, deleteTestId }: Props) {
  const t = useT();
  // A reply to the thread's own comment needs no arrow; a reply to a reply names whom.
  const answersReply =
    comment.reply_to_user &&
    comment.reply_to_comment_id !== undefined &&
    comment.reply_to_comment_id !== comment.parent_id;
  return (
    <div className={small ? "comment reply" : "comment"}>
      <Link to={`/u/${comment.user.id}`} aria-label={comment.user.name}>
        <Avatar user={comment.user} size={small ? 28 : 36} />
      </Link>
      <div className="comment-body">
        <span className="muted">
          {comment.user.name}
          {answersReply && comment.reply_to_user && (
            <span data-testid="reply-to">
              {" "}
              <span aria-label={t("repliesTo")}>▸</span> {comment.reply_to_user.name}
            </span>
          )}
        </span>
        <p className="comment-text">{comment.content}</p>
        {comment.hidden && (
          <span className="muted small comment-hidden" data-testid="comment-hidden">
            {t("commentHidden")}{" "}
          </span>
        )}
        <span className="muted small">{formatAgo(comment.created_at, t)}</span>
        {onReply && (
          <button
            type="button"
            className="link-button small reply-button"
            onClick={() => onReply(comment)}
            data-testid="reply-button"
          >
            {t("replyAction")}
          </button>
        )}
      </div>
      {onDelete && (
        <button
          type="button"
          className="icon-button small"
          onClick={() => onDelete(comment)}
          aria-label={t("deleteComment")}
          data-testid={deleteTestId}
        >
          <Icon name="trash" size={18} />
        </button>
      )}
      {onReport && (
        <button
          type="button"
          className="icon-button small"
          onClick={() => onReport(comment)}
          aria-label={t("reportComment")}
          data-testid="report-comment"
        >
          <Icon name="flag" size={16} />
        </button>
      )}
    </div>
  );
}

// One conversation. New messages come by polling GET /api/message/chat with `after` set to
// the newest time a poll has returned; sending adds the message at once. `after` only moves
// with poll answers, never with our own sends: a friend's message written just before ours
// has an earlier time and would otherwise be skipped.
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import type { FormEvent } from "react";
import { chat, getUser, sendMessage } from "../api/endpoints";
import type { Message, User } from "../api/types";
import { mergeMessages } from "../app/chatLog";
import { useSessionUserId } from "../app/auth";
import { errorText, isAbort } from "../app/errors";
import { charCount, formatClock } from "../app/format";
import { Link } from "../app/router";
import { Avatar } from "../components/Avatar";
import { ErrorBox } from "../components/States";
import { useT } from "../i18n/i18n";

const POLL_MS = 1500;
const MAX_MESSAGE = 1000;

export function ChatPage({ id }: { id: number }) {
  const t = useT();
  const me = useSessionUserId();
  const [friend, setFriend] = useState<User | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [text, setText] = useState("");
  const [sendError, setSendError] = useState("");
  const [sending, setSending] = useState(false);
  const log = useRef<HTMLOListElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    getUser(id).then((r) => setFriend(r.user), setError);
  }, [id]);

  useEffect(() => {
    setMessages([]);
    let after = 0;
    let timer = 0;
    let stopped = false;
    const abort = new AbortController();
    const poll = async () => {
      try {
        // A full page means more may be waiting: ask again at once.
        for (let round = 0; round < 20 && !stopped; round++) {
          const page = await chat(id, after, abort.signal);
          after = Math.max(after, page.next_after);
          setMessages((old) => mergeMessages(old, page.messages));
          setError(null);
          if (page.messages.length < 100) break;
        }
      } catch (e) {
        if (!isAbort(e)) setError(e);
      }
      if (!stopped) timer = window.setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      abort.abort();
      window.clearTimeout(timer);
    };
  }, [id]);

  // Keep the newest message in view unless the reader has scrolled up.
  useLayoutEffect(() => {
    const el = log.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages]);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    const content = text.trim();
    if (!content || charCount(content) > MAX_MESSAGE) return;
    setSending(true);
    setSendError("");
    try {
      const { message } = await sendMessage(id, content);
      stick.current = true;
      setMessages((old) => mergeMessages(old, [message]));
      setText("");
    } catch (e) {
      setSendError(t("sendFailed", { message: errorText(e, t) }));
    } finally {
      setSending(false);
    }
  };

  const tooLong = charCount(text) > MAX_MESSAGE;
  return (
    <div className="page chat-page">
      <header className="chat-head">
        <Link to="/chat" className="button secondary small">
          ← {t("back")}
        </Link>
        {friend && (
          <Link to={`/u/${friend.id}`} className="chat-friend">
            <Avatar user={friend} size={36} />
            <h1>{friend.name}</h1>
          </Link>
        )}
      </header>
      {error != null && <ErrorBox error={error} />}
      <ol
        ref={log}
        className="chat-log"
        aria-live="polite"
        aria-label={friend ? t("chatWith", { name: friend.name }) : undefined}
        data-testid="chat-log"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {messages.length === 0 && <li className="muted center">{t("noMessagesYet")}</li>}
        {messages.map((m) => (
          <li
            key={m.id}
            className={`bubble ${m.from_user_id === me ? "mine" : "theirs"}`}
            data-testid="chat-message"
            data-message-id={m.id}
          >
            <span className="bubble-text">{m.content}</span>
            <time className="bubble-time" dateTime={new Date(m.created_at).toISOString()}>
              {formatClock(m.created_at)}
            </time>
          </li>
        ))}
      </ol>
      <form className="chat-form" onSubmit={send} noValidate>
        <label htmlFor="chat-input" className="sr-only">
          {t("messageLabel")}
        </label>
        <input
          id="chat-input"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setSendError("");
          }}
          placeholder={t("messagePlaceholder")}
          autoComplete="off"
          aria-invalid={tooLong ? true : undefined}
          aria-describedby="chat-error"
        />
        <button
          type="submit"
          className="button primary"
          disabled={sending || !text.trim() || tooLong}
        >
          {t("send")}
        </button>
        <p id="chat-error" className="field-error" role="alert">
          {tooLong ? t("messageTooLong", { max: MAX_MESSAGE }) : sendError}
        </p>
      </form>
    </div>
  );
}

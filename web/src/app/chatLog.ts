// The messages of one conversation, merged from polls and from our own sends. Keyed by id,
// so a message that arrives both ways (our send, then the poll that covers it) shows once.
import type { Message } from "../api/types";

export function mergeMessages(current: Message[], incoming: Message[]): Message[] {
  if (incoming.length === 0) return current;
  const byId = new Map<number, Message>();
  for (const m of current) byId.set(m.id, m);
  let added = false;
  for (const m of incoming) {
    if (!byId.has(m.id)) added = true;
    byId.set(m.id, m);
  }
  if (!added) return current;
  return [...byId.values()].sort((a, b) => a.created_at - b.created_at || a.id - b.id);
}

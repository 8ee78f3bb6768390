import type { Queryable } from '../../../platform/db/pool.ts';
import { type AnsweredBy, readMessages } from '../../llm/index.ts';
import type { SnapshotRow } from '../store.ts';

/** A snapshot with the words of its turn: the message and reply read from the Blueprint's conversation. */
export type ChatSnapshot = SnapshotRow & { answeredBy: AnsweredBy | null };

/**
 * Fills in what was said and answered in each snapshot's turn, and who answered, from the
 * Blueprint's conversation (one read for them all). A message deleted with its conversation
 * leaves the snapshot without words; a snapshot's own note (an edit's source) stays.
 */
export async function withChatText(
  db: Queryable,
  conversationId: string | null,
  snapshots: ReadonlyArray<SnapshotRow>,
): Promise<ChatSnapshot[]> {
  const ids = snapshots.flatMap((s) => [s.message_id, s.reply_id]).filter((id) => id !== null);
  const messages = conversationId && ids.length ? await readMessages(db, conversationId, ids) : new Map();
  return snapshots.map((s) => {
    const said = s.message_id !== null ? messages.get(s.message_id) : undefined;
    const reply = s.reply_id !== null ? messages.get(s.reply_id) : undefined;
    return {
      ...s,
      message: said ? said.content : s.message,
      reply: reply ? reply.content : s.reply,
      answeredBy: reply?.answeredBy ?? null,
    };
  });
}

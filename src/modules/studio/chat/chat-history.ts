import type { Queryable } from '../../../platform/db/pool.ts';
import { readMessages } from '../../llm/index.ts';
import { recentChatTurnIds } from '../store.ts';

/** The last `limit` chat turns of a Blueprint (what was said, what was answered), oldest first: the Architect's memory. */
export async function recentChatTurns(
  db: Queryable,
  blueprint: { id: string; conversation_id: string | null },
  limit: number,
): Promise<Array<{ message: string; reply: string }>> {
  if (!blueprint.conversation_id) return [];
  const turns = await recentChatTurnIds(db, blueprint.id, limit);
  const messages = await readMessages(
    db,
    blueprint.conversation_id,
    turns.flatMap((t) => [t.message_id, t.reply_id]),
  );
  return turns.flatMap((t) => {
    const message = messages.get(t.message_id)?.content;
    const reply = messages.get(t.reply_id)?.content;
    return message !== undefined && reply !== undefined ? [{ message, reply }] : [];
  });
}

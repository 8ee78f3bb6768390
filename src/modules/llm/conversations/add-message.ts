import type { RequestContext } from '../../../platform/context.ts';
import type { Db } from '../../../platform/db/pool.ts';
import { isSystemActor } from '../../../platform/http/actor.ts';
import { requireConversation } from './access.ts';
import { answeredByOf } from './answered-by.ts';
import type { AddMessageBody, MessageView } from './schemas.ts';
import { insertMessage } from './store.ts';
import { toMessageView } from './views.ts';

/**
 * Appends a message. Not audited one by one: messages are the conversation's content (like a
 * commit's files), and the audit log records who created, renamed and deleted conversations.
 */
export async function addMessage(
  db: Db,
  ctx: RequestContext,
  conversationId: string,
  input: AddMessageBody,
): Promise<MessageView> {
  const { conversation } = await requireConversation(db, ctx.actor, conversationId, 'write');
  const row = await insertMessage(db, {
    conversationId,
    role: input.role,
    content: input.content,
    data: input.data,
    llmCallId: input.llmCallId ?? null,
    createdBy: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
  });
  return toMessageView(row, (await answeredByOf(db, conversation, [row])).get(row.id) ?? null);
}

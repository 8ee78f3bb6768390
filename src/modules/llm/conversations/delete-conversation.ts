import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireConversation } from './access.ts';
import { deleteConversationRow } from './store.ts';

/** Deletes a conversation and its messages; its LLM call records stay (they are spend history). */
export async function deleteConversation(db: Db, ctx: RequestContext, id: string) {
  const { conversation } = await requireConversation(db, ctx.actor, id, 'write');
  await withTransaction(db, async (tx) => {
    await deleteConversationRow(tx, id);
    await recordAudit(tx, ctx, {
      action: 'conversation.delete',
      target: { type: 'conversation', id },
      projectId: conversation.project_id,
      data: { title: conversation.title },
    });
  });
}

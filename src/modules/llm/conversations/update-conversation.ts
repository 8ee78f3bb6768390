import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireConversation } from './access.ts';
import { findConversation, setConversationTitle } from './store.ts';

export async function renameConversation(db: Db, ctx: RequestContext, id: string, title: string) {
  const { conversation } = await requireConversation(db, ctx.actor, id, 'write');
  return withTransaction(db, async (tx) => {
    await setConversationTitle(tx, id, title);
    await recordAudit(tx, ctx, {
      action: 'conversation.rename',
      target: { type: 'conversation', id },
      projectId: conversation.project_id,
      data: { title },
    });
    return (await findConversation(tx, id))!;
  });
}

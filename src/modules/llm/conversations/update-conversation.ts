import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireConversation } from './access.ts';
import type { ConversationView } from './schemas.ts';
import { findConversation, setConversationTitle } from './store.ts';
import { toConversationView } from './views.ts';

export async function renameConversation(
  db: Db,
  ctx: RequestContext,
  id: string,
  title: string,
): Promise<ConversationView> {
  const { conversation, project } = await requireConversation(db, ctx.actor, id, 'write');
  return withTransaction(db, async (tx) => {
    await setConversationTitle(tx, id, title);
    await recordAudit(tx, ctx, {
      action: 'conversation.rename',
      target: { type: 'conversation', id },
      projectId: conversation.project_id,
      data: { title },
    });
    return toConversationView((await findConversation(tx, id))!, project);
  });
}

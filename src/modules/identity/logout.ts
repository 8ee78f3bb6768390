import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { notifyAccessChange } from '../../platform/events/index.ts';
import { recordAudit } from './record-audit.ts';
import { deleteSession } from './store.ts';

export async function logout(db: Db, ctx: RequestContext) {
  await withTransaction(db, async (tx) => {
    if (ctx.actor.sessionId) {
      await deleteSession(tx, ctx.actor.sessionId);
      await notifyAccessChange(tx, { userId: ctx.actor.userId, sessionId: ctx.actor.sessionId });
    }
    await recordAudit(tx, ctx, { action: 'session.delete', target: { type: 'user', id: ctx.actor.userId } });
  });
}

import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { notifyAccessChange } from '../../platform/events/index.ts';
import type { ActorCache } from './actor-cache.ts';
import { recordAudit } from './audit/record-audit.ts';
import { deleteSession } from './store.ts';

export async function logout(db: Db, ctx: RequestContext, cache?: ActorCache) {
  const { sessionId, userId } = ctx.actor;
  await withTransaction(db, async (tx) => {
    if (sessionId) {
      await deleteSession(tx, sessionId);
      await notifyAccessChange(tx, { userId, sessionId });
    }
    await recordAudit(tx, ctx, { action: 'session.delete', target: { type: 'user', id: userId } });
  });
  if (sessionId) cache?.drop({ userId, sessionId });
}

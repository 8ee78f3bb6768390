import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { ForbiddenError } from '../../platform/errors.ts';
import { notifyAccessChange } from '../../platform/events/index.ts';
import { requireUndelegated } from '../../platform/http/delegated-actor.ts';
import type { ActorCache } from './actor-cache.ts';
import { recordAudit } from './audit/record-audit.ts';
import { deleteAllSessions } from './store.ts';

/**
 * Signs everyone out (instance admins; the CLI as the system): every session ends, API tokens
 * stay. `exceptCurrent` keeps the caller's own session. One notice on commit makes every process
 * drop cached sessions and re-check event streams opened with one, so the next request with an
 * old cookie gets 401 on any server; `cache` (this process's) is dropped at once.
 */
export async function revokeAllSessions(
  db: Db,
  ctx: RequestContext,
  options: { exceptCurrent?: boolean; cache?: ActorCache } = {},
): Promise<{ revoked: number; keptCurrent: boolean }> {
  requireUndelegated(ctx.actor, 'Agent tokens cannot end sessions');
  if (ctx.actor.role !== 'admin') throw new ForbiddenError('Only instance admins may end every session.');
  const keep = options.exceptCurrent ? ctx.actor.sessionId : undefined;
  const revoked = await withTransaction(db, async (tx) => {
    const count = await deleteAllSessions(tx, keep);
    await recordAudit(tx, ctx, {
      action: 'session.revoke_all',
      target: { type: 'session' },
      data: { revoked: count, keptCurrent: keep !== undefined },
    });
    await notifyAccessChange(tx, { allSessions: true });
    return count;
  });
  options.cache?.drop({ allSessions: true });
  return { revoked, keptCurrent: keep !== undefined };
}

import { z } from 'zod';
import { type Clock, systemClock } from '../../platform/clock.ts';
import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { ValidationError } from '../../platform/errors.ts';
import { SYSTEM_ACTOR } from '../../platform/http/actor.ts';
import type { ActorCache } from './actor-cache.ts';
import { revokeSessionTokenRows } from './store.ts';
import { dropRevoked, recordRevocations } from './token-revocations.ts';

/**
 * Revokes every token delegated to an agent session, as the session ends (finished, failed,
 * cancelled). Idempotent; returns how many it revoked now. Every process drops them from its
 * credential cache on commit; `cache` (this process's) drops them at once.
 */
export async function revokeSessionTokens(
  db: Db,
  agentSessionId: string,
  options: { clock?: Clock; cache?: ActorCache; ctx?: RequestContext } = {},
): Promise<number> {
  if (!z.uuid().safeParse(agentSessionId).success)
    throw new ValidationError(`Not an agent session id (a uuid): ${JSON.stringify(agentSessionId)}.`);
  const ctx = options.ctx ?? { actor: SYSTEM_ACTOR };
  const at = (options.clock ?? systemClock).now();
  const revoked = await withTransaction(db, async (tx) => {
    const rows = await revokeSessionTokenRows(tx, agentSessionId, at);
    await recordRevocations(tx, ctx, rows, (row) => ({
      action: 'token.revoke',
      projectId: row.project_id,
      data: { agentSessionId, reason: 'the agent session ended' },
    }));
    return rows;
  });
  dropRevoked(options.cache, revoked);
  return revoked.length;
}

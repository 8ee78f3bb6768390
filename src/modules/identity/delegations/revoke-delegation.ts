import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import { requireUndelegated } from '../../../platform/http/delegated-actor.ts';
import type { ActorCache } from '../actor-cache.ts';
import { revokeToken } from '../store.ts';
import { dropRevoked, recordRevocations } from '../token-revocations.ts';
import type { DelegationView } from './delegation-schemas.ts';
import { type DelegationRow, findDelegationRow } from './delegation-store.ts';
import { toDelegationView } from './delegation-views.ts';
import { AGENTS_CANNOT_SEE_DELEGATIONS, type DelegationDeps } from './list-delegations.ts';

/**
 * Revokes one delegation: the person it acts for, or an instance admin. Its token is refused at
 * once in every process (the access notice drops it from every credential cache on commit, `cache`
 * — this process's — right after), so the agent session's next call fails. Idempotent: revoking a
 * revoked one changes nothing and writes no audit row.
 */
export async function revokeDelegation(
  deps: DelegationDeps & { db: Db },
  ctx: RequestContext,
  id: string,
  cache?: ActorCache,
): Promise<DelegationView> {
  requireUndelegated(ctx.actor, AGENTS_CANNOT_SEE_DELEGATIONS);
  const now = deps.clock.now();
  const { row, revokedNow } = await withTransaction(deps.db, async (tx) => {
    const found = await findDelegationRow(tx, id, { lock: true });
    if (!found || (found.delegated_by !== ctx.actor.userId && ctx.actor.role !== 'admin'))
      throw new NotFoundError('No such delegation (or it was not made on your behalf).');
    if (found.revoked_at) return { row: found, revokedNow: false };
    const revoked = (await revokeToken(tx, id, now))!;
    await recordRevocations(tx, ctx, [found], revocationAudit);
    return { row: { ...found, revoked_at: revoked.revoked_at }, revokedNow: true };
  });
  if (revokedNow) dropRevoked(cache, [row]);
  const slugs = await deps.projects.slugsOf([row.project_id]);
  return toDelegationView(row, slugs, now);
}

/** A delegation's audit row (never the token). */
export function revocationAudit(row: DelegationRow) {
  return {
    action: 'delegation.revoke',
    projectId: row.project_id,
    data: {
      agent: row.agent_username,
      delegatedBy: row.delegator_username,
      agentSessionId: row.agent_session_id,
    },
  };
}

import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { requireUndelegated } from '../../../platform/http/delegated-actor.ts';
import type { ActorCache } from '../actor-cache.ts';
import { dropRevoked, recordRevocations } from '../token-revocations.ts';
import type { DelegationView, RevokeDelegationsQuery } from './delegation-schemas.ts';
import { revokeDelegationRows } from './delegation-store.ts';
import { toDelegationView } from './delegation-views.ts';
import { AGENTS_CANNOT_SEE_DELEGATIONS, type DelegationDeps, projectIdOf } from './list-delegations.ts';
import { revocationAudit } from './revoke-delegation.ts';

/**
 * Revokes the caller's live delegations: all of them, or those of one project or agent session.
 * An instance admin naming an agent session revokes that session's, whoever delegated them. One
 * audit row per delegation, all in one transaction; every process drops the tokens on commit.
 */
export async function revokeDelegations(
  deps: DelegationDeps & { db: Db },
  ctx: RequestContext,
  query: RevokeDelegationsQuery,
  cache?: ActorCache,
): Promise<{ revoked: number; items: DelegationView[] }> {
  requireUndelegated(ctx.actor, AGENTS_CANNOT_SEE_DELEGATIONS);
  const anyone = ctx.actor.role === 'admin' && query.agentSessionId !== undefined;
  const projectId = query.project ? await projectIdOf(deps, query.project) : undefined;
  const now = deps.clock.now();
  const rows = await withTransaction(deps.db, async (tx) => {
    const revoked = await revokeDelegationRows(
      tx,
      {
        ...(anyone ? {} : { delegatedBy: ctx.actor.userId }),
        ...(projectId ? { projectId } : {}),
        ...(query.agentSessionId ? { agentSessionId: query.agentSessionId } : {}),
      },
      now,
    );
    await recordRevocations(tx, ctx, revoked, revocationAudit);
    return revoked;
  });
  dropRevoked(cache, rows);
  const slugs = await deps.projects.slugsOf(rows.map((r) => r.project_id));
  return { revoked: rows.length, items: rows.map((r) => toDelegationView(r, slugs, now)) };
}

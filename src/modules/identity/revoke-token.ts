import type { Clock } from '../../platform/clock.ts';
import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { requireUndelegated } from '../../platform/http/delegated-actor.ts';
import type { ActorCache } from './actor-cache.ts';
import { findToken, revokeToken as revoke, type TokenRow } from './store.ts';
import { dropRevoked, recordRevocations } from './token-revocations.ts';

/** Revokes one of the actor's tokens (admins: anyone's). Idempotent. */
export async function revokeToken(
  db: Db,
  clock: Clock,
  ctx: RequestContext,
  id: string,
  cache?: ActorCache,
): Promise<TokenRow> {
  // The agent principal is shared by its project's sessions: one session must not end another's token.
  requireUndelegated(ctx.actor, 'Agent tokens cannot revoke tokens');
  const token = await findToken(db, id);
  if (!token || (token.user_id !== ctx.actor.userId && ctx.actor.role !== 'admin')) {
    throw new NotFoundError('No such token.');
  }
  const row = await withTransaction(db, async (tx) => {
    const revoked = (await revoke(tx, id, clock.now()))!;
    await recordRevocations(tx, ctx, [revoked], () => ({ action: 'token.revoke' }));
    return revoked;
  });
  dropRevoked(cache, [row]);
  return row;
}

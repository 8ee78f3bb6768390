import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import { type Db, type Queryable, withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError, ForbiddenError } from '../../../platform/errors.ts';
import { notifyAccessChange } from '../../../platform/events/index.ts';
import { requireUndelegated } from '../../../platform/http/delegated-actor.ts';
import type { ActorCache } from '../actor-cache.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { findPolicy, listPasskeyRows, type PolicyRow, upsertPolicy } from './passkey-store.ts';

/** Whether the instance requires passkeys (admins only: checked by the route). */
export async function getPasskeyPolicy(db: Queryable): Promise<PolicyRow> {
  return findPolicy(db);
}

/**
 * Turns "require passkeys" on or off. On, every person without a passkey is sent to register one
 * before anything else works (their open sessions too, in every process at once). The admin turning
 * it on must hold a passkey: that proves passkeys work on this instance's address first.
 */
export async function setPasskeyPolicy(
  db: Db,
  clock: Clock,
  ctx: RequestContext,
  input: { requirePasskeys: boolean },
  cache?: ActorCache,
): Promise<PolicyRow> {
  requireUndelegated(ctx.actor, 'Agent tokens cannot change the passkey policy');
  if (ctx.actor.role !== 'admin')
    throw new ForbiddenError('Only instance admins may change the passkey policy.');
  if (input.requirePasskeys && (await listPasskeyRows(db, ctx.actor.userId)).length === 0)
    throw new ConflictError(
      'Add a passkey for yourself first (Settings → Passkeys): requiring passkeys sends everyone without one, you included, to register one before anything else.',
    );
  const row = await withTransaction(db, async (tx) => {
    const updated = await upsertPolicy(tx, {
      requirePasskeys: input.requirePasskeys,
      by: ctx.actor.userId,
      at: clock.now(),
    });
    await recordAudit(tx, ctx, {
      action: 'passkey_policy.update',
      target: { type: 'passkey_policy' },
      data: { requirePasskeys: input.requirePasskeys },
    });
    // Cached sessions learn the new rule at once, in every process.
    await notifyAccessChange(tx, { allSessions: true });
    return updated;
  });
  cache?.drop({ allSessions: true });
  return row;
}

import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import type { Db } from '../../../platform/db/pool.ts';
import { ForbiddenError } from '../../../platform/errors.ts';
import { requireUndelegated } from '../../../platform/http/delegated-actor.ts';
import { type CreatedToken, createToken } from '../create-token.ts';
import type { CreateTokenBody, TokenView } from '../schemas.ts';
import { listTokenRows } from '../store.ts';
import { toTokenView } from '../views.ts';
import { requireServiceAccount } from './list-service-accounts.ts';

function requireAdmin(ctx: RequestContext) {
  requireUndelegated(ctx.actor, 'Agent tokens cannot manage service accounts');
  if (ctx.actor.role !== 'admin')
    throw new ForbiddenError('Only instance admins may manage service accounts and their tokens.');
}

/**
 * Issues an API token to a service account (instance admins): scopes within the account's role and
 * the admin's own, an expiry or none. The token is returned once; `token.create` is audited with it.
 */
export async function issueServiceAccountToken(
  db: Db,
  clock: Clock,
  ctx: RequestContext,
  id: string,
  input: CreateTokenBody,
): Promise<CreatedToken> {
  requireAdmin(ctx);
  const account = await requireServiceAccount(db, clock, id);
  return createToken(db, clock, ctx, { ...input, userId: account.id });
}

/** A service account's tokens, newest first (never their secrets). Revoke one with `DELETE /api/tokens/:id`. */
export async function listServiceAccountTokens(
  db: Db,
  clock: Clock,
  ctx: RequestContext,
  id: string,
): Promise<{ items: TokenView[]; nextCursor: null }> {
  requireAdmin(ctx);
  const account = await requireServiceAccount(db, clock, id);
  return { items: (await listTokenRows(db, account.id)).map(toTokenView), nextCursor: null };
}

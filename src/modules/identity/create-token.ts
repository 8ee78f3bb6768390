import type { Clock } from '../../platform/clock.ts';
import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import { hasScope, type Scope } from '../../platform/http/actor.ts';
import { requireUndelegated } from '../../platform/http/delegated-actor.ts';
import { recordAudit } from './audit/record-audit.ts';
import { scopesForRole } from './authenticate.ts';
import { requirePerson } from './require-person.ts';
import { findUserById, insertToken, type TokenRow } from './store.ts';
import { generateToken, hashToken, tokenPrefix } from './token-format.ts';

export interface CreatedToken {
  row: TokenRow;
  /** The token itself: shown once, never stored. */
  token: string;
}

/**
 * Creates an API token for `userId` (default: the actor). Scopes may not exceed what the user's
 * role allows, nor (when the actor uses a token) what the actor's own token holds.
 */
export async function createToken(
  db: Db,
  clock: Clock,
  ctx: RequestContext,
  input: { userId?: string; name: string; scopes: Scope[]; expiresInDays?: number; token?: string },
): Promise<CreatedToken> {
  requireUndelegated(ctx.actor, 'Agent tokens cannot create tokens');
  // A service account's token minting its own would outlive the admin revoking the first.
  await requirePerson(
    db,
    ctx.actor,
    'create API tokens: an instance admin issues a service account’s tokens (Admin → Service accounts)',
  );
  const userId = input.userId ?? ctx.actor.userId;
  if (userId !== ctx.actor.userId && ctx.actor.role !== 'admin') {
    throw new ForbiddenError('Only instance admins may create tokens for other users.');
  }
  const user = await findUserById(db, userId);
  if (!user) throw new NotFoundError('No such user.');
  if (user.kind === 'agent')
    throw new ForbiddenError(
      `${user.username} is an agent principal: it holds only tokens delegated to an agent session, never plain ones.`,
    );
  const scopes = [...new Set(input.scopes)];
  const allowed = scopesForRole(user.role);
  const beyondRole = scopes.filter((s) => !allowed.includes(s));
  if (beyondRole.length) {
    throw new ForbiddenError(`A ${user.role} cannot hold the ${beyondRole.join(', ')} scope.`);
  }
  const beyondActor = scopes.filter((s) => !hasScope(ctx.actor, s));
  if (beyondActor.length) {
    throw new ForbiddenError(
      `You cannot grant the ${beyondActor.join(', ')} scope you do not hold yourself.`,
    );
  }
  const token = input.token ?? generateToken();
  const expiresAt = input.expiresInDays
    ? new Date(clock.now().getTime() + input.expiresInDays * 86_400_000)
    : null;
  const row = await withTransaction(db, async (tx) => {
    const created = await insertToken(tx, {
      userId,
      name: input.name,
      hash: hashToken(token),
      prefix: tokenPrefix(token),
      scopes,
      expiresAt,
    });
    await recordAudit(tx, ctx, {
      action: 'token.create',
      target: { type: 'token', id: created.id },
      data: { user: user.username, name: input.name, scopes, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return created;
  });
  return { row, token };
}

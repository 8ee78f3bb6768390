import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../platform/errors.ts';
import { notifyAccessChange } from '../../../platform/events/index.ts';
import { requireUndelegated } from '../../../platform/http/delegated-actor.ts';
import type { ActorCache } from '../actor-cache.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { deleteSessionsOfUser, findUserById, type UserRow } from '../store.ts';
import { ACCOUNT_LINK_TTL_MS, accountLinkAddress, newAccountLinkSecret } from './account-link-secret.ts';
import { type AccountLinkPurpose, replaceAccountLink } from './account-link-store.ts';
import type { IssuedLink } from './create-invitation.ts';

/** Why `user` cannot be sent `purpose`, or undefined when it can. */
function refusal(user: UserRow, purpose: AccountLinkPurpose, self: boolean): string | undefined {
  if (user.kind !== 'human')
    return `${user.username} is ${user.kind === 'agent' ? 'an agent principal' : 'a service account'}: it acts with API tokens only and has no password, so it gets no invitation or reset link.`;
  if (user.disabled) return `${user.username} is disabled: enable the account first.`;
  if (self)
    return 'You cannot send yourself a link: change your own password in Settings, or ask another admin.';
  if (purpose === 'invite' && user.password_hash)
    return `${user.username} already has a password: send a password-reset link instead.`;
  return undefined;
}

/**
 * An admin makes a one-time link for an existing person: a new invitation (a week; for someone
 * who never set a password) or a password reset (a day). A reset also ends every session of that
 * person at once, in every process. A newer link replaces the person's unused ones.
 */
export async function createAccountLink(
  db: Db,
  clock: Clock,
  ctx: RequestContext,
  input: { userId: string; purpose: AccountLinkPurpose; origin: string },
  cache?: ActorCache,
): Promise<{ user: UserRow; link: IssuedLink; sessionsEnded: number }> {
  requireUndelegated(ctx.actor, 'Agent tokens cannot make invitation or reset links');
  if (ctx.actor.role !== 'admin')
    throw new ForbiddenError('Only instance admins may make invitation or reset links.');
  const user = await findUserById(db, input.userId);
  if (!user) throw new NotFoundError('No such user.');
  const why = refusal(user, input.purpose, user.id === ctx.actor.userId);
  if (why) throw new ConflictError(why);
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + ACCOUNT_LINK_TTL_MS[input.purpose]);
  const { secret, hash } = newAccountLinkSecret();
  const reset = input.purpose === 'reset';
  const sessionsEnded = await withTransaction(db, async (tx) => {
    const link = await replaceAccountLink(tx, {
      userId: user.id,
      purpose: input.purpose,
      tokenHash: hash,
      createdBy: ctx.actor.userId,
      at: now,
      expiresAt,
    });
    const ended = reset ? await deleteSessionsOfUser(tx, user.id) : 0;
    await recordAudit(tx, ctx, {
      action: reset ? 'user.reset_link' : 'user.invite',
      target: { type: 'user', id: user.id },
      data: {
        username: user.username,
        linkId: link.id,
        expiresAt,
        ...(reset ? { sessionsEnded: ended } : {}),
      },
    });
    if (reset) await notifyAccessChange(tx, { userId: user.id });
    return ended;
  });
  if (reset) cache?.drop({ userId: user.id });
  return {
    user,
    link: { purpose: input.purpose, ...accountLinkAddress(input.purpose, secret, input.origin), expiresAt },
    sessionsEnded,
  };
}

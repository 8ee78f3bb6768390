import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../../platform/errors.ts';
import { requireUndelegated } from '../../../platform/http/delegated-actor.ts';
import { AGENT_NAME_PREFIX, isAgentName } from '../agent-name.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { insertUser, type UserRow } from '../store.ts';
import type { InviteUserBody } from './account-link-schemas.ts';
import { ACCOUNT_LINK_TTL_MS, accountLinkAddress, newAccountLinkSecret } from './account-link-secret.ts';
import { replaceAccountLink } from './account-link-store.ts';

export interface IssuedLink {
  purpose: 'invite' | 'reset';
  path: string;
  url: string;
  expiresAt: Date;
}

/**
 * An admin invites a person: the account is created without a password, with a one-time link
 * (a week) the admin hands them; opening it, they set a password and are signed in. One
 * transaction: the user, the link and the audit row land together or not at all.
 */
export async function createInvitation(
  db: Db,
  clock: Clock,
  ctx: RequestContext,
  input: InviteUserBody & { origin: string },
): Promise<{ user: UserRow; link: IssuedLink }> {
  requireUndelegated(ctx.actor, 'Agent tokens cannot invite people');
  if (ctx.actor.role !== 'admin') throw new ForbiddenError('Only instance admins may invite people.');
  if (isAgentName(input.username)) {
    const message = `names starting with "${AGENT_NAME_PREFIX}" are kept for agent principals; choose another`;
    throw new ValidationError(`username: ${message}.`, [{ field: 'body.username', message }]);
  }
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + ACCOUNT_LINK_TTL_MS.invite);
  const { secret, hash } = newAccountLinkSecret();
  const user = await withTransaction(db, async (tx) => {
    const created = await insertUser(tx, { ...input, passwordHash: null }).catch((error: unknown) => {
      if ((error as { code?: string }).code === '23505')
        throw new ConflictError(`A user with username "${input.username}" or that email already exists.`);
      throw error;
    });
    const link = await replaceAccountLink(tx, {
      userId: created.id,
      purpose: 'invite',
      tokenHash: hash,
      createdBy: ctx.actor.userId,
      at: now,
      expiresAt,
    });
    await recordAudit(tx, ctx, {
      action: 'user.invite',
      target: { type: 'user', id: created.id },
      data: { username: created.username, role: created.role, linkId: link.id, expiresAt },
    });
    return created;
  });
  return {
    user,
    link: { purpose: 'invite', ...accountLinkAddress('invite', secret, input.origin), expiresAt },
  };
}

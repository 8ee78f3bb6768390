import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../../platform/errors.ts';
import { notifyAccessChange } from '../../platform/events/index.ts';
import { requireUndelegated } from '../../platform/http/delegated-actor.ts';
import type { ActorCache } from './actor-cache.ts';
import { recordAudit } from './audit/record-audit.ts';
import { hashPassword } from './password.ts';
import { kindName } from './require-person.ts';
import { deleteSessionsOfUser, findUserById, type UserRow, updateUser as update } from './store.ts';

export async function updateUser(
  db: Db,
  ctx: RequestContext,
  id: string,
  patch: { role?: 'admin' | 'member'; disabled?: boolean; password?: string; email?: string },
  cache?: ActorCache,
): Promise<UserRow> {
  requireUndelegated(ctx.actor, 'Agent tokens cannot change accounts');
  const self = id === ctx.actor.userId;
  if (!self && ctx.actor.role !== 'admin')
    throw new ForbiddenError('Only instance admins may change other users.');
  if ((patch.role || patch.disabled !== undefined) && ctx.actor.role !== 'admin') {
    throw new ForbiddenError('Only instance admins may change roles or disable accounts.');
  }
  if (self && (patch.role === 'member' || patch.disabled)) {
    throw new ConflictError('You cannot demote or disable yourself; ask another admin.');
  }
  if (patch.password !== undefined) {
    // Only people sign in: a password on an agent or a service account would be a way in for it.
    const target = await findUserById(db, id);
    if (target && target.kind !== 'human')
      throw new UnprocessableError(
        `${target.username} is ${kindName(target.kind)}: it has no password and never signs in; it acts only with API tokens.`,
      );
  }
  const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
  // A new password ends the user's other sessions (all of them when someone else, or a token,
  // changed it): whoever knew the old one is signed out everywhere. API tokens are kept.
  const accessChanged =
    patch.role !== undefined || patch.disabled !== undefined || passwordHash !== undefined;
  const updated = await withTransaction(db, async (tx) => {
    const row = await update(tx, id, {
      role: patch.role,
      disabled: patch.disabled,
      passwordHash,
      email: patch.email,
    }).catch((error: unknown) => {
      // Emails are unique ignoring case (users_email_key); the only unique column a patch can change.
      if ((error as { code?: string }).code === '23505')
        throw new ConflictError(`Another user already has the email ${patch.email}.`);
      throw error;
    });
    if (!row) throw new NotFoundError('No such user.');
    const sessionsEnded = passwordHash
      ? await deleteSessionsOfUser(
          tx,
          id,
          self && ctx.actor.via === 'session' ? ctx.actor.sessionId : undefined,
        )
      : undefined;
    await recordAudit(tx, ctx, {
      action: 'user.update',
      target: { type: 'user', id },
      data: {
        role: patch.role,
        disabled: patch.disabled,
        passwordChanged: Boolean(patch.password),
        sessionsEnded,
        email: patch.email,
      },
    });
    // A new role, a disabled account or ended sessions reach every process's caches and open
    // streams on commit.
    if (accessChanged) await notifyAccessChange(tx, { userId: id });
    return row;
  });
  if (accessChanged) cache?.drop({ userId: id });
  return updated;
}

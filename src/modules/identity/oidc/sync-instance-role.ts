import type { RequestContext } from '../../../platform/context.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { notifyAccessChange } from '../../../platform/events/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { UserRow } from '../store.ts';
import { anotherActiveAdmin, setUserRole } from './oidc-store.ts';

export type InstanceRoleOutcome = 'unchanged' | 'changed' | 'kept_last_admin';

/**
 * Gives the person the instance role their groups say (undefined: the provider does not manage
 * it), audited as `user.update` with `note`. The last enabled admin is never demoted by a sign-in:
 * the instance would be left without one.
 */
export async function syncInstanceRole(
  tx: Queryable,
  ctx: RequestContext,
  user: UserRow,
  role: 'admin' | 'member' | undefined,
  note: Record<string, unknown>,
): Promise<{ user: UserRow; outcome: InstanceRoleOutcome }> {
  if (!role || role === user.role) return { user, outcome: 'unchanged' };
  if (role === 'member' && !(await anotherActiveAdmin(tx, user.id)))
    return { user, outcome: 'kept_last_admin' };
  const updated = await setUserRole(tx, user.id, role);
  await recordAudit(tx, ctx, {
    action: 'user.update',
    target: { type: 'user', id: user.id },
    data: { role, ...note },
  });
  // Sessions and tokens of the old role are dropped from every process's cache on commit.
  await notifyAccessChange(tx, { userId: user.id });
  return { user: updated, outcome: 'changed' };
}

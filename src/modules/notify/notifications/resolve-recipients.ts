import type { Queryable } from '../../../platform/db/pool.ts';
import { findUserById, listAdminIds } from '../../identity/index.ts';
import { listProjectMemberIds, type ProjectRole } from '../../projects/index.ts';

/** Whom to tell: named people, a project's members holding at least a role, or the instance's admins. */
export type Recipients =
  | string[]
  | { projectMembers: { projectId: string; minRole: ProjectRole } }
  | { admins: true };

export interface Recipient {
  id: string;
  email: string;
}

/**
 * The people behind `recipients`: agents, service accounts, disabled and deleted users are left
 * out, and so is `exclude` (who caused the event needs no word of it).
 */
export async function resolveRecipients(
  db: Queryable,
  recipients: Recipients,
  exclude?: string | null,
): Promise<Recipient[]> {
  const ids = Array.isArray(recipients)
    ? recipients
    : 'admins' in recipients
      ? await listAdminIds(db)
      : await listProjectMemberIds(
          db,
          recipients.projectMembers.projectId,
          recipients.projectMembers.minRole,
        );
  const out: Recipient[] = [];
  for (const id of [...new Set(ids)].sort()) {
    if (id === exclude) continue;
    const user = await findUserById(db, id);
    if (!user || user.disabled || user.kind !== 'human') continue;
    out.push({ id: user.id, email: user.email });
  }
  return out;
}

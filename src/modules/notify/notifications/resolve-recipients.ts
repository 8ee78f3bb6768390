import type { Queryable } from '../../../platform/db/pool.ts';
import { findNotifiableUsers, listAdminIds } from '../../identity/index.ts';
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
  const wanted = [...new Set(ids)].filter((id) => id !== exclude);
  if (!wanted.length) return [];
  // One read for everyone, in id order.
  return findNotifiableUsers(db, wanted);
}

import type { Queryable } from '../../platform/db/pool.ts';
import { roleAtLeast } from './access.ts';
import type { ProjectRole } from './schemas.ts';
import { listMemberRows } from './store.ts';

/** Ids of a project's members holding at least `minRole` (e.g. whom to tell about the project). */
export async function listProjectMemberIds(
  db: Queryable,
  projectId: string,
  minRole: ProjectRole = 'viewer',
): Promise<string[]> {
  return (await listMemberRows(db, projectId))
    .filter((m) => roleAtLeast(m.role, minRole))
    .map((m) => m.user_id);
}

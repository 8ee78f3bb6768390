import type { Queryable } from '../../platform/db/pool.ts';
import { listProjectsByIds, type ProjectRow } from './store.ts';

/** Projects by id, for other modules that need a project's settings beside their own rows. */
export async function findProjects(
  db: Queryable,
  ids: ReadonlyArray<string>,
): Promise<Map<string, ProjectRow>> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return new Map();
  return new Map((await listProjectsByIds(db, wanted)).map((r) => [r.id, r]));
}

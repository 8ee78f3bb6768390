import type { Queryable } from '../../platform/db/pool.ts';
import { listProjectSlugs } from './store.ts';

/** Project slug by id, for other modules that show which project a thing belongs to. */
export async function findProjectSlugs(
  db: Queryable,
  ids: ReadonlyArray<string | null>,
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (!wanted.length) return new Map();
  return new Map((await listProjectSlugs(db, wanted)).map((r) => [r.id, r.slug]));
}

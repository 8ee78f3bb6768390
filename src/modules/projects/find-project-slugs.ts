import type { Queryable } from '../../platform/db/pool.ts';
import { findProjects } from './find-projects.ts';

/** Project slug by id, for other modules that show which project a thing belongs to. */
export async function findProjectSlugs(
  db: Queryable,
  ids: ReadonlyArray<string | null>,
): Promise<Map<string, string>> {
  const projects = await findProjects(
    db,
    ids.filter((id): id is string => id !== null),
  );
  return new Map([...projects].map(([id, p]) => [id, p.slug]));
}

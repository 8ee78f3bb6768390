import type { Queryable } from '../../platform/db/pool.ts';
import type { BlueprintRow } from './store.ts';

/**
 * Each project's current Blueprint — its newest one that is not discarded — for the projects in
 * `projectIds` (null: every project), most recently changed first, at most `limit`.
 */
export async function findCurrentBlueprintRows(
  db: Queryable,
  projectIds: ReadonlyArray<string> | null,
  limit: number,
): Promise<BlueprintRow[]> {
  const { rows } = await db.query<BlueprintRow>(
    `SELECT * FROM (
       SELECT DISTINCT ON (project_id) * FROM blueprints
        WHERE status <> 'discarded' AND ($1::uuid[] IS NULL OR project_id = ANY($1::uuid[]))
        ORDER BY project_id, created_at DESC, id DESC
     ) current ORDER BY updated_at DESC, id DESC LIMIT $2`,
    [projectIds, limit],
  );
  return rows;
}

import type { Queryable } from '../../platform/db/pool.ts';
import { type LatestOperationRow, latestOperationRows } from './store.ts';

export type LatestOperation = LatestOperationRow;

/**
 * The newest operation of each project (only of `kinds` when given), for views of many projects at
 * once: one statement whatever the number of projects. Projects without one are absent.
 */
export async function findLatestOperations(
  db: Queryable,
  projectIds: ReadonlyArray<string>,
  options: { kinds?: ReadonlyArray<string> } = {},
): Promise<Map<string, LatestOperation>> {
  const wanted = [...new Set(projectIds)];
  if (!wanted.length) return new Map();
  const rows = await latestOperationRows(db, wanted, options.kinds ? [...options.kinds] : null);
  return new Map(rows.map((r) => [r.project_id, r]));
}

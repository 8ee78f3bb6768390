import type { Queryable } from '../../platform/db/pool.ts';
import { stepOutputParts } from './store.ts';

/**
 * For each operation, the part at `path` of the output of its succeeded step `key` (the whole output
 * when `path` is empty), in one statement; operations without it are absent. Asking for the part
 * keeps a large output (a browser run's pages and checks) in the database.
 */
export async function findStepOutputs(
  db: Queryable,
  operationIds: ReadonlyArray<string>,
  key: string,
  path: ReadonlyArray<string> = [],
): Promise<Map<string, unknown>> {
  const wanted = [...new Set(operationIds)];
  if (!wanted.length) return new Map();
  const rows = await stepOutputParts(db, wanted, key, [...path]);
  return new Map(rows.filter((r) => r.part !== null).map((r) => [r.operation_id, r.part]));
}

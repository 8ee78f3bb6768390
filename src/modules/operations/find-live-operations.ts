import type { Queryable } from '../../platform/db/pool.ts';
import { listLiveOperationIds } from './store.ts';

/** Which of these operations are still queued or running (work they own must be kept). */
export async function findLiveOperations(db: Queryable, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  return new Set(await listLiveOperationIds(db, ids));
}

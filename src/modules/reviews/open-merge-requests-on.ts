import type { Queryable } from '../../platform/db/pool.ts';
import { type MergeRequestRow, openMergeRequestRecordsOn } from './merge-request-store.ts';
import { withMergeRequestNames } from './with-usernames.ts';

/** Open merge requests whose source (or target) is `branch`. */
export async function openMergeRequestsOn(
  db: Queryable,
  projectId: string,
  side: 'source' | 'target',
  branch: string,
): Promise<MergeRequestRow[]> {
  return withMergeRequestNames(db, await openMergeRequestRecordsOn(db, projectId, side, branch));
}

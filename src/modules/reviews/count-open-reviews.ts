import type { Queryable } from '../../platform/db/pool.ts';
import { countOpenMergeRequests } from './merge-request-store.ts';
import { countOpenIssues } from './store.ts';

export interface OpenReviewCounts {
  openMergeRequests: number;
  openIssues: number;
}

/**
 * Open merge requests and issues of each project, for views of many projects at once: two
 * statements whatever the number of projects. Every project asked about gets an entry.
 */
export async function countOpenReviews(
  db: Queryable,
  projectIds: ReadonlyArray<string>,
): Promise<Map<string, OpenReviewCounts>> {
  const wanted = [...new Set(projectIds)];
  if (!wanted.length) return new Map();
  // One after the other: `db` may be a transaction's single client.
  const mergeRequests = await countOpenMergeRequests(db, wanted);
  const issues = await countOpenIssues(db, wanted);
  return new Map(
    wanted.map((id) => [
      id,
      { openMergeRequests: mergeRequests.get(id) ?? 0, openIssues: issues.get(id) ?? 0 },
    ]),
  );
}

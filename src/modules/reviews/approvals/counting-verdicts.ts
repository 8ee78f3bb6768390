import type { Queryable } from '../../../platform/db/pool.ts';
import { findUsernames } from '../../identity/index.ts';
import { currentProjectRole, roleAtLeast } from '../../projects/index.ts';
import type { MergeRequestRecord } from '../merge-request-store.ts';
import { listReviewRecords, type ReviewRecord } from './review-store.ts';
import { latestVerdicts } from './review-verdicts.ts';

export interface CountingVerdict {
  reviewer: string;
  review: ReviewRecord;
}

/**
 * The verdicts that weigh on a merge: each reviewer's latest, from people who are developers of
 * the project now (someone removed since, or disabled, neither approves nor blocks any more).
 */
export async function countingVerdicts(db: Queryable, mr: MergeRequestRecord): Promise<CountingVerdict[]> {
  const verdicts = [...latestVerdicts(await listReviewRecords(db, mr.id)).entries()].filter(
    ([reviewerId]) => reviewerId !== mr.author_id,
  );
  if (!verdicts.length) return [];
  const names = await findUsernames(
    db,
    verdicts.map(([id]) => id),
  );
  const counting: CountingVerdict[] = [];
  // One after the other: `db` may be a transaction's single client.
  for (const [reviewerId, review] of verdicts) {
    const role = await currentProjectRole(db, mr.project_id, reviewerId);
    const name = names.get(reviewerId);
    if (role && name && roleAtLeast(role, 'developer')) counting.push({ reviewer: name, review });
  }
  return counting;
}

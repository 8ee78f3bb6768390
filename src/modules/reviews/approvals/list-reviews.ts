import type { Queryable } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { findUsernames } from '../../identity/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import { findMergeRequestRecord, type MergeRequestRecord } from '../merge-request-store.ts';
import { DEFAULT_MERGE_RULE, mergeRuleFor } from '../protection/merge-rule.ts';
import type { ReviewView } from '../schemas.ts';
import { listReviewRecords } from './review-store.ts';
import { toReviewViews } from './review-verdicts.ts';

/** A merge request's reviews, oldest first; approvals its target's rule no longer counts are stale. */
export async function listReviews(db: Queryable, mr: MergeRequestRecord): Promise<ReviewView[]> {
  const records = await listReviewRecords(db, mr.id);
  if (!records.length) return [];
  const rule = (await mergeRuleFor(db, mr.project_id, mr.target_branch)) ?? DEFAULT_MERGE_RULE;
  const names = await findUsernames(
    db,
    records.map((r) => r.reviewer_id),
  );
  return toReviewViews(records, (id) => (id ? (names.get(id) ?? null) : null), {
    head: mr.head_sha,
    dismissStaleApprovals: rule.dismissStaleApprovals,
  });
}

/** `GET …/merge-requests/:number/reviews` (viewers): every review, oldest first. */
export async function readReviews(db: Queryable, actor: Actor, slug: string, number: number) {
  const { project } = await requireProjectRole(db, actor, slug, 'viewer');
  const mr = await findMergeRequestRecord(db, project.id, number);
  if (!mr) throw new NotFoundError(`No merge request !${number} in "${slug}".`);
  return { items: await listReviews(db, mr), nextCursor: null };
}

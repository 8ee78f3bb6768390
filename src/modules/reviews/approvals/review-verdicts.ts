import type { ReviewView } from '../schemas.ts';
import type { ReviewRecord } from './review-store.ts';

/**
 * Each reviewer's verdict: their latest approval or request for changes that is not withdrawn
 * (approving after requesting changes replaces the request). Comments are no verdict.
 */
export function latestVerdicts(records: readonly ReviewRecord[]): Map<string, ReviewRecord> {
  const sorted = [...records].sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
  const verdicts = new Map<string, ReviewRecord>();
  for (const r of sorted)
    if (r.reviewer_id && r.state !== 'comment' && !r.withdrawn_at) verdicts.set(r.reviewer_id, r);
  return verdicts;
}

/** An approval given on an earlier head, where the rule says a push makes approvals stale. */
export function isStale(review: ReviewRecord, head: string, dismissStaleApprovals: boolean): boolean {
  return review.state === 'approve' && dismissStaleApprovals && review.sha !== head;
}

export function toReviewViews(
  records: readonly ReviewRecord[],
  nameOf: (id: string | null) => string | null,
  at: { head: string; dismissStaleApprovals: boolean },
): ReviewView[] {
  const current = new Set([...latestVerdicts(records).values()].map((r) => r.id));
  return records.map((r) => ({
    id: r.id,
    reviewer: nameOf(r.reviewer_id),
    state: r.state,
    body: r.body,
    sha: r.sha,
    current: current.has(r.id),
    stale: isStale(r, at.head, at.dismissStaleApprovals),
    withdrawnAt: r.withdrawn_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  }));
}

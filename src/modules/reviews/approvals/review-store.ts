import type { Queryable } from '../../../platform/db/pool.ts';
import type { ReviewState } from '../schemas.ts';

export interface ReviewRecord {
  id: string;
  project_id: string;
  merge_request_id: string;
  reviewer_id: string | null;
  state: ReviewState;
  body: string;
  sha: string;
  created_at: Date;
  withdrawn_at: Date | null;
}

export async function insertReview(
  db: Queryable,
  r: {
    projectId: string;
    mergeRequestId: string;
    reviewerId: string;
    state: ReviewState;
    body: string;
    sha: string;
  },
): Promise<ReviewRecord> {
  const { rows } = await db.query<ReviewRecord>(
    `INSERT INTO merge_request_reviews (project_id, merge_request_id, reviewer_id, state, body, sha)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [r.projectId, r.mergeRequestId, r.reviewerId, r.state, r.body, r.sha],
  );
  return rows[0]!;
}

/** A merge request's reviews, oldest first. */
export async function listReviewRecords(db: Queryable, mergeRequestId: string): Promise<ReviewRecord[]> {
  const { rows } = await db.query<ReviewRecord>(
    'SELECT * FROM merge_request_reviews WHERE merge_request_id = $1 ORDER BY created_at, id',
    [mergeRequestId],
  );
  return rows;
}

/** Withdraws a reviewer's approvals and requests for changes still in force; the ones it withdrew. */
export async function withdrawVerdicts(
  db: Queryable,
  mergeRequestId: string,
  reviewerId: string,
): Promise<ReviewRecord[]> {
  const { rows } = await db.query<ReviewRecord>(
    `UPDATE merge_request_reviews SET withdrawn_at = clock_timestamp()
     WHERE merge_request_id = $1 AND reviewer_id = $2 AND state <> 'comment' AND withdrawn_at IS NULL
     RETURNING *`,
    [mergeRequestId, reviewerId],
  );
  return rows;
}

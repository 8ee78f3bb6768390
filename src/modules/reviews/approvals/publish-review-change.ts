import type { RequestContext } from '../../../platform/context.ts';
import type { Resources } from '../../../platform/resources.ts';
import { checksFor } from '../check-store.ts';
import { publishReviewEvent, type ReviewDeps } from '../events.ts';
import type { MergeRequestRow } from '../merge-request-store.ts';
import { toMergeRequestView } from '../views.ts';
import type { ReviewRecord } from './review-store.ts';

/** Tells the review listeners (webhooks, …) that a merge request was reviewed or a verdict withdrawn. */
export async function publishReviewChange(
  res: Resources,
  deps: ReviewDeps,
  ctx: RequestContext,
  change: {
    slug: string;
    mr: MergeRequestRow;
    action: 'reviewed' | 'review_withdrawn';
    review: ReviewRecord;
  },
) {
  const { mr, review } = change;
  await publishReviewEvent(res.logger, deps.onEvent, {
    type: 'merge_request',
    action: change.action,
    projectId: mr.project_id,
    projectSlug: change.slug,
    actor: ctx.actor,
    mergeRequest: toMergeRequestView(mr, await checksFor(res.db, mr.project_id, [mr.head_sha])),
    review: { id: review.id, state: review.state, body: review.body },
  });
}

import type { RequestContext } from '../../../platform/context.ts';
import { withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError, NotFoundError } from '../../../platform/errors.ts';
import { requireUndelegated } from '../../../platform/http/delegated-actor.ts';
import type { Resources } from '../../../platform/resources.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import type { ReviewDeps } from '../events.ts';
import { findMergeRequest } from '../find-merge-request.ts';
import { publishReviewChange } from './publish-review-change.ts';
import { AGENTS_CANNOT_APPROVE } from './review-merge-request.ts';
import { withdrawVerdicts } from './review-store.ts';

/**
 * Withdraws the caller's approval or request for changes on an open merge request (audited): it
 * stops counting, and stops blocking. The review stays in the timeline, marked withdrawn.
 */
export async function withdrawReview(
  res: Resources,
  deps: ReviewDeps,
  ctx: RequestContext,
  slug: string,
  number: number,
): Promise<void> {
  requireUndelegated(ctx.actor, AGENTS_CANNOT_APPROVE);
  const { project } = await requireProjectRole(res.db, ctx.actor, slug, 'developer');
  const mr = await findMergeRequest(res.db, project.id, number);
  if (!mr) throw new NotFoundError(`No merge request !${number} in "${slug}".`);
  if (mr.state !== 'open') throw new ConflictError(`Merge request !${number} is ${mr.state}.`);
  const verdict = await withTransaction(res.db, async (tx) => {
    const rows = await withdrawVerdicts(tx, mr.id, ctx.actor.userId);
    if (!rows.length)
      throw new NotFoundError(`You have no approval or request for changes on !${number} to withdraw.`);
    // The one that was in force: the latest.
    const latest = rows.reduce((a, b) => (b.created_at > a.created_at ? b : a));
    await recordAudit(tx, ctx, {
      action: 'merge_request.review_withdraw',
      target: { type: 'merge_request', id: mr.id },
      projectId: project.id,
      data: { number, state: latest.state },
    });
    return latest;
  });
  await publishReviewChange(res, deps, ctx, { slug, mr, action: 'review_withdrawn', review: verdict });
}

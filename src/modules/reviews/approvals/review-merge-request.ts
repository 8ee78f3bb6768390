import type { RequestContext } from '../../../platform/context.ts';
import { withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../platform/errors.ts';
import { isSystemActor } from '../../../platform/http/actor.ts';
import { requireUndelegated } from '../../../platform/http/delegated-actor.ts';
import type { Resources } from '../../../platform/resources.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import type { ReviewDeps } from '../events.ts';
import { findMergeRequest } from '../find-merge-request.ts';
import type { ReviewBody, ReviewView } from '../schemas.ts';
import { listReviews } from './list-reviews.ts';
import { publishReviewChange } from './publish-review-change.ts';
import { insertReview } from './review-store.ts';

/** Whether work is ready to merge is for people to say: an agent may comment, not judge. */
export const AGENTS_CANNOT_APPROVE =
  'Agent tokens cannot approve or request changes: people decide whether work is ready to merge (an agent may leave a comment review)';

/**
 * Reviews an open merge request on its head commit: approve, request changes (with what to
 * change) or comment (developers other than its author; audited). A reviewer's latest approval or
 * request for changes is their verdict. With `sha`, a merge request that moved on since is a 409.
 */
export async function reviewMergeRequest(
  res: Resources,
  deps: ReviewDeps,
  ctx: RequestContext,
  slug: string,
  number: number,
  input: ReviewBody,
): Promise<ReviewView> {
  if (input.state !== 'comment') requireUndelegated(ctx.actor, AGENTS_CANNOT_APPROVE);
  const { project } = await requireProjectRole(res.db, ctx.actor, slug, 'developer');
  if (isSystemActor(ctx.actor))
    throw new ForbiddenError('Orchard does not review merge requests itself; a developer does.');
  const mr = await findMergeRequest(res.db, project.id, number);
  if (!mr) throw new NotFoundError(`No merge request !${number} in "${slug}".`);
  if (mr.state !== 'open')
    throw new ConflictError(
      `Merge request !${number} is ${mr.state}; only open ones are reviewed. Comment instead.`,
    );
  if (mr.author_id === ctx.actor.userId)
    throw new ForbiddenError(
      `You opened !${number}, so another developer reviews it; leave a comment to answer reviewers.`,
    );
  const body = input.body ?? '';
  if (input.state !== 'approve' && !body) {
    const message = input.state === 'comment' ? 'must not be empty for a comment' : 'must say what to change';
    throw new ValidationError(
      `A review that ${input.state === 'comment' ? 'comments' : 'requests changes'} needs a body: ${message}.`,
      [{ field: 'body.body', message }],
    );
  }
  if (input.sha && input.sha !== mr.head_sha)
    throw new ConflictError(
      `!${number} moved on to ${mr.head_sha.slice(0, 7)} since ${input.sha.slice(0, 7)}; look at the new commits, then review again.`,
      { headSha: mr.head_sha },
    );
  const record = await withTransaction(res.db, async (tx) => {
    const inserted = await insertReview(tx, {
      projectId: project.id,
      mergeRequestId: mr.id,
      reviewerId: ctx.actor.userId,
      state: input.state,
      body,
      sha: mr.head_sha,
    });
    await recordAudit(tx, ctx, {
      action: 'merge_request.review',
      target: { type: 'merge_request', id: mr.id },
      projectId: project.id,
      data: { number, state: input.state, sha: mr.head_sha },
    });
    return inserted;
  });
  await publishReviewChange(res, deps, ctx, { slug, mr, action: 'reviewed', review: record });
  return (await listReviews(res.db, mr)).find((r) => r.id === record.id)!;
}

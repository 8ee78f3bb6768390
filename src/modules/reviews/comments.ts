import type { RequestContext } from '../../platform/context.ts';
import { withTransaction } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { isSystemActor } from '../../platform/http/actor.ts';
import type { Resources } from '../../platform/resources.ts';
import { recordAudit } from '../identity/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import { checksFor } from './check-store.ts';
import { publishReviewEvent, type ReviewDeps } from './events.ts';
import { findIssue } from './find-issue.ts';
import { findMergeRequest } from './find-merge-request.ts';
import { insertComment, listCommentRecords } from './store.ts';
import { toCommentView, toIssueView, toMergeRequestView } from './views.ts';
import { withCommentNames } from './with-usernames.ts';

type Target = 'issue' | 'merge_request';

async function findTarget(res: Resources, projectId: string, slug: string, target: Target, number: number) {
  if (target === 'issue') {
    const issue = await findIssue(res.db, projectId, number);
    if (!issue) throw new NotFoundError(`No issue #${number} in "${slug}".`);
    return { issue };
  }
  const mergeRequest = await findMergeRequest(res.db, projectId, number);
  if (!mergeRequest) throw new NotFoundError(`No merge request !${number} in "${slug}".`);
  return { mergeRequest };
}

/** Comments on an issue or a merge request, oldest first. */
export async function readComments(
  res: Resources,
  ctx: RequestContext,
  slug: string,
  target: Target,
  number: number,
) {
  const { project } = await requireProjectRole(res.db, ctx.actor, slug, 'viewer');
  const found = await findTarget(res, project.id, slug, target, number);
  const records = await listCommentRecords(res.db, {
    issueId: found.issue?.id,
    mergeRequestId: found.mergeRequest?.id,
  });
  return { items: (await withCommentNames(res.db, records)).map(toCommentView), nextCursor: null };
}

export async function addComment(
  res: Resources,
  deps: ReviewDeps,
  ctx: RequestContext,
  slug: string,
  target: Target,
  number: number,
  body: string,
) {
  const { project } = await requireProjectRole(res.db, ctx.actor, slug, 'developer');
  const found = await findTarget(res, project.id, slug, target, number);
  const comment = await withTransaction(res.db, async (tx) => {
    const record = await insertComment(tx, {
      projectId: project.id,
      issueId: found.issue?.id,
      mergeRequestId: found.mergeRequest?.id,
      authorId: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
      body,
    });
    await recordAudit(tx, ctx, {
      action: 'comment.create',
      target: { type: target, id: found.issue?.id ?? found.mergeRequest?.id },
      projectId: project.id,
      data: { number },
    });
    const [row] = await withCommentNames(tx, [record]);
    return toCommentView(row!);
  });
  const base = {
    projectId: project.id,
    projectSlug: slug,
    actor: ctx.actor,
    action: 'commented' as const,
    comment: { id: comment.id, body },
  };
  if (found.issue)
    await publishReviewEvent(res.logger, deps.onEvent, {
      ...base,
      type: 'issue',
      issue: toIssueView(found.issue),
    });
  if (found.mergeRequest) {
    const checks = await checksFor(res.db, project.id, [found.mergeRequest.head_sha]);
    await publishReviewEvent(res.logger, deps.onEvent, {
      ...base,
      type: 'merge_request',
      mergeRequest: toMergeRequestView(found.mergeRequest, checks),
    });
  }
  return comment;
}

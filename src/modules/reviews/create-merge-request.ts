import type { RequestContext } from '../../platform/context.ts';
import { withTransaction } from '../../platform/db/pool.ts';
import { ConflictError, UnprocessableError, ValidationError } from '../../platform/errors.ts';
import { isSystemActor } from '../../platform/http/actor.ts';
import type { Resources } from '../../platform/resources.ts';
import { assertRefName, branchHead, openRepository } from '../git/index.ts';
import { recordAudit } from '../identity/index.ts';
import { checksFor } from './check-store.ts';
import { publishReviewEvent, type ReviewDeps } from './events.ts';
import { findMergeRequest } from './find-merge-request.ts';
import { insertMergeRequest } from './merge-request-store.ts';
import type { CreateMergeRequestBody } from './schemas.ts';
import { nextNumber } from './store.ts';
import { toMergeRequestView } from './views.ts';

/** Opens a merge request from one branch into another (developers and up); both branches must exist. */
export async function createMergeRequest(
  res: Resources,
  deps: ReviewDeps,
  ctx: RequestContext,
  slug: string,
  input: CreateMergeRequestBody,
) {
  assertRefName(input.sourceBranch, 'body.sourceBranch');
  assertRefName(input.targetBranch, 'body.targetBranch');
  if (input.sourceBranch === input.targetBranch) {
    throw new ValidationError('The source and target branches must differ.', [
      { field: 'body.targetBranch', message: 'equals sourceBranch' },
    ]);
  }
  const { project, repo } = await openRepository(res.db, res.config.home, ctx.actor, slug, 'developer');
  const headSha = await branchHead(repo, input.sourceBranch);
  if (!headSha)
    throw new UnprocessableError(`The source branch "${input.sourceBranch}" does not exist; push it first.`, {
      field: 'body.sourceBranch',
    });
  if (!(await branchHead(repo, input.targetBranch))) {
    throw new UnprocessableError(`The target branch "${input.targetBranch}" does not exist.`, {
      field: 'body.targetBranch',
    });
  }
  const mergeRequest = await withTransaction(res.db, async (tx) => {
    const number = await nextNumber(tx, project.id, 'merge_request');
    let id: string;
    try {
      await tx.query('SAVEPOINT create_mr');
      id = await insertMergeRequest(tx, {
        projectId: project.id,
        number,
        title: input.title,
        description: input.description ?? '',
        source: input.sourceBranch,
        target: input.targetBranch,
        headSha,
        authorId: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
      });
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error;
      throw new ConflictError(
        `An open merge request from "${input.sourceBranch}" into "${input.targetBranch}" already exists.`,
      );
    }
    await recordAudit(tx, ctx, {
      action: 'merge_request.create',
      target: { type: 'merge_request', id },
      projectId: project.id,
      data: { number },
    });
    return (await findMergeRequest(tx, project.id, number))!;
  });
  const view = toMergeRequestView(mergeRequest, await checksFor(res.db, project.id, [headSha]));
  await publishReviewEvent(res.logger, deps.onEvent, {
    type: 'merge_request',
    action: 'opened',
    projectId: project.id,
    projectSlug: slug,
    actor: ctx.actor,
    mergeRequest: view,
  });
  // Listeners (a pipeline for the MR) may have reported checks meanwhile.
  return toMergeRequestView(mergeRequest, await checksFor(res.db, project.id, [headSha]));
}

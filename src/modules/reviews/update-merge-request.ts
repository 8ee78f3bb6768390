import type { RequestContext } from '../../platform/context.ts';
import { withTransaction } from '../../platform/db/pool.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { Resources } from '../../platform/resources.ts';
import { recordAudit } from '../identity/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import { checksFor } from './check-store.ts';
import { publishReviewEvent, type ReviewDeps } from './events.ts';
import { findMergeRequest } from './find-merge-request.ts';
import { updateMergeRequest as storeUpdate } from './merge-request-store.ts';
import type { UpdateMergeRequestBody } from './schemas.ts';
import { toMergeRequestView } from './views.ts';

/** Edits title or description, closes or reopens a merge request (a merged one is final). */
export async function updateMergeRequest(
  res: Resources,
  deps: ReviewDeps,
  ctx: RequestContext,
  slug: string,
  number: number,
  input: UpdateMergeRequestBody,
) {
  const { project } = await requireProjectRole(res.db, ctx.actor, slug, 'developer');
  const { before, after } = await withTransaction(res.db, async (tx) => {
    const before = await findMergeRequest(tx, project.id, number);
    if (!before) throw new NotFoundError(`No merge request !${number} in "${slug}".`);
    if (before.state === 'merged' && input.state)
      throw new ConflictError(`Merge request !${number} is merged; it cannot be closed or reopened.`);
    try {
      await tx.query('SAVEPOINT update_mr');
      await storeUpdate(tx, before.id, input);
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error;
      throw new ConflictError('Another open merge request already uses these branches; close it first.');
    }
    await recordAudit(tx, ctx, {
      action: 'merge_request.update',
      target: { type: 'merge_request', id: before.id },
      projectId: project.id,
      data: { number, fields: Object.keys(input) },
    });
    return { before, after: (await findMergeRequest(tx, project.id, number))! };
  });
  const view = toMergeRequestView(after, await checksFor(res.db, project.id, [after.head_sha]));
  const action =
    before.state !== after.state ? (after.state === 'closed' ? 'closed' : 'reopened') : 'updated';
  await publishReviewEvent(res.logger, deps.onEvent, {
    type: 'merge_request',
    action,
    projectId: project.id,
    projectSlug: slug,
    actor: ctx.actor,
    mergeRequest: view,
  });
  return view;
}

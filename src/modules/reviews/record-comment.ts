import type { RequestContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/pool.ts';
import { isSystemActor } from '../../platform/http/actor.ts';
import { recordAudit } from '../identity/index.ts';
import { findIssueRecord, insertComment } from './store.ts';

/**
 * Writes a comment Orchard makes itself about a change it just made (an issue closed by a merge,
 * an agent session's outcome), with its audit row, in the caller's transaction. No role check (the
 * change it reports was checked) and no review event: it runs inside another change's transaction,
 * where listeners (which start operations of the project) must not. False when there is no such issue.
 */
export async function recordIssueComment(
  tx: Queryable,
  ctx: RequestContext,
  input: { projectId: string; number: number; body: string },
): Promise<boolean> {
  const issue = await findIssueRecord(tx, input.projectId, input.number);
  if (!issue) return false;
  await insertComment(tx, {
    projectId: input.projectId,
    issueId: issue.id,
    authorId: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
    body: input.body,
  });
  await recordAudit(tx, ctx, {
    action: 'comment.create',
    target: { type: 'issue', id: issue.id },
    projectId: input.projectId,
    data: { number: input.number },
  });
  return true;
}

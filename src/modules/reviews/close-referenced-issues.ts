import type { RequestContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/pool.ts';
import { recordAudit } from '../identity/index.ts';
import { closingReferences } from './closing-references.ts';
import { findIssue } from './find-issue.ts';
import { recordIssueComment } from './record-comment.ts';
import type { IssueView } from './schemas.ts';
import { closeIssueIfOpen } from './store.ts';
import { toIssueView } from './views.ts';

/**
 * Closes the open issues a merged merge request names with a closing keyword (`Closes #12`,
 * `Fixes #3, #4`) in its description or in the messages of the commits it brings in, each with a
 * "Closed by !N" comment from whoever merged and an audit row — in the merge's transaction, so a
 * merge that does not happen closes nothing. Issues already closed, or that do not exist, are left
 * alone. Returns the issues it closed, for their `closed` events.
 */
export async function closeReferencedIssues(
  tx: Queryable,
  ctx: RequestContext,
  input: { projectId: string; mergeRequestNumber: number; texts: string[] },
): Promise<IssueView[]> {
  const closed: IssueView[] = [];
  for (const number of closingReferences(input.texts.join('\n'))) {
    const id = await closeIssueIfOpen(tx, input.projectId, number);
    if (!id) continue;
    await recordAudit(tx, ctx, {
      action: 'issue.close',
      target: { type: 'issue', id },
      projectId: input.projectId,
      data: { number, mergeRequest: input.mergeRequestNumber },
    });
    await recordIssueComment(tx, ctx, {
      projectId: input.projectId,
      number,
      body: `Closed by !${input.mergeRequestNumber}.`,
    });
    closed.push(toIssueView((await findIssue(tx, input.projectId, number))!));
  }
  return closed;
}

import type { RequestContext } from '../../platform/context.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Resources } from '../../platform/resources.ts';
import { branchHead, checkMergeability, openRepository } from '../git/index.ts';
import { checksFor } from './check-store.ts';
import { findMergeRequest } from './find-merge-request.ts';
import type { MergeRequestRow } from './merge-request-store.ts';
import { mergeBlockers } from './protection/merge-blockers.ts';
import { requiredChecksFor } from './protection/required-checks.ts';
import type { MergeRequestView } from './schemas.ts';
import { toMergeRequestView } from './views.ts';

/** Whether an open merge request can merge now (computed live with git merge-tree; no worktree). */
export async function computeMergeability(
  repo: string,
  mr: MergeRequestRow,
): Promise<NonNullable<MergeRequestView['mergeability']>> {
  const [target, source] = await Promise.all([
    branchHead(repo, mr.target_branch),
    branchHead(repo, mr.source_branch),
  ]);
  if (!target || !source) return { status: 'missing_branch', conflicts: [] };
  const m = await checkMergeability(repo, target, source);
  if (m.upToDate) return { status: 'up_to_date', conflicts: [] };
  if (m.fastForward) return { status: 'fast_forward', conflicts: [] };
  return m.conflicts.length
    ? { status: 'conflict', conflicts: m.conflicts }
    : { status: 'mergeable', conflicts: [] };
}

/**
 * One merge request with its head commit's checks and, while open, its mergeability and what the
 * target branch's required checks still block.
 */
export async function getMergeRequest(
  res: Resources,
  ctx: RequestContext,
  slug: string,
  number: number,
): Promise<MergeRequestView> {
  const { project, repo } = await openRepository(res.db, res.config.home, ctx.actor, slug, 'viewer');
  const mr = await findMergeRequest(res.db, project.id, number);
  if (!mr) throw new NotFoundError(`No merge request !${number} in "${slug}".`);
  const checks = await checksFor(res.db, project.id, [mr.head_sha]);
  const view = toMergeRequestView(mr, checks);
  if (mr.state !== 'open') return view;
  view.mergeability = await computeMergeability(repo, mr);
  const required = await requiredChecksFor(res.db, project.id, mr.target_branch);
  if (required.length)
    view.protection = { requiredChecks: required, blockers: mergeBlockers(required, checks) };
  return view;
}

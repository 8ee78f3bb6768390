import type { RequestContext } from '../../platform/context.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Resources } from '../../platform/resources.ts';
import { branchHead, checkMergeability, openRepository } from '../git/index.ts';
import { listReviews } from './approvals/list-reviews.ts';
import { checksFor } from './check-store.ts';
import { findMergeRequest } from './find-merge-request.ts';
import type { MergeRequestRow } from './merge-request-store.ts';
import { findMergeBlockers } from './protection/find-merge-blockers.ts';
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
 * One merge request with its head commit's checks and its reviews and, while open, its
 * mergeability and what the target branch's rule still blocks (checks, approvals).
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
  view.reviews = await listReviews(res.db, mr);
  if (mr.state !== 'open') return view;
  view.mergeability = await computeMergeability(repo, mr);
  const protection = await findMergeBlockers(res.db, mr, mr.head_sha, checks);
  // An empty rule with nothing blocking: there is nothing to show.
  if (
    protection &&
    (protection.requiredChecks.length || protection.requiredApprovals || protection.blockers.length)
  )
    view.protection = protection;
  return view;
}

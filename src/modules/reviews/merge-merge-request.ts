import path from 'node:path';
import type { RequestContext } from '../../platform/context.ts';
import { withTransaction } from '../../platform/db/pool.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import { isSystemActor } from '../../platform/http/actor.ts';
import { requireUndelegated } from '../../platform/http/delegated-actor.ts';
import type { Resources } from '../../platform/resources.ts';
import {
  branchHead,
  checkMergeability,
  createMergeCommit,
  DEFAULT_BRANCH,
  handlePush,
  listCommits,
  openRepository,
  PROTECTED_BRANCHES,
  updateRef,
} from '../git/index.ts';
import { findUserById, recordAudit } from '../identity/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import { checksFor } from './check-store.ts';
import { closeReferencedIssues } from './close-referenced-issues.ts';
import { publishReviewEvent, type ReviewDeps } from './events.ts';
import { findMergeRequest } from './find-merge-request.ts';
import { updateMergeRequest } from './merge-request-store.ts';
import { findMergeBlockers } from './protection/find-merge-blockers.ts';
import { RequiredChecksError } from './protection/merge-blockers.ts';
import type { IssueView, MergeBody } from './schemas.ts';
import { toMergeRequestView } from './views.ts';

/** Merging is for people: what an agent proposes, someone accepts. */
export const AGENTS_CANNOT_MERGE =
  'Agent tokens cannot merge: an agent opens and updates merge requests, a person merges them';

/**
 * Merges an open merge request: a fast-forward, or a merge commit made in a temporary worktree.
 * The target branch moves with a compare-and-swap, so a concurrent push makes this a 409, never a
 * lost update. A conflict is a 409 listing the conflicting paths. Merging into a protected branch
 * needs a maintainer, like pushing to it, and what its rule requires on the commit merged in:
 * passing checks, enough approvals, no request for changes standing (else a 409 listing each
 * `blocker`). Merged into the default branch, it closes the issues its
 * description or commits name with a closing keyword (`Closes #12`), as GitHub and GitLab do.
 */
export async function mergeMergeRequest(
  res: Resources,
  deps: ReviewDeps,
  ctx: RequestContext,
  slug: string,
  number: number,
  input: MergeBody,
) {
  requireUndelegated(ctx.actor, AGENTS_CANNOT_MERGE);
  const { project, repo } = await openRepository(res.db, res.config.home, ctx.actor, slug, 'developer');
  const mr = await findMergeRequest(res.db, project.id, number);
  if (!mr) throw new NotFoundError(`No merge request !${number} in "${slug}".`);
  if (mr.state !== 'open') throw new ConflictError(`Merge request !${number} is ${mr.state}.`);
  if (PROTECTED_BRANCHES.includes(mr.target_branch))
    await requireProjectRole(res.db, ctx.actor, slug, 'maintainer');

  const [targetSha, sourceSha] = await Promise.all([
    branchHead(repo, mr.target_branch),
    branchHead(repo, mr.source_branch),
  ]);
  if (!targetSha || !sourceSha)
    throw new ConflictError(`The ${targetSha ? 'source' : 'target'} branch no longer exists.`);
  const m = await checkMergeability(repo, targetSha, sourceSha);
  if (m.upToDate)
    throw new ConflictError(
      `"${mr.target_branch}" already contains "${mr.source_branch}"; nothing to merge.`,
    );
  if (m.conflicts.length) {
    throw new ConflictError(
      `The merge conflicts in ${m.conflicts.length} file(s): ${m.conflicts.join(', ')}. Merge "${mr.target_branch}" into "${mr.source_branch}", resolve, and push.`,
      {
        conflicts: m.conflicts,
      },
    );
  }
  const protection = await findMergeBlockers(
    res.db,
    mr,
    sourceSha,
    await checksFor(res.db, project.id, [sourceSha]),
  );
  if (protection?.blockers.length)
    throw new RequiredChecksError(mr.target_branch, sourceSha, protection.blockers);
  let newSha: string;
  if (input.method === 'fast-forward') {
    if (!m.fastForward)
      throw new ConflictError(
        `"${mr.target_branch}" cannot be fast-forwarded to "${mr.source_branch}"; rebase it or merge with a merge commit.`,
      );
    newSha = sourceSha;
  } else {
    const user = isSystemActor(ctx.actor) ? undefined : await findUserById(res.db, ctx.actor.userId);
    newSha = await createMergeCommit(repo, path.join(res.config.home, 'work', 'merges'), {
      targetSha,
      sourceSha,
      // A blank message would make git refuse the commit: it means "the default" here.
      message:
        input.message?.trim() ||
        `Merge branch '${mr.source_branch}' into '${mr.target_branch}'\n\n${mr.title} (!${mr.number})`,
      identity: { name: ctx.actor.username, email: user?.email ?? `${ctx.actor.username}@orchard.local` },
    });
  }
  // What the merge brings in may close issues: the description and the messages of its commits.
  const closing =
    mr.target_branch === DEFAULT_BRANCH
      ? [
          mr.description,
          ...(await listCommits(repo, { sha: sourceSha, exclude: targetSha, skip: 0, limit: 1_000 })).map(
            (c) => c.message,
          ),
        ]
      : [];
  const ref = `refs/heads/${mr.target_branch}`;
  let moved = false;
  let closedIssues: IssueView[] = [];
  const merged = await withTransaction(res.db, async (tx) => {
    await updateMergeRequest(tx, mr.id, {
      state: 'merged',
      headSha: sourceSha,
      mergeCommitSha: newSha,
      mergedBy: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
    });
    await recordAudit(tx, ctx, {
      action: 'merge_request.merge',
      target: { type: 'merge_request', id: mr.id },
      projectId: project.id,
      data: { number, method: input.method, sha: newSha },
    });
    closedIssues = await closeReferencedIssues(tx, ctx, {
      projectId: project.id,
      mergeRequestNumber: number,
      texts: closing,
    });
    const row = (await findMergeRequest(tx, project.id, number))!;
    // The branch moves last, once everything else is written: a failure before this leaves it
    // where it was, and a lost compare-and-swap rolls the rows back.
    if (!(await updateRef(repo, ref, newSha, targetSha))) {
      throw new ConflictError(`"${mr.target_branch}" moved while merging; try again.`);
    }
    moved = true;
    return row;
  }).catch(async (error) => {
    // Only the commit itself failed after the branch moved: put the branch back (if nobody
    // pushed meanwhile), so the merge request and its branch still agree.
    if (moved) await updateRef(repo, ref, targetSha, newSha).catch(() => undefined);
    throw error;
  });
  await handlePush(res, deps.onPush, {
    projectId: project.id,
    projectSlug: slug,
    repo,
    actor: ctx.actor,
    updates: [{ ref, oldSha: targetSha, newSha }],
  });
  const view = toMergeRequestView(merged, await checksFor(res.db, project.id, [merged.head_sha]));
  await publishReviewEvent(res.logger, deps.onEvent, {
    type: 'merge_request',
    action: 'merged',
    projectId: project.id,
    projectSlug: slug,
    actor: ctx.actor,
    mergeRequest: view,
  });
  for (const issue of closedIssues)
    await publishReviewEvent(res.logger, deps.onEvent, {
      type: 'issue',
      action: 'closed',
      projectId: project.id,
      projectSlug: slug,
      actor: ctx.actor,
      issue,
    });
  return view;
}

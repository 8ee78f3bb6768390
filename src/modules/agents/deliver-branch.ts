import { ConflictError, ForbiddenError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/http/actor.ts';
import type { Resources } from '../../platform/resources.ts';
import {
  agentRefRefusal,
  DEFAULT_BRANCH,
  handlePush,
  type PushListener,
  type RefUpdate,
  scanRefUpdates,
  updateRef,
  ZERO_SHA,
} from '../git/index.ts';
import {
  createMergeRequest,
  openMergeRequestsOn,
  type ReviewListener,
  updateMergeRequest,
} from '../reviews/index.ts';

/** What delivering needs from the composition root: the same listeners an HTTP push reaches. */
export type DeliveryDeps = Resources & { onPush: PushListener[]; onEvent: ReviewListener[] };

export interface DeliveredBranch {
  sha: string;
  /** The number of the open merge request into the default branch (new or existing). */
  mergeRequestNumber: number;
  mergeRequestOpened: boolean;
}

/**
 * Makes agent work visible exactly as a push would: scans what it adds for secrets (a finding
 * refuses the delivery with SecretsFoundError, the branch unmoved), moves the branch (compare-and-swap on the
 * head the agent started from), hands the ref updates to push handling (recorded activity,
 * pipelines, merge-request synchronization, webhooks), then opens a merge request into the
 * default branch unless one from the branch is open already (whatever its target).
 */
export async function deliverBranch(
  deps: DeliveryDeps,
  input: {
    repo: string;
    projectId: string;
    projectSlug: string;
    actor: Actor;
    branch: string;
    sha: string;
    /** The branch's head before the agent ran; undefined when the branch is new. */
    previousSha: string | undefined;
    title: string;
    description: string;
    /**
     * Rewrite an open merge request's description when it differs (a Studio rebuild describes the
     * Blueprint version it built; an agent session's merge request keeps what people wrote).
     */
    refreshDescription?: boolean;
  },
): Promise<DeliveredBranch> {
  const ref = `refs/heads/${input.branch}`;
  const updates: RefUpdate[] = [];
  const oldSha = input.previousSha ?? ZERO_SHA;
  // An agent token moves only its own branches, here as over HTTP.
  const delegation = input.actor.delegation;
  const refusal = delegation && agentRefRefusal(delegation, { ref, oldSha, newSha: input.sha });
  if (refusal) throw new ForbiddenError(`${refusal[0]!.toUpperCase()}${refusal.slice(1)}.`);
  if (oldSha !== input.sha) {
    // What an agent adds is scanned for secrets as a person's push is.
    await scanRefUpdates(deps, { ...input, updates: [{ ref, oldSha, newSha: input.sha }] });
    if (!(await updateRef(input.repo, ref, input.sha, oldSha))) {
      throw new ConflictError(
        `Branch ${input.branch} moved while the agent worked; run the build again on the new head.`,
      );
    }
    updates.push({ ref, oldSha, newSha: input.sha });
  }
  if (updates.length) {
    await handlePush(deps, deps.onPush, {
      projectId: input.projectId,
      projectSlug: input.projectSlug,
      repo: input.repo,
      actor: input.actor,
      updates,
    });
  }
  // The branch's open merge request, whatever its target (one into the default branch first): work
  // asked for on a merge request into another branch lands on that merge request, not a second one.
  const fromBranch = await openMergeRequestsOn(deps.db, input.projectId, 'source', input.branch);
  const open = fromBranch.find((mr) => mr.target_branch === DEFAULT_BRANCH) ?? fromBranch[0];
  if (open) {
    if (input.refreshDescription && open.description !== input.description)
      await updateMergeRequest(deps, deps, { actor: input.actor }, input.projectSlug, open.number, {
        description: input.description,
      });
    return { sha: input.sha, mergeRequestNumber: open.number, mergeRequestOpened: false };
  }
  const created = await createMergeRequest(deps, deps, { actor: input.actor }, input.projectSlug, {
    title: input.title,
    description: input.description,
    sourceBranch: input.branch,
    targetBranch: DEFAULT_BRANCH,
  });
  return { sha: input.sha, mergeRequestNumber: created.number, mergeRequestOpened: true };
}

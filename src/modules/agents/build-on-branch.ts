import path from 'node:path';
import type { Actor } from '../../platform/http/actor.ts';
import { ensureRepository, handlePush } from '../git/index.ts';
import type { AgentEvent, AgentRuntime, AgentTask } from './agent-runtime.ts';
import { type DeliveryDeps, deliverBranch } from './deliver-branch.ts';
import { type AgentOutcome, driveAgent } from './drive-agent.ts';
import { projectAgentActor } from './sessions/agent-principal-actor.ts';
import {
  type CommitIdentity,
  closeWorkspace,
  commitWorkspace,
  ensureDefaultBranch,
  openWorkspace,
  removeStaleWorkspaces,
} from './workspace.ts';

export interface BuildOnBranchInput {
  project: { id: string; slug: string; name: string };
  /** `orchard/<feature-slug>`. */
  branch: string;
  runtime: AgentRuntime;
  task: AgentTask;
  /**
   * Who asked for the build. The push and the merge request are the project's agent principal's,
   * acting for this person (`agent-shop (for alice)`: pushes only to `orchard/*`, never the
   * person's own scopes); the repository's first commit on the default branch, which no agent may
   * push, is announced as theirs.
   */
  requester: Actor;
  identity: CommitIdentity;
  mergeRequest: { title: string; description: string };
  signal: AbortSignal;
  operationId?: string;
  onEvent?: (event: AgentEvent) => void | Promise<void>;
}

export interface BuildOnBranchResult extends AgentOutcome {
  branch: string;
  baseSha: string;
  sha: string;
  /** False when the agent's work was identical to the branch's head (nothing was pushed). */
  changed: boolean;
  mergeRequestNumber: number;
  mergeRequestOpened: boolean;
  runtime: string;
}

/**
 * One agent run, end to end: a worktree at the branch's head (the default branch gets a first
 * commit if the repository is empty), the runtime's work, a commit, the branch moved with push
 * handling, and the merge request. The worktree is removed whatever happens.
 */
export async function buildOnBranch(
  deps: DeliveryDeps,
  input: BuildOnBranchInput,
): Promise<BuildOnBranchResult> {
  const { project } = input;
  const repo = await ensureRepository(deps.config.home, project.slug);
  const initial = await ensureDefaultBranch(repo, { projectName: project.name, identity: input.identity });
  const agent = await projectAgentActor(deps.db, { actor: input.requester }, project);
  if (initial)
    await handlePush(deps, deps.onPush, {
      projectId: project.id,
      projectSlug: project.slug,
      repo,
      actor: input.requester,
      updates: [initial],
    });
  const workRoot = path.join(deps.config.home, 'work');
  // A worker killed mid-build leaves its worktree; whoever builds next on this machine removes it.
  const stale = await removeStaleWorkspaces(deps.db, deps.config.home, workRoot).catch((error) => {
    deps.logger.warn({ err: error }, 'could not remove stale agent workspaces');
    return [];
  });
  if (stale.length) deps.logger.info({ removed: stale }, 'removed agent workspaces of ended builds');
  const workspace = await openWorkspace(repo, workRoot, {
    branch: input.branch,
    projectSlug: project.slug,
    operationId: input.operationId,
  });
  try {
    const outcome = await driveAgent(input.runtime, input.task, workspace, {
      signal: input.signal,
      operationId: input.operationId,
      projectId: project.id,
      onEvent: input.onEvent,
    });
    input.signal.throwIfAborted();
    const commit = await commitWorkspace(workspace, {
      message: outcome.commitMessage ?? input.task.title,
      identity: input.identity,
    });
    const delivered = await deliverBranch(deps, {
      repo,
      projectId: project.id,
      projectSlug: project.slug,
      actor: agent,
      branch: input.branch,
      sha: commit.sha,
      previousSha: workspace.branchExisted ? workspace.baseSha : undefined,
      title: input.mergeRequest.title,
      description: input.mergeRequest.description,
      // A rebuild describes what it built now, not what the first build did.
      refreshDescription: true,
    });
    return {
      ...outcome,
      ...delivered,
      branch: input.branch,
      baseSha: workspace.baseSha,
      changed: commit.changed,
      runtime: input.runtime.name,
    };
  } finally {
    await closeWorkspace(repo, workspace).catch((error) =>
      deps.logger.warn({ err: error, dir: workspace.dir }, 'agents: could not remove a workspace'),
    );
  }
}

/**
 * Agent workspaces: git worktrees of the project's bare repository under `<home>/work/agents/`.
 * Commits made in a worktree land in the bare repository's object store at once; only moving the
 * branch ref (deliver-branch.ts) makes them visible.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Queryable } from '../../platform/db/pool.ts';
import {
  addWorktree,
  branchHead,
  DEFAULT_BRANCH,
  git,
  type RefUpdate,
  removeWorktree,
  repositoryPath,
  runGit,
  updateRef,
  ZERO_SHA,
} from '../git/index.ts';
import { findLiveOperations } from '../operations/index.ts';
import type { AgentWorkspace } from './agent-runtime.ts';
import { discardCheckpointIndex } from './sessions/checkpoint.ts';
import { workspaceGitEnv, worktreeGitDir } from './workspace-git-env.ts';

export interface CommitIdentity {
  name: string;
  email: string;
}

/** Who scaffold commits are by. */
export const SCAFFOLD_IDENTITY: CommitIdentity = { name: 'Orchard scaffold', email: 'orchard@localhost' };

const identityEnv = (who: CommitIdentity) => ({
  GIT_AUTHOR_NAME: who.name,
  GIT_AUTHOR_EMAIL: who.email,
  GIT_COMMITTER_NAME: who.name,
  GIT_COMMITTER_EMAIL: who.email,
});

/**
 * Gives an empty repository a first commit on the default branch (a README), so a feature branch
 * has a base to be merged into. Returns the ref update to announce, or undefined when the branch
 * already had commits.
 */
export async function ensureDefaultBranch(
  repo: string,
  input: { projectName: string; identity: CommitIdentity },
): Promise<RefUpdate | undefined> {
  if (await branchHead(repo, DEFAULT_BRANCH)) return undefined;
  const readme = `# ${input.projectName}\n\nCreated by Orchard. Feature branches (\`orchard/…\`) arrive as merge requests.\n`;
  const blob = (await git(['hash-object', '-w', '--stdin'], { cwd: repo, input: readme })).trim();
  const tree = (await git(['mktree'], { cwd: repo, input: `100644 blob ${blob}\tREADME.md\n` })).trim();
  const commit = (
    await git(['commit-tree', tree, '-m', 'Initial commit'], { cwd: repo, env: identityEnv(input.identity) })
  ).trim();
  const ref = `refs/heads/${DEFAULT_BRANCH}`;
  // Someone may have pushed meanwhile: then their commit is the base, and there is nothing to announce.
  if (!(await updateRef(repo, ref, commit, ZERO_SHA))) return undefined;
  return { ref, oldSha: ZERO_SHA, newSha: commit };
}

const UUID = /-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\.scratch)?$/;

/**
 * A worktree at the head of `branch` (or of the default branch when `branch` does not exist yet).
 * Named after the operation when there is one (`<slug>-<operation id>`), so a retry of a build whose
 * worker died replaces the leftover, and removeStaleWorkspaces can tell when it is no longer needed.
 */
export async function openWorkspace(
  repo: string,
  workRoot: string,
  input: { branch: string; projectSlug: string; operationId?: string },
): Promise<AgentWorkspace & { branchExisted: boolean }> {
  const head = await branchHead(repo, input.branch);
  const baseSha = head ?? (await branchHead(repo, DEFAULT_BRANCH));
  if (!baseSha) throw new Error(`The repository has no ${DEFAULT_BRANCH} branch to start from.`);
  const suffix = input.operationId ?? randomBytes(6).toString('hex');
  const dir = path.join(workRoot, 'agents', `${input.projectSlug}-${suffix}`);
  await addWorktree(repo, dir, baseSha);
  const gitDir = await worktreeGitDir(dir);
  return {
    dir,
    gitDir,
    branch: input.branch,
    baseSha,
    projectSlug: input.projectSlug,
    branchExisted: Boolean(head),
  };
}

export async function closeWorkspace(repo: string, workspace: AgentWorkspace): Promise<void> {
  await removeWorktree(repo, workspace.dir);
}

/**
 * Removes the workspaces a killed worker left behind: those named after an operation that has ended
 * (or no longer exists), with an agent session's scratch directory and checkpoint index beside
 * them. Workspaces of queued or running operations, and unnamed ones, stay.
 * Returns the directories removed.
 */
export async function removeStaleWorkspaces(
  db: Queryable,
  home: string,
  workRoot: string,
): Promise<string[]> {
  const root = path.join(workRoot, 'agents');
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const named = entries.flatMap((e) => {
    const m = e.isDirectory() ? UUID.exec(e.name) : null;
    return m
      ? [{ name: e.name, slug: e.name.slice(0, -m[0].length), operationId: m[1]!, scratch: Boolean(m[2]) }]
      : [];
  });
  if (!named.length) return [];
  const live = await findLiveOperations(
    db,
    named.map((n) => n.operationId),
  );
  const removed: string[] = [];
  for (const n of named) {
    if (live.has(n.operationId)) continue;
    const dir = path.join(root, n.name);
    const repo = repositoryPath(home, n.slug);
    if (!n.scratch && existsSync(repo)) await removeWorktree(repo, dir);
    else await rm(dir, { recursive: true, force: true });
    if (!n.scratch) await discardCheckpointIndex(dir);
    removed.push(dir);
  }
  return removed;
}

/**
 * Commits everything in the worktree (new, changed and deleted files) on top of what the agent
 * may have committed itself; returns the worktree's head and whether it differs from the base.
 */
export async function commitWorkspace(
  workspace: AgentWorkspace,
  input: { message: string; identity: CommitIdentity },
): Promise<{ sha: string; changed: boolean }> {
  const cwd = workspace.dir;
  const env = workspaceGitEnv(workspace);
  await git(['add', '--all'], { cwd, env });
  const staged = await runGit(['diff', '--cached', '--quiet'], { cwd, env });
  if (staged.code !== 0) {
    await git(['commit', '--quiet', '--no-verify', '--no-gpg-sign', '-m', input.message], {
      cwd,
      env: { ...env, ...identityEnv(input.identity) },
    });
  }
  const sha = (await git(['rev-parse', 'HEAD'], { cwd, env })).trim();
  return { sha, changed: sha !== workspace.baseSha };
}

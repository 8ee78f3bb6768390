/**
 * Agent workspaces: git worktrees of the project's bare repository under `<home>/work/agents/`.
 * Commits made in a worktree land in the bare repository's object store at once; only moving the
 * branch ref (deliver-branch.ts) makes them visible.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  addWorktree,
  branchHead,
  DEFAULT_BRANCH,
  git,
  type RefUpdate,
  removeWorktree,
  runGit,
  updateRef,
  ZERO_SHA,
} from '../git/index.ts';
import type { AgentWorkspace } from './agent-runtime.ts';

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

/** A worktree at the head of `branch` (or of the default branch when `branch` does not exist yet). */
export async function openWorkspace(
  repo: string,
  workRoot: string,
  input: { branch: string; projectSlug: string },
): Promise<AgentWorkspace & { branchExisted: boolean }> {
  const head = await branchHead(repo, input.branch);
  const baseSha = head ?? (await branchHead(repo, DEFAULT_BRANCH));
  if (!baseSha) throw new Error(`The repository has no ${DEFAULT_BRANCH} branch to start from.`);
  const dir = path.join(workRoot, 'agents', `${input.projectSlug}-${randomBytes(6).toString('hex')}`);
  await addWorktree(repo, dir, baseSha);
  return { dir, branch: input.branch, baseSha, projectSlug: input.projectSlug, branchExisted: Boolean(head) };
}

export async function closeWorkspace(repo: string, workspace: AgentWorkspace): Promise<void> {
  await removeWorktree(repo, workspace.dir);
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
  await git(['add', '--all'], { cwd });
  const staged = await runGit(['diff', '--cached', '--quiet'], { cwd });
  if (staged.code !== 0) {
    await git(['commit', '--quiet', '--no-verify', '--no-gpg-sign', '-m', input.message], {
      cwd,
      env: identityEnv(input.identity),
    });
  }
  const sha = (await git(['rev-parse', 'HEAD'], { cwd })).trim();
  return { sha, changed: sha !== workspace.baseSha };
}

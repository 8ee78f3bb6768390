/**
 * What setup made in a workspace: the paths git neither tracks nor had before setup ran —
 * ignored ones (node_modules, build caches) and untracked ones — as `git status` lists them
 * (a directory none of whose files git knows is one entry). Read through the worktree's own git
 * directory named explicitly (workspaceGitEnv): the workspace belongs to the sandbox.
 */
import { git } from '../../git/index.ts';
import type { AgentWorkspace } from '../agent-runtime.ts';
import { workspaceGitEnv } from '../workspace-git-env.ts';

export interface UntrackedPath {
  /** Relative to the workspace, `/`-separated, without a trailing slash. */
  path: string;
  /** Ignored by `.gitignore` (else untracked, and an agent's commit would take it in). */
  ignored: boolean;
}

export async function untrackedPaths(
  workspace: Pick<AgentWorkspace, 'dir' | 'gitDir'>,
): Promise<UntrackedPath[]> {
  const out = await git(
    ['status', '--porcelain=v1', '-z', '--ignored=traditional', '--untracked-files=normal', '--no-renames'],
    { cwd: workspace.dir, env: workspaceGitEnv(workspace) },
  );
  const paths: UntrackedPath[] = [];
  for (const record of out.split('\0')) {
    const status = record.slice(0, 2);
    if (status !== '??' && status !== '!!') continue;
    // A trailing slash would make tar follow a directory that is a symlink.
    const file = record.slice(3).replace(/\/+$/, '');
    if (file) paths.push({ path: file, ignored: status === '!!' });
  }
  return paths;
}

/** The paths in `after` that `before` did not have: what setup made. */
export function madeBySetup(before: UntrackedPath[], after: UntrackedPath[]): UntrackedPath[] {
  const had = new Set(before.map((p) => p.path));
  return after.filter((p) => !had.has(p.path));
}

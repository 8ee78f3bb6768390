import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { git, runGit } from './git-process.ts';

/**
 * Checks out `sha` (detached) from the bare repository into `dir`, a fresh worktree. Used by
 * pipeline jobs and merges; remove it with `removeWorktree` when done.
 */
export async function addWorktree(repo: string, dir: string, sha: string): Promise<string> {
  await mkdir(path.dirname(dir), { recursive: true });
  await rm(dir, { recursive: true, force: true });
  // A worker that died mid-job leaves its worktree registered; a retry at the same path needs it gone.
  await runGit(['worktree', 'prune'], { cwd: repo });
  await git(['worktree', 'add', '--quiet', '--detach', '--', dir, sha], { cwd: repo });
  return dir;
}

export async function removeWorktree(repo: string, dir: string): Promise<void> {
  await runGit(['worktree', 'remove', '--force', '--force', '--', dir], { cwd: repo });
  await rm(dir, { recursive: true, force: true });
  await runGit(['worktree', 'prune'], { cwd: repo });
}

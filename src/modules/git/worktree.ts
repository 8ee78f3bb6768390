import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { git, runGit } from './git-process.ts';

/**
 * Worktree bookkeeping of one repository, one change at a time. `git worktree add` creates its
 * entry under `worktrees/` before it writes the entry's files (a HEAD of zeros first), and
 * `git worktree prune` deletes an entry without them: a prune of one job during another job's add
 * breaks that add ("failed to read worktrees/src1/commondir"), and a push received meanwhile
 * fails its connectivity check on the half-made HEAD ("bad object worktrees/src/HEAD"). Jobs of one
 * project run side by side and pushes arrive any time, so all of them queue here (in this process;
 * Orchard's supervisor, workers and git server share one in the embedded setup).
 */
const queues = new Map<string, Promise<unknown>>();

function serially<T>(repo: string, work: () => Promise<T>): Promise<T> {
  const key = path.resolve(repo);
  const run = (queues.get(key) ?? Promise.resolve()).then(work, work);
  const settled = run.catch(() => undefined);
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}

/**
 * Holds the repository's queue until the returned release is called: for `git receive-pack`, so
 * no worktree is half made while a push is checked.
 */
export function holdRepository(repo: string): Promise<() => void> {
  return new Promise((acquired) => {
    void serially(repo, () => new Promise<void>((release) => acquired(release)));
  });
}

/**
 * Checks out `sha` (detached) from the bare repository into `dir`, a fresh worktree. Used by
 * pipeline jobs and merges; remove it with `removeWorktree` when done.
 */
export async function addWorktree(repo: string, dir: string, sha: string): Promise<string> {
  await mkdir(path.dirname(dir), { recursive: true });
  await rm(dir, { recursive: true, force: true });
  // A worker that died mid-job leaves its worktree registered; `--force` lets a retry at the same
  // path take it over.
  await serially(repo, () =>
    git(['worktree', 'add', '--force', '--quiet', '--detach', '--', dir, sha], { cwd: repo }),
  );
  return dir;
}

export async function removeWorktree(repo: string, dir: string): Promise<void> {
  await serially(repo, () => runGit(['worktree', 'remove', '--force', '--force', '--', dir], { cwd: repo }));
  await rm(dir, { recursive: true, force: true });
  await serially(repo, () => runGit(['worktree', 'prune'], { cwd: repo }));
}

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorktree, removeWorktree } from './worktree.ts';

/**
 * Jobs of one project check out worktrees of one repository side by side; a prune of one must
 * never break another's add, and a worktree a dead worker left registered must not block a retry.
 */

let base: string;
let repo: string;
let sha: string;

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'orchard-worktree-'));
  repo = path.join(base, 'repo.git');
  const seed = path.join(base, 'seed');
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', repo]);
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', seed]);
  git(
    seed,
    '-c',
    'user.name=t',
    '-c',
    'user.email=t@example.test',
    'commit',
    '--quiet',
    '--allow-empty',
    '-m',
    'seed',
  );
  git(seed, 'push', '--quiet', repo, 'main');
  sha = git(seed, 'rev-parse', 'HEAD');
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('worktrees', () => {
  it('checks out and removes many worktrees of one repository at once, all named alike', async () => {
    // Every job's checkout is called `src`: git names their entries src, src1, src2… as they come.
    const rounds = await Promise.allSettled(
      Array.from({ length: 24 }, async (_, i) => {
        const dir = path.join(base, 'jobs', String(i), 'src');
        await addWorktree(repo, dir, sha);
        expect(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim()).toBe(sha);
        await removeWorktree(repo, dir);
        expect(existsSync(dir)).toBe(false);
      }),
    );
    const failed = rounds.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    expect(failed).toEqual([]);
    expect(
      existsSync(path.join(repo, 'worktrees')) ? await readdir(path.join(repo, 'worktrees')) : [],
    ).toEqual([]);
  });

  it('takes over the path of a worktree a dead worker left registered', async () => {
    const dir = path.join(base, 'retry', 'src');
    await addWorktree(repo, dir, sha);
    // The worker died: its directory is gone (a fresh machine, a cleaned disk), its entry is not.
    await rm(dir, { recursive: true, force: true });
    await addWorktree(repo, dir, sha);
    expect(existsSync(path.join(dir, '.git'))).toBe(true);
    await removeWorktree(repo, dir);
  });
});

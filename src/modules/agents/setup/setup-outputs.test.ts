import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitFiles, gitOk, localRepo } from '../../../../test/git.ts';
import { addWorktree, ensureRepository } from '../../git/index.ts';
import { worktreeGitDir } from '../workspace-git-env.ts';
import { madeBySetup, untrackedPaths } from './setup-outputs.ts';

describe('what setup made', () => {
  let home: string;
  let work: string;
  let workspace: { dir: string; gitDir: string };

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'orchard-setup-outputs-'));
    const bare = await ensureRepository(home, 'shop');
    work = await localRepo();
    const sha = await commitFiles(
      work,
      { '.gitignore': 'node_modules/\n*.log\n', 'src/app.js': 'app\n', 'package-lock.json': '{}\n' },
      'start',
    );
    await gitOk(['push', '-q', bare, 'main'], work);
    const dir = path.join(home, 'work', 'ws');
    await addWorktree(bare, dir, sha);
    workspace = { dir, gitDir: await worktreeGitDir(dir) };
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('lists ignored and untracked paths that were not there before, whole directories as one, links not followed', async () => {
    await writeFile(path.join(workspace.dir, 'notes.txt'), 'there before setup\n');
    const before = await untrackedPaths(workspace);
    expect(before).toEqual([{ path: 'notes.txt', ignored: false }]);

    await mkdir(path.join(workspace.dir, 'node_modules/left-pad'), { recursive: true });
    await writeFile(path.join(workspace.dir, 'node_modules/left-pad/index.js'), '1\n');
    await writeFile(path.join(workspace.dir, 'npm-debug.log'), 'log\n');
    await mkdir(path.join(workspace.dir, 'src/generated'), { recursive: true });
    await writeFile(path.join(workspace.dir, 'src/generated/types.js'), 'gen\n');
    await symlink('/etc', path.join(workspace.dir, 'etc-link'));
    await writeFile(path.join(workspace.dir, 'src/app.js'), 'changed by setup\n');

    const made = madeBySetup(before, await untrackedPaths(workspace));
    expect(made.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'etc-link', ignored: false },
      { path: 'node_modules', ignored: true },
      { path: 'npm-debug.log', ignored: true },
      { path: 'src/generated', ignored: false },
    ]);
  });

  it("never follows the workspace's own .git to find them", async () => {
    // The sandbox owns the workspace: a .git it planted must not decide what git reads.
    await rm(path.join(workspace.dir, '.git'));
    await mkdir(path.join(workspace.dir, '.git'));
    await writeFile(path.join(workspace.dir, '.git', 'HEAD'), 'garbage\n');
    expect((await untrackedPaths(workspace)).map((p) => p.path)).toContain('node_modules');
  });
});

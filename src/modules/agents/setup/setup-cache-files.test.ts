import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  branchScope,
  findSetupArchive,
  pruneSetupCache,
  SHARED_SCOPE,
  storeSetupArchive,
  touchSetupArchive,
} from './setup-cache-files.ts';

const KEY = 'a'.repeat(64);

describe('setup cache files', () => {
  let root: string;
  let cache: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'orchard-setup-cache-'));
    cache = path.join(root, 'cache', 'shop');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function made(text = 'archive') {
    const out = path.join(root, `out-${Math.random()}`);
    await mkdir(out);
    await writeFile(path.join(out, 'setup.tar'), text);
    return path.join(out, 'setup.tar');
  }

  it('stores an archive under its scope and key, owner-readable only, and finds it scope by scope', async () => {
    const branch = branchScope('orchard/agent-1');
    expect(branch).toMatch(/^branch-[0-9a-f]{16}$/);
    expect(branchScope('orchard/agent-2')).not.toBe(branch);
    const stored = await storeSetupArchive(cache, branch, KEY, await made());
    expect(path.basename(stored)).toBe(`${branch}-${KEY}.tar`);
    expect((await stat(stored)).mode & 0o777).toBe(0o400);
    expect(await findSetupArchive(cache, [SHARED_SCOPE], KEY)).toBeUndefined();
    expect(await findSetupArchive(cache, [branch, SHARED_SCOPE], KEY)).toBe(stored);
    const shared = await storeSetupArchive(cache, SHARED_SCOPE, KEY, await made());
    expect(await findSetupArchive(cache, [SHARED_SCOPE, branch], KEY)).toBe(shared);
    expect(await findSetupArchive(cache, [SHARED_SCOPE], 'b'.repeat(64))).toBeUndefined();
  });

  it('refuses to store anything but a regular file, and never finds a link', async () => {
    const link = path.join(root, 'link.tar');
    await symlink('/etc/passwd', link);
    await expect(storeSetupArchive(cache, SHARED_SCOPE, KEY, link)).rejects.toThrow(/not a regular file/);
    await mkdir(cache, { recursive: true });
    await symlink('/etc/passwd', path.join(cache, `${SHARED_SCOPE}-${KEY}.tar`));
    expect(await findSetupArchive(cache, [SHARED_SCOPE], KEY)).toBeUndefined();
  });

  it('keeps the archives used last and removes the rest, with stale temporary files', async () => {
    const names: string[] = [];
    for (let i = 0; i < 7; i++) {
      const key = String(i).repeat(64);
      const file = await storeSetupArchive(cache, SHARED_SCOPE, key, await made());
      // Oldest first: archive 0 was used longest ago.
      const when = new Date(Date.UTC(2024, 0, 1, 0, i));
      await utimes(file, when, when);
      names.push(path.basename(file));
    }
    // Archive 1 was just used again: it stays.
    await touchSetupArchive(path.join(cache, names[1]!));
    await writeFile(path.join(cache, '.old.tmp'), 'half a copy');
    const old = new Date(Date.now() - 2 * 3_600_000);
    await utimes(path.join(cache, '.old.tmp'), old, old);
    await writeFile(path.join(cache, '.new.tmp'), 'a copy in progress');

    const removed = await pruneSetupCache(cache, 5);
    expect(removed.sort()).toEqual([names[0], names[2], '.old.tmp'].sort());
    expect((await readdir(cache)).sort()).toEqual(
      ['.new.tmp', ...names.filter((_, i) => i !== 0 && i !== 2)].sort(),
    );
    expect(existsSync(path.join(cache, names[1]!))).toBe(true);
    expect(await pruneSetupCache(path.join(root, 'nothing-here'))).toEqual([]);
  });
});

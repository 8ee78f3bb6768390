import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/app.ts';
import {
  addMember,
  createProjectAs,
  gitCli,
  gitOk,
  listenApp,
  localRepo,
  remoteUrl,
} from '../../../../test/git.ts';
import { lfsObjectKey } from './object-key.ts';

/**
 * The Debian git-lfs client against a running Orchard: push and clone a 20 MB object, who may
 * upload, and locks. git runs with a HOME of its own where `git lfs install --skip-repo` set the
 * filters (the real ~/.gitconfig is never touched).
 */
let t: TestApp;
let base: string;
type User = Awaited<ReturnType<TestApp['user']>>;
let owner: User;
let dev: User;
let dev2: User;
let viewer: User;
const slug = 'lfs-client';
let env: Record<string, string>;
let bigOid: string;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const git = (args: string[], cwd: string, extra: Record<string, string> = {}) =>
  gitCli(args, cwd, { ...env, ...extra });
const gitLfsOk = (args: string[], cwd: string, extra: Record<string, string> = {}) =>
  gitOk(args, cwd, { ...env, ...extra });

beforeAll(async () => {
  t = await createTestApp();
  base = await listenApp(t);
  [owner, dev, dev2, viewer] = await Promise.all([
    t.user('member'),
    t.user('member'),
    t.user('member'),
    t.user('member'),
  ]);
  await createProjectAs(t, owner.token, slug);
  await addMember(t, owner.token, slug, dev.user.username, 'developer');
  await addMember(t, owner.token, slug, dev2.user.username, 'developer');
  await addMember(t, owner.token, slug, viewer.user.username, 'viewer');
  const home = await mkdtemp(path.join(os.tmpdir(), 'orchard-lfs-home-'));
  env = { HOME: home, GIT_TERMINAL_PROMPT: '0' };
  await gitLfsOk(['lfs', 'install', '--skip-repo'], home);
});
afterAll(async () => t?.close());

describe('the git-lfs client', () => {
  it('pushes a 20 MB object into the blob store, and a fresh clone gets the same bytes', {
    timeout: 180_000,
  }, async () => {
    const work = await localRepo();
    await gitLfsOk(['lfs', 'install'], work);
    await gitLfsOk(['lfs', 'track', '*.bin'], work);
    const bytes = randomBytes(20 * 1024 * 1024);
    bigOid = sha256(bytes);
    await writeFile(path.join(work, 'big.bin'), bytes);
    await gitLfsOk(['add', '.gitattributes', 'big.bin'], work);
    await gitLfsOk(['commit', '-q', '-m', 'a large file'], work);
    expect(await gitLfsOk(['lfs', 'ls-files', '--long'], work)).toContain(`${bigOid} * big.bin`);

    const pushed = await git(['push', remoteUrl(base, slug, owner.token), 'main'], work);
    expect(pushed.code, pushed.stderr).toBe(0);
    const project = (await t.res.db.query('SELECT id FROM projects WHERE slug = $1', [slug])).rows[0];
    const row = await t.res.db.query('SELECT size FROM lfs_objects WHERE project_id = $1 AND oid = $2', [
      project.id,
      bigOid,
    ]);
    expect(row.rows).toEqual([{ size: bytes.length }]);
    expect((await t.res.blobs.get(lfsObjectKey(project.id, bigOid)))?.size).toBe(bytes.length);
    // The repository holds the pointer, not the bytes.
    const probe = await localRepo();
    await gitOk(['fetch', '-q', remoteUrl(base, slug, owner.token), 'main'], probe);
    const pointer = await gitOk(['cat-file', '-p', 'FETCH_HEAD:big.bin'], probe);
    expect(pointer).toContain(`oid sha256:${bigOid}`);

    const clones = await mkdtemp(path.join(os.tmpdir(), 'orchard-lfs-clone-'));
    const cloned = await git(['clone', '-q', remoteUrl(base, slug, viewer.token), 'copy'], clones);
    expect(cloned.code, cloned.stderr).toBe(0);
    expect(sha256(await readFile(path.join(clones, 'copy', 'big.bin')))).toBe(bigOid);
  });

  it("refuses a viewer's LFS upload, and a developer's goes through", { timeout: 60_000 }, async () => {
    const work = await localRepo();
    await gitLfsOk(['lfs', 'install'], work);
    await gitLfsOk(['lfs', 'track', '*.bin'], work);
    const bytes = randomBytes(1024);
    await writeFile(path.join(work, 'small.bin'), bytes);
    await gitLfsOk(['add', '.gitattributes', 'small.bin'], work);
    await gitLfsOk(['commit', '-q', '-m', 'small'], work);
    const stored = async () =>
      (await t.res.db.query('SELECT 1 FROM lfs_objects WHERE oid = $1', [sha256(bytes)])).rowCount;
    // `git lfs push` alone: a plain `git push` would be refused by receive-pack first.
    const refused = await git(['lfs', 'push', remoteUrl(base, slug, viewer.token), 'main'], work);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/developer role/);
    expect(await stored()).toBe(0);
    await gitLfsOk(['lfs', 'push', remoteUrl(base, slug, dev.token), 'main'], work);
    expect(await stored()).toBe(1);
  });

  it('locks, lists and unlocks a file; a second person cannot lock it meanwhile', {
    timeout: 60_000,
  }, async () => {
    const clones = await mkdtemp(path.join(os.tmpdir(), 'orchard-lfs-locks-'));
    const skip = { GIT_LFS_SKIP_SMUDGE: '1' };
    await gitLfsOk(['clone', '-q', remoteUrl(base, slug, dev.token), 'mine'], clones, skip);
    await gitLfsOk(['clone', '-q', remoteUrl(base, slug, dev2.token), 'theirs'], clones, skip);
    const mine = path.join(clones, 'mine');
    const theirs = path.join(clones, 'theirs');

    expect(await gitLfsOk(['lfs', 'lock', 'big.bin'], mine)).toContain('Locked big.bin');
    const listed = await gitLfsOk(['lfs', 'locks'], theirs);
    expect(listed).toMatch(new RegExp(`big\\.bin\\s+${dev.user.username}\\s+ID:[0-9a-f-]{36}`));

    const taken = await git(['lfs', 'lock', 'big.bin'], theirs);
    expect(taken.code).not.toBe(0);
    expect(taken.stderr).toContain(`already locked by ${dev.user.username}`);
    const stolen = await git(['lfs', 'unlock', '--force', 'big.bin'], theirs);
    expect(stolen.code).not.toBe(0);
    expect(stolen.stderr).toMatch(/maintainers/);

    expect(await gitLfsOk(['lfs', 'unlock', 'big.bin'], mine)).toContain('Unlocked big.bin');
    expect((await gitLfsOk(['lfs', 'locks'], mine)).trim()).toBe('');
    expect(await gitLfsOk(['lfs', 'lock', 'big.bin'], theirs)).toContain('Locked big.bin');
  });
});

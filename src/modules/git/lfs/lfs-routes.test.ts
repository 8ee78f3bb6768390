import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/app.ts';
import { addMember, createProjectAs } from '../../../../test/git.ts';
import { MAX_BATCH_OBJECTS } from './schemas.ts';

/**
 * The LFS APIs as the spec has them, over `inject()`: batch answers and per-object errors, basic
 * transfers into the blob store, who may do what, and locks. The real git-lfs client drives the
 * same routes in git-lfs-client.test.ts.
 */
let t: TestApp;
type User = Awaited<ReturnType<TestApp['user']>>;
let owner: User;
let dev: User;
let dev2: User;
let maintainer: User;
let viewer: User;
let readOnly: User;
let stranger: User;
const slug = 'lfs-api';
const other = 'lfs-other';
let projectId: string;

const basic = (token: string) => `Basic ${Buffer.from(`git:${token}`).toString('base64')}`;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function lfs(
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  token: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return t.http.inject({
    method,
    url: url.startsWith('/') ? url : `/git/${slug}.git/info/lfs/${url}`,
    headers: {
      ...(token ? { authorization: basic(token) } : {}),
      accept: 'application/vnd.git-lfs+json',
      ...(body !== undefined && !Buffer.isBuffer(body)
        ? { 'content-type': 'application/vnd.git-lfs+json; charset=utf-8' }
        : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { payload: Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
  });
}

const batch = (
  token: string,
  operation: 'upload' | 'download',
  objects: unknown[],
  extra = {},
  repo = slug,
) =>
  lfs('POST', `/git/${repo}.git/info/lfs/objects/batch`, token, {
    operation,
    transfers: ['lfs-standalone-file', 'basic', 'ssh'],
    ref: { name: 'refs/heads/main' },
    objects,
    hash_algo: 'sha256',
    ...extra,
  });

const upload = (token: string, bytes: Buffer, oid = sha256(bytes), repo = slug) =>
  lfs('PUT', `/git/${repo}.git/info/lfs/objects/${oid}`, token, bytes, {
    'content-type': 'application/octet-stream',
  });

/** Every file under the project's LFS folder of the blob store (partial writes included). */
async function blobFiles(project: string): Promise<string[]> {
  const root = path.join(t.config.home, 'blobs', 'lfs', project);
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

beforeAll(async () => {
  t = await createTestApp();
  [owner, dev, dev2, maintainer, viewer, stranger] = await Promise.all([
    t.user('member'),
    t.user('member'),
    t.user('member'),
    t.user('member'),
    t.user('member'),
    t.user('member'),
  ]);
  readOnly = await t.user('member', ['read']);
  await createProjectAs(t, owner.token, slug);
  await createProjectAs(t, stranger.token, other);
  for (const [u, role] of [
    [dev, 'developer'],
    [dev2, 'developer'],
    [maintainer, 'maintainer'],
    [viewer, 'viewer'],
    [readOnly, 'developer'],
  ] as const)
    await addMember(t, owner.token, slug, u.user.username, role);
  projectId = (await t.res.db.query('SELECT id FROM projects WHERE slug = $1', [slug])).rows[0].id;
});
afterAll(async () => t?.close());

describe('the batch API', () => {
  it('asks for Basic credentials as LFS expects, and answers unknown repositories with 404', async () => {
    const anonymous = await batch('', 'download', []);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['lfs-authenticate']).toBe('Basic realm="Orchard"');
    expect(anonymous.headers['www-authenticate']).toBe('Basic realm="Orchard"');
    expect(anonymous.headers['content-type']).toContain('application/vnd.git-lfs+json');
    expect(anonymous.json()).toMatchObject({
      message: expect.stringMatching(/API token/),
      request_id: expect.any(String),
    });
    expect((await batch(owner.token, 'download', [], {}, 'no-such-project')).statusCode).toBe(404);
  });

  it('gives upload actions to Orchard itself with the same credential, and none for objects it holds', async () => {
    const bytes = randomBytes(1000);
    const oid = sha256(bytes);
    const first = await batch(dev.token, 'upload', [{ oid, size: bytes.length }]);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['content-type']).toContain('application/vnd.git-lfs+json');
    const [object] = first.json().objects;
    expect(first.json()).toMatchObject({ transfer: 'basic', hash_algo: 'sha256' });
    expect(object).toMatchObject({ oid, size: 1000, authenticated: true });
    const href = `http://localhost/git/${slug}.git/info/lfs/objects/${oid}`;
    expect(object.actions.upload).toEqual({
      href,
      header: { Authorization: basic(dev.token) },
      expires_in: 3600,
    });
    expect(object.actions.verify.href).toBe(`${href}/verify`);

    expect((await upload(dev.token, bytes)).statusCode).toBe(200);
    const again = await batch(dev.token, 'upload', [{ oid, size: bytes.length }]);
    expect(again.json().objects).toEqual([{ oid, size: 1000 }]);

    const verify = (size: number) => lfs('POST', `objects/${oid}/verify`, dev.token, { oid, size });
    expect((await verify(1000)).statusCode).toBe(200);
    expect((await verify(999)).statusCode).toBe(422);

    const download = await batch(viewer.token, 'download', [{ oid, size: 1000 }]);
    expect(download.json().objects[0].actions.download.href).toBe(href);
    const got = await lfs('GET', `objects/${oid}`, viewer.token);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('application/octet-stream');
    expect(sha256(got.rawPayload)).toBe(oid);
  });

  it('answers each bad object on its own: 404 missing, 422 bad oid or size, 409 another hash', async () => {
    const missing = sha256(Buffer.from('never uploaded'));
    const down = await batch(viewer.token, 'download', [
      { oid: missing, size: 14 },
      { oid: 'ABC', size: 3 },
      { oid: missing.toUpperCase(), size: 14 },
    ]);
    expect(down.statusCode).toBe(200);
    expect(down.json().objects.map((o: { error?: { code: number } }) => o.error?.code)).toEqual([
      404, 422, 422,
    ]);
    expect(down.json().objects[1]).toMatchObject({
      oid: 'ABC',
      error: { message: expect.stringMatching(/sha256/) },
    });

    const up = await batch(dev.token, 'upload', [
      { oid: missing, size: -1 },
      { oid: missing, size: 1.5 },
      { oid: missing, size: 6 * 1024 ** 3 },
      { oid: missing, size: 14 },
    ]);
    const codes = up.json().objects.map((o: { error?: { code: number } }) => o.error?.code);
    expect(codes).toEqual([422, 422, 422, undefined]);
    expect(up.json().objects[2].error.message).toMatch(/git\.lfsMaxObjectBytes/);
    expect(up.json().objects[3].actions.upload).toBeDefined();

    const sha1 = await batch(dev.token, 'upload', [{ oid: missing, size: 14 }], { hash_algo: 'sha1' });
    expect(sha1.json().objects[0].error.code).toBe(409);
  });

  it('refuses whole requests it cannot serve: other adapters, too many objects, bad JSON', async () => {
    const tus = await batch(dev.token, 'upload', [], { transfers: ['tus'] });
    expect(tus.statusCode).toBe(422);
    expect(tus.json().message).toMatch(/basic/);

    const many = Array.from({ length: MAX_BATCH_OBJECTS + 1 }, (_, i) => ({
      oid: sha256(Buffer.from(String(i))),
      size: 1,
    }));
    const tooMany = await batch(dev.token, 'download', many);
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json().message).toMatch(/at most 1000 objects/);

    const badOperation = await lfs('POST', 'objects/batch', dev.token, { operation: 'delete', objects: [] });
    expect(badOperation.statusCode).toBe(422);
    expect(badOperation.json().message).toMatch(/body\.operation/);
    const notJson = await lfs('POST', 'objects/batch', dev.token, undefined, {
      'content-type': 'application/vnd.git-lfs+json',
    });
    expect(notJson.statusCode).toBe(422);
  });
});

describe('basic transfers', () => {
  it('refuses a body whose sha256 is not its oid, and keeps nothing of it', async () => {
    const bytes = randomBytes(4096);
    const claimed = sha256(Buffer.from('something else'));
    const before = await blobFiles(projectId);
    const refused = await upload(dev.token, bytes, claimed);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().message).toContain(`hash to ${sha256(bytes)}`);
    expect(await blobFiles(projectId)).toEqual(before);
    expect(before.some((f) => f.includes(claimed))).toBe(false);
    expect(await t.res.blobs.get(`lfs/${projectId}/${claimed.slice(0, 2)}/${claimed}`)).toBeUndefined();
    const rows = await t.res.db.query('SELECT 1 FROM lfs_objects WHERE oid = $1', [claimed]);
    expect(rows.rowCount).toBe(0);
    expect((await lfs('GET', `objects/${claimed}`, dev.token)).statusCode).toBe(404);
  });

  it('stores and serves an empty object', async () => {
    const empty = Buffer.alloc(0);
    const stored = await upload(dev.token, empty);
    expect(stored.statusCode, stored.body).toBe(200);
    const got = await lfs('GET', `objects/${sha256(empty)}`, viewer.token);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.length).toBe(0);
  });

  it('lets a viewer download but not upload, and a read-only token not upload either', async () => {
    const bytes = randomBytes(100);
    const oid = sha256(bytes);
    for (const who of [viewer, readOnly]) {
      const refusedBatch = await batch(who.token, 'upload', [{ oid, size: 100 }]);
      expect(refusedBatch.statusCode).toBe(403);
      expect(refusedBatch.json().message).toMatch(who === viewer ? /developer role/ : /write scope/);
      expect((await upload(who.token, bytes)).statusCode).toBe(403);
    }
    expect(await blobFiles(projectId)).not.toContain(oid);
    expect((await upload(dev.token, bytes)).statusCode).toBe(200);
    expect(
      (await batch(readOnly.token, 'download', [{ oid, size: 100 }])).json().objects[0].actions,
    ).toBeDefined();
  });

  it("never shows one project's object to another project", async () => {
    const bytes = randomBytes(200);
    const oid = sha256(bytes);
    expect((await upload(dev.token, bytes)).statusCode).toBe(200);
    // A stranger to the project is refused outright...
    expect((await batch(stranger.token, 'download', [{ oid, size: 200 }])).statusCode).toBe(403);
    expect((await lfs('GET', `objects/${oid}`, stranger.token)).statusCode).toBe(403);
    // ...and in their own project the same oid does not exist.
    const own = await batch(stranger.token, 'download', [{ oid, size: 200 }], {}, other);
    expect(own.json().objects[0].error.code).toBe(404);
    const get = await lfs('GET', `/git/${other}.git/info/lfs/objects/${oid}`, stranger.token);
    expect(get.statusCode).toBe(404);
    // Uploading it there is a separate copy that asks for the bytes.
    const up = await batch(stranger.token, 'upload', [{ oid, size: 200 }], {}, other);
    expect(up.json().objects[0].actions.upload).toBeDefined();
  });
});

describe('locks', () => {
  const locks = (token: string, query = '') => lfs('GET', `locks${query}`, token);

  it('locks a path once, lists and filters locks, and verifies ours and theirs', async () => {
    const created = await lfs('POST', 'locks', dev.token, {
      path: 'art/hero.psd',
      ref: { name: 'refs/heads/main' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { lock } = created.json();
    expect(lock).toMatchObject({ path: 'art/hero.psd', owner: { name: dev.user.username } });
    expect(new Date(lock.locked_at).toString()).not.toBe('Invalid Date');

    const taken = await lfs('POST', 'locks', dev2.token, { path: 'art/hero.psd' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ lock, message: expect.stringContaining(dev.user.username) });

    const second = (
      await lfs('POST', 'locks', dev2.token, { path: 'art/map.psd', ref: { name: 'refs/heads/b' } })
    ).json().lock;
    expect((await locks(viewer.token)).json().locks.map((l: { path: string }) => l.path)).toEqual([
      'art/hero.psd',
      'art/map.psd',
    ]);
    expect((await locks(viewer.token, '?path=art/map.psd')).json().locks).toEqual([second]);
    expect((await locks(viewer.token, `?id=${lock.id}`)).json().locks).toEqual([lock]);
    expect((await locks(viewer.token, '?id=not-a-uuid')).json().locks).toEqual([]);
    expect((await locks(viewer.token, '?refspec=refs/heads/b')).json().locks).toEqual([second]);

    const page = (await locks(viewer.token, '?limit=1')).json();
    expect(page.locks).toEqual([lock]);
    const next = (await locks(viewer.token, `?limit=1&cursor=${page.next_cursor}`)).json();
    expect(next).toEqual({ locks: [second] });
    expect((await locks(viewer.token, '?cursor=garbage')).statusCode).toBe(422);

    const verified = await lfs('POST', 'locks/verify', dev.token, { ref: { name: 'refs/heads/main' } });
    expect(verified.json()).toEqual({ ours: [lock], theirs: [second] });
    expect((await lfs('POST', 'locks/verify', viewer.token, {})).statusCode).toBe(403);
    expect((await lfs('POST', 'locks', viewer.token, { path: 'x.bin' })).statusCode).toBe(403);
    expect((await lfs('POST', 'locks', dev.token, { path: '../x' })).statusCode).toBe(422);
  });

  it('unlocks: the owner, or with force a maintainer and no one below; each change audited', async () => {
    const { lock } = (await lfs('POST', 'locks', dev.token, { path: 'audio/theme.wav' })).json();
    const unlock = (token: string, force?: boolean) =>
      lfs('POST', `locks/${lock.id}/unlock`, token, force === undefined ? {} : { force });

    const notTheirs = await unlock(dev2.token);
    expect(notTheirs.statusCode).toBe(403);
    expect(notTheirs.json().message).toMatch(/--force/);
    expect((await unlock(dev2.token, true)).statusCode).toBe(403);
    const forced = await unlock(maintainer.token, true);
    expect(forced.statusCode).toBe(200);
    expect(forced.json().lock).toEqual(lock);
    expect((await unlock(dev.token)).statusCode).toBe(404);

    const own = (await lfs('POST', 'locks', dev.token, { path: 'audio/theme.wav' })).json().lock;
    expect((await lfs('POST', `locks/${own.id}/unlock`, dev.token, { force: false })).statusCode).toBe(200);

    const audit = await t.res.db.query(
      `SELECT action, actor_name, data FROM audit_log WHERE target_type = 'lfs_lock' AND target_id IN ($1, $2)
        ORDER BY id`,
      [lock.id, own.id],
    );
    expect(audit.rows.map((r) => [r.action, r.actor_name, r.data.force ?? null])).toEqual([
      ['lfs_lock.create', dev.user.username, null],
      ['lfs_lock.unlock', maintainer.user.username, true],
      ['lfs_lock.create', dev.user.username, null],
      ['lfs_lock.unlock', dev.user.username, false],
    ]);
  });
});

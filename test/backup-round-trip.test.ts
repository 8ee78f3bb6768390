import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, mkdtemp, open, readdir, readFile, rm, stat, truncate } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { homeMovedListeners, sealedStores } from '../src/app.ts';
import { type BackUpResult, backUp, decryptArchive, restoreBackup } from '../src/modules/backup/index.ts';
import { createWorkerPool, type WorkerPool, waitForOperation } from '../src/modules/operations/index.ts';
import { findProjectBySlug } from '../src/modules/projects/index.ts';
import {
  installMasterKeyFile,
  masterKeyFile,
  openKeyRing,
  revealSecrets,
} from '../src/modules/secrets/index.ts';
import { createPool, withDatabase } from '../src/platform/db/pool.ts';
import { orchardVersion } from '../src/platform/orchard-version.ts';
import { bearer, createTestApp, type TestApp } from './app.ts';
import { adminQuery, dropDatabase } from './db.ts';
import { createProjectAs, gitOk } from './git.ts';
import { appRequest, type DeployFixture, deployFixture } from './support/deploy-fixture.ts';

/**
 * A home holding projects, repositories, a build and a running environment, issues, a merge
 * request, secrets and blobs is backed up, verified, and restored into an empty database and a
 * fresh home: the restored Orchard answers the API the same, serves the same refs over git, opens
 * the secrets, and runs the environment's release. Damaged, cut and foreign-key archives are refused
 * and leave nothing behind.
 */
let f: DeployFixture;
let workers: WorkerPool;
let backup: BackUpResult;
let scratch: string;
const adminUrl = inject('pgAdminUrl');
const made: string[] = [];

const api = (t: TestApp, url: string, token = f.token) =>
  t.http.inject({ method: 'GET', url, headers: bearer(token) });

async function emptyDatabase() {
  const name = `orchard_r_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  made.push(name);
  return withDatabase(adminUrl, name);
}

async function rowCount(url: string, table: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const exists = await client.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [table]);
    if (!exists.rows[0].ok) return 0;
    return Number((await client.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
  } finally {
    await client.end();
  }
}

/** The answers a person sees, without what depends on the process (ports, live status). */
async function answers(t: TestApp) {
  const get = async (url: string) => {
    const res = await api(t, url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json();
  };
  const environments = (await get('/api/projects/shop/environments')).items.map(
    (e: Record<string, unknown>) => ({ name: e.name, release: e.release, pinned: e.pinned, kind: e.kind }),
  );
  const answered = {
    projects: await get('/api/projects'),
    project: await get('/api/projects/shop'),
    branches: await get('/api/projects/shop/branches'),
    commits: await get('/api/projects/shop/commits?ref=main'),
    issues: await get('/api/projects/shop/issues?state=all'),
    mergeRequests: await get('/api/projects/shop/merge-requests?state=all'),
    secrets: await get('/api/projects/shop/secrets'),
    releases: await get('/api/projects/shop/releases'),
    environments,
    operations: await get('/api/operations?limit=50'),
    audit: await get('/api/audit?limit=100'),
  };
  // Apps' URLs carry the port this process listens on.
  return JSON.parse(JSON.stringify(answered).replace(/\.localhost:\d+/g, '.localhost:PORT'));
}

async function lsRemote(base: string, slug: string) {
  const url = new URL(`/git/${slug}.git`, base);
  url.username = 'x';
  url.password = f.token;
  return gitOk(['ls-remote', url.toString()], os.tmpdir());
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'orchard-backup-test-'));
  // Homes inside it are reached by the apps' sandbox users, as any home's parents are.
  await chmod(scratch, 0o711);
  f = await deployFixture();
  workers = createWorkerPool({
    res: f.t.res,
    registry: f.t.res.registry,
    queues: [],
    concurrency: 2,
    pollMs: 50,
  });
  await workers.start();
  const post = async (url: string, payload: object, method: 'POST' | 'PUT' = 'POST') => {
    const res = await f.t.http.inject({ method, url, headers: bearer(f.token), payload });
    expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };
  await f.push('v1');
  const deployed = await post('/api/projects/shop/deploy', { env: 'staging', ref: 'main' });
  const op = await waitForOperation(f.t.res.db, deployed.operationId, {
    timeoutMs: 60_000,
    bus: f.t.res.bus,
  });
  expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
  await f.push('v2', { branch: 'feature' });
  await post('/api/projects/shop/issues', { title: 'Cart forgets items', body: 'Steps: add, reload.' });
  await post('/api/projects/shop/merge-requests', {
    title: 'Feature',
    sourceBranch: 'feature',
    targetBranch: 'main',
  });
  await post('/api/projects/shop/secrets/STRIPE_KEY', { value: 'sk_test_restore_me_123456' }, 'PUT');
  await createProjectAs(f.t, f.token, 'empty-one');
  await f.t.res.blobs.put('artifacts/backup-test/report.txt', Buffer.from('a blob that must come back'));
}, 180_000);

afterAll(async () => {
  await workers?.stop();
  await f?.close();
  for (const name of made) await dropDatabase(adminUrl, name).catch(() => {});
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('backup and restore', () => {
  let before: Awaited<ReturnType<typeof answers>>;
  let refsBefore: { shop: string; empty: string };

  it('writes one archive, verified by restoring it into a scratch database', async () => {
    await workers.stop();
    before = await answers(f.t);
    const base = `http://127.0.0.1:${f.port}`;
    refsBefore = { shop: await lsRemote(base, 'shop'), empty: await lsRemote(base, 'empty-one') };
    expect(refsBefore.shop).toMatch(/refs\/heads\/feature/);
    backup = await backUp(
      {
        home: f.t.config.home,
        databaseUrl: f.t.database.url,
        db: f.t.res.db,
        vault: f.t.res.vault,
        sealedStores,
        orchardVersion: orchardVersion(),
        config: f.t.config,
        verifyDatabaseUrl: adminUrl,
      },
      { dir: path.join(scratch, 'backups'), keep: 2, verify: true },
    );
    expect(path.basename(backup.archive.file)).toMatch(/^orchard-backup-\d{8}T\d{6}Z\.orchard$/);
    const m = backup.archive.manifest;
    expect(m.repositories.map((r) => r.slug)).toEqual(['empty-one', 'shop']);
    expect(m.database.tables.find((t) => t.name === 'secrets')?.rows).toBe(1);
    expect(backup.verified?.rows).toBe(
      m.database.tables.filter((t) => t.name !== 'schema_migrations').reduce((n, t) => n + t.rows, 0),
    );
    expect(backup.verified?.refs).toBeGreaterThanOrEqual(2);
    expect(m.files.files).toBeGreaterThan(0);
  });

  it('holds no secret in plaintext, not even inside the encryption: stored secrets stay sealed, tokens hashed, no key or password', async () => {
    const sealed = await readFile(backup.archive.file);
    const key = (await readFile(masterKeyFile(f.t.config.home), 'utf8')).trim();
    const opened: Buffer[] = [];
    await pipeline(
      createReadStream(backup.archive.file),
      decryptArchive((id) => f.t.res.vault.ring.find(id)!),
      createGunzip(),
      async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) opened.push(chunk);
      },
    );
    const plain = Buffer.concat(opened);
    // The archive's contents are really there (so the absence below means something)…
    expect(plain.includes(Buffer.from('Cart forgets items'))).toBe(true);
    expect(plain.includes(Buffer.from('STRIPE_KEY'))).toBe(true);
    expect(sealed.includes(Buffer.from('Cart forgets items'))).toBe(false);
    // …and no secret is, in either form.
    const password = new URL(f.t.database.url).password;
    for (const needle of ['sk_test_restore_me_123456', key, f.token, ...(password ? [password] : [])]) {
      expect(plain.includes(Buffer.from(needle)), needle.slice(0, 6)).toBe(false);
      expect(sealed.includes(Buffer.from(needle))).toBe(false);
    }
  });

  it('restores into an empty database and a fresh home: same API answers, same git ls-remote, secrets open, the release runs', async () => {
    const url = await emptyDatabase();
    const home = path.join(scratch, 'restored-home');
    await installMasterKeyFile(home, await readFile(masterKeyFile(f.t.config.home), 'utf8'), 'test');
    const restored = await restoreBackup(backup.archive.file, {
      home,
      databaseUrl: url,
      ring: f.t.res.vault.ring,
      onHomeMoved: homeMovedListeners,
    });
    expect(restored.missingKeyIds).toEqual([]);
    await f.t.res.deploy.stop();

    const pool = createPool(url, { max: 5 });
    const t = await createTestApp(
      { home, 'deploy.privateByDefault': false },
      { database: { url, db: pool, drop: async () => pool.end() } },
    );
    try {
      const after = await answers(t);
      expect(after).toEqual(before);
      const port = await new Promise<number>((resolve) =>
        t.http
          .listen({ port: 0, host: '127.0.0.1' })
          .then(() => resolve((t.http.server.address() as { port: number }).port)),
      );
      const base = `http://127.0.0.1:${port}`;
      expect(await lsRemote(base, 'shop')).toBe(refsBefore.shop);
      expect(await lsRemote(base, 'empty-one')).toBe(refsBefore.empty);
      const project = (await findProjectBySlug(t.res.db, 'shop'))!;
      const secrets = await revealSecrets(t.res.db, t.res.vault, project.id, ['STRIPE_KEY'], {
        protectedAllowed: true,
      });
      expect(secrets.values.STRIPE_KEY).toBe('sk_test_restore_me_123456');
      const blob = await t.res.blobs.get('artifacts/backup-test/report.txt');
      expect(blob?.size).toBe('a blob that must come back'.length);
      // The environment's release was restored with its build: the supervisor runs it again.
      t.res.deploy.start({ bus: t.res.bus });
      let answer = { status: 0, body: '' };
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        answer = await appRequest(port, `staging--shop.localhost:${port}`).catch(() => answer);
        if (answer.body === 'hello from v1') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(answer.body).toBe('hello from v1');
    } finally {
      await t.res.deploy.stop();
      await t.close();
    }
  }, 180_000);

  it('refuses a damaged archive with a clear error, and leaves the database and home empty', async () => {
    const damaged = path.join(scratch, 'damaged.orchard');
    await copyFile(backup.archive.file, damaged);
    const size = (await stat(damaged)).size;
    const handle = await open(damaged, 'r+');
    const at = Math.floor(size / 2);
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0xff;
    await handle.write(byte, 0, 1, at);
    await handle.close();
    const url = await emptyDatabase();
    const home = path.join(scratch, 'damaged-home');
    await expect(
      restoreBackup(damaged, { home, databaseUrl: url, ring: f.t.res.vault.ring }),
    ).rejects.toThrow(/The archive is damaged: chunk \d+ .* does not match its checksum/);
    expect(await rowCount(url, 'users')).toBe(0);
    expect(await readdir(home)).toEqual([]);
  });

  it('refuses a cut archive and one sealed under another master key', async () => {
    const cut = path.join(scratch, 'cut.orchard');
    await copyFile(backup.archive.file, cut);
    await truncate(cut, (await stat(cut)).size - 100);
    const url = await emptyDatabase();
    await expect(
      restoreBackup(cut, {
        home: path.join(scratch, 'cut-home'),
        databaseUrl: url,
        ring: f.t.res.vault.ring,
      }),
    ).rejects.toThrow(/truncated/);
    expect(await rowCount(url, 'projects')).toBe(0);

    const other = await mkdtemp(path.join(scratch, 'other-key-'));
    await installMasterKeyFile(other, randomBytes(32).toString('base64'), 'test');
    const ring = await openKeyRing({ home: other, otherMasterKeys: [] });
    await expect(
      restoreBackup(backup.archive.file, { home: path.join(scratch, 'key-home'), databaseUrl: url, ring }),
    ).rejects.toThrow(/sealed with master key [0-9a-f]{16}; this Orchard holds/);
  });

  it('refuses a database that is not empty, naming what holds rows', async () => {
    await expect(
      restoreBackup(backup.archive.file, {
        home: path.join(scratch, 'busy-home'),
        databaseUrl: f.t.database.url,
        ring: f.t.res.vault.ring,
      }),
    ).rejects.toThrow(/not empty .*hold rows|migrated past the archive/);
  });
});

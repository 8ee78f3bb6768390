import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BACKUP_KIND, startScheduledBackup } from '../src/modules/backup/index.ts';
import { ensureRepository } from '../src/modules/git/index.ts';
import { createWorkerPool, type WorkerPool, waitForOperation } from '../src/modules/operations/index.ts';
import { withDatabase } from '../src/platform/db/pool.ts';
import { bearer, createTestApp, type TestApp } from './app.ts';
import { adminQuery, dropDatabase } from './db.ts';
import { createProjectAs } from './git.ts';
import { runOrchard } from './support/spawn-orchard.ts';

/**
 * `orchard backup` and `orchard restore` as an operator runs them (child processes on the test's
 * PostgreSQL), and the scheduled backup: one operation per slot, verified, with retention.
 */
const adminUrl = inject('pgAdminUrl');
let t: TestApp;
let token: string;
let scratch: string;
let workers: WorkerPool;
const made: string[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'orchard-backup-cli-'));
  t = await createTestApp({
    'backup.dir': path.join(scratch, 'scheduled'),
    'backup.keep': 2,
    'backup.intervalHours': 24,
    'backup.verifyDatabaseUrl': adminUrl,
  });
  ({ token } = await t.user('admin'));
  await createProjectAs(t, token, 'kept');
  await ensureRepository(t.config.home, 'kept');
  workers = createWorkerPool({
    res: t.res,
    registry: t.res.registry,
    queues: [],
    concurrency: 2,
    pollMs: 50,
  });
  await workers.start();
}, 60_000);

afterAll(async () => {
  await workers?.stop();
  await t?.close();
  for (const name of made) await dropDatabase(adminUrl, name).catch(() => {});
  await rm(scratch, { recursive: true, force: true });
});

describe('orchard backup and orchard restore', () => {
  let archive: string;

  it('backs up with a verification and prints where the archive is', async () => {
    const run = await runOrchard(
      [
        'backup',
        '--to',
        path.join(scratch, 'manual'),
        '--home',
        t.config.home,
        '--verify-database-url',
        adminUrl,
      ],
      { DATABASE_URL: t.database.url },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Wrote .*orchard-backup-\d{8}T\d{6}Z\.orchard .* 1 repositories/);
    expect(run.stderr).toMatch(/Verified in [\d.]+ s: restored into a scratch database/);
    const [name] = await readdir(path.join(scratch, 'manual'));
    archive = path.join(scratch, 'manual', name!);
  }, 120_000);

  it('refuses a damaged archive naming the damage, and writes nothing', async () => {
    const damaged = path.join(scratch, 'damaged.orchard');
    const bytes = await readFile(archive);
    bytes[Math.floor(bytes.length * 0.6)]! ^= 0x01;
    await writeFile(damaged, bytes);
    const name = `orchard_c_${randomBytes(5).toString('hex')}`;
    await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
    made.push(name);
    const home = path.join(scratch, 'damaged-home');
    const run = await runOrchard(
      ['restore', damaged, '--home', home, '--master-key-file', path.join(t.config.home, 'master.key')],
      { DATABASE_URL: withDatabase(adminUrl, name) },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /orchard: The archive is damaged: chunk \d+ \(bytes \d+–\d+\) does not match its checksum\./,
    );
    expect(await readdir(path.join(home, 'repos')).catch(() => [])).toEqual([]);
  }, 60_000);

  it('refuses a fresh home without the master key, then restores with it into an empty database', async () => {
    const name = `orchard_c_${randomBytes(5).toString('hex')}`;
    await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
    made.push(name);
    const home = path.join(scratch, 'restored');
    const env = { DATABASE_URL: withDatabase(adminUrl, name) };
    const keyless = await runOrchard(['restore', archive, '--home', home], env);
    expect(keyless.code).toBe(1);
    expect(keyless.stderr).toMatch(
      /has no master key: give the key the archive was sealed under \([0-9a-f]{16}\) with --master-key-file/,
    );
    const run = await runOrchard(
      ['restore', archive, '--home', home, '--master-key-file', path.join(t.config.home, 'master.key')],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Restored \d+ tables \(\d+ rows\), 1 repositories/);
    expect((await stat(path.join(home, 'repos', 'kept.git', 'HEAD'))).isFile()).toBe(true);
    const again = await runOrchard(['restore', archive, '--home', home], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds repos\/ .*restore into a fresh home/);
  }, 120_000);
});

describe('scheduled backups', () => {
  it('start one verified backup per slot, keep the newest backup.keep, and skip a slot that has its archive', async () => {
    const dir = path.join(scratch, 'scheduled');
    await mkdir(dir, { recursive: true });
    // Two older archives (by name); keep 2 leaves the new one and the newest of these.
    for (const old of ['orchard-backup-20200101T000000Z.orchard', 'orchard-backup-20200102T000000Z.orchard'])
      await writeFile(path.join(dir, old), 'old');
    const options = { intervalHours: 24, dir };
    const id = await startScheduledBackup(t.res, options);
    expect(id).toBeTruthy();
    const op = await waitForOperation(t.res.db, id!, { timeoutMs: 120_000, bus: t.res.bus });
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    expect(op.kind).toBe(BACKUP_KIND);
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toBe('orchard-backup-20200102T000000Z.orchard');
    expect(files[1]).toMatch(/^orchard-backup-\d{8}T\d{6}Z\.orchard$/);
    const ops = await t.http.inject({ method: 'GET', url: `/api/operations/${id}`, headers: bearer(token) });
    expect(JSON.stringify(ops.json())).toMatch(/"verified":true/);
    // The slot has its archive now: the next tick starts nothing.
    expect(await startScheduledBackup(t.res, options)).toBeUndefined();
  }, 180_000);
});

import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { runOrchard } from '../../test/support/spawn-orchard.ts';
import type { CheckResult } from '../modules/system/index.ts';

let database: TestDatabase;
let dir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-doctor-'));
});
afterAll(async () => {
  await database?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const home = () => path.join(dir, 'home');

describe('orchard doctor (spawned for real)', () => {
  it('checks this machine, says everything is here and exits 0', async () => {
    const run = await runOrchard(['doctor', '--port', '0', '--home', home()], { DATABASE_URL: database.url });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`Orchard doctor (home ${home()}, port 0)`);
    for (const title of [
      'Node.js',
      'Chromium',
      'bubblewrap',
      'slirp4netns',
      'git',
      'HTTP port',
      'Disk space',
      'Database',
    ])
      expect(lines.some((l) => l.startsWith(`✔ ${title} `))).toBe(true);
    expect(run.stdout).toContain('Everything Orchard needs is here.');
  }, 120_000);

  it('names each missing tool with its fix and exits 1 (no Chromium at the configured path, a PATH without bwrap)', async () => {
    const bin = await mkdtemp(path.join(dir, 'bin-'));
    await symlink(execFileSync('/bin/sh', ['-c', 'command -v git']).toString().trim(), path.join(bin, 'git'));
    const run = await runOrchard(['doctor', '--json', '--port', '0', '--home', home()], {
      DATABASE_URL: database.url,
      ORCHARD_CHROMIUM_PATH: path.join(dir, 'no-chromium-here'),
      PATH: bin,
    });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { ok: boolean; checks: CheckResult[] };
    expect(report.ok).toBe(false);
    const by = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(by.chromium).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('apt-get install chromium'),
    });
    expect(by.bubblewrap).toMatchObject({
      status: 'fail',
      fix: 'Install it with: apt-get install bubblewrap',
    });
    expect(by.slirp4netns).toMatchObject({
      status: 'warn',
      fix: 'Install it with: apt-get install slirp4netns',
    });
    expect(by.git!.status).toBe('ok');
    expect(by.database!.status).toBe('ok');

    const text = await runOrchard(['doctor', '--port', '0', '--home', home()], {
      DATABASE_URL: database.url,
      PATH: bin,
    });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      /^✖ bubblewrap +bubblewrap is missing: .+\n +fix: Install it with: apt-get install bubblewrap$/m,
    );
    expect(text.stdout).toMatch(
      /^⚠ slirp4netns +slirp4netns is missing: .+\n +fix: Install it with: apt-get install slirp4netns$/m,
    );
    expect(text.stdout).toContain(
      '1 problem(s) (✖) and 1 warning(s) (⚠). Orchard cannot work until the ✖ items are fixed.',
    );
  }, 120_000);

  it('checks an embedded home that has no database yet without creating one', async () => {
    const fresh = path.join(dir, 'fresh-home');
    const run = await runOrchard(['doctor', '--json', '--port', '0', '--home', fresh]);
    const database_ = (JSON.parse(run.stdout) as { checks: CheckResult[] }).checks.find(
      (c) => c.id === 'database',
    );
    expect(database_).toMatchObject({
      status: 'ok',
      summary: `no embedded PostgreSQL under ${fresh} yet: the first orchard up creates it`,
    });
    expect(run.code).toBe(0);
  }, 120_000);
});

import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { type Config, loadConfig } from '../../config.ts';
import { type CheckResult, type MachineCheck, type MachineContext, runChecks } from './machine-check.ts';
import { MACHINE_CHECKS } from './machine-checks.ts';

let database: TestDatabase;
let dir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-machine-'));
});
afterAll(async () => {
  await database?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function configWith(flags: Record<string, unknown> = {}): Config {
  return loadConfig({ env: {}, cwd: dir, flags: { home: path.join(dir, 'home'), port: 0, ...flags } });
}

function context(overrides: Partial<MachineContext> = {}): MachineContext {
  return {
    config: configWith(),
    database: async () => ({ db: database.db, kind: 'external', release: async () => {} }),
    ...overrides,
  };
}

/** A PATH holding only these tools (links to the machine's own), as a fresh machine might. */
async function pathWith(tools: string[]): Promise<string> {
  const bin = await mkdtemp(path.join(dir, 'bin-'));
  for (const tool of tools)
    await symlink(
      execFileSync('/bin/sh', ['-c', `command -v ${tool}`])
        .toString()
        .trim(),
      path.join(bin, tool),
    );
  return bin;
}

const byId = (results: CheckResult[]) => Object.fromEntries(results.map((r) => [r.id, r]));
const only = (...ids: string[]) => MACHINE_CHECKS.filter((c) => ids.includes(c.id));

describe('machine checks', () => {
  it('find everything on this machine: Chromium launches, bubblewrap makes namespaces, the database is migrated', async () => {
    const results = byId(await runChecks(MACHINE_CHECKS, context()));
    expect(Object.keys(results)).toEqual([
      'node',
      'chromium',
      'bubblewrap',
      'slirp4netns',
      'git',
      'port',
      'disk',
      'database',
    ]);
    for (const r of Object.values(results))
      expect([r.id, r.status, r.summary]).toEqual([r.id, 'ok', r.summary]);
    expect(results.node!.summary).toBe(`Node.js ${process.versions.node}`);
    expect(results.chromium!.summary).toMatch(/^Chromium \d+\.[\d.]+ launches headless in \d+ ms \(\/.+\)$/);
    expect(results.git!.summary).toMatch(/^git \d+\.\d+/);
    expect(results.database!.summary).toMatch(/^PostgreSQL at DATABASE_URL \d+(\.\d+)?, migrations applied$/);
    expect(results.disk!.summary).toMatch(/GiB free under /);
  }, 60_000);

  it('name what is missing and how to install it when the PATH lacks bwrap, slirp4netns and git', async () => {
    const env = { PATH: await pathWith([]) };
    const results = byId(await runChecks(only('bubblewrap', 'slirp4netns', 'git'), context({ env })));
    expect(results.bubblewrap).toMatchObject({
      status: 'fail',
      fix: 'Install it with: apt-get install bubblewrap',
    });
    expect(results.bubblewrap!.summary).toMatch(/^bubblewrap is missing: /);
    expect(results.slirp4netns).toMatchObject({
      status: 'warn',
      fix: 'Install it with: apt-get install slirp4netns',
    });
    expect(results.git).toMatchObject({ status: 'fail', fix: 'Install it with: apt-get install git' });

    const some = byId(
      await runChecks(only('bubblewrap', 'git'), context({ env: { PATH: await pathWith(['git']) } })),
    );
    expect(some.git!.status).toBe('ok');
    expect(some.bubblewrap!.status).toBe('fail');
  });

  it('fail Chromium when the configured path does not exist', async () => {
    const config = configWith({ 'automation.chromiumPath': path.join(dir, 'no-such-chromium') });
    const [result] = await runChecks(only('chromium'), context({ config }));
    expect(result).toMatchObject({
      status: 'fail',
      summary: `Chromium is missing at ${path.join(dir, 'no-such-chromium')} (automation.chromiumPath): verification of previews will fail`,
    });
    expect(result!.fix).toMatch(/apt-get install chromium/);
  });

  it('fail Chromium when the binary there does not start', async () => {
    const config = configWith({ 'automation.chromiumPath': '/bin/false' });
    const [result] = await runChecks(only('chromium'), context({ config }));
    expect(result!.status).toBe('fail');
    expect(result!.summary).toMatch(/^Chromium at \/bin\/false does not start headless/);
  }, 30_000);

  it('tell a port held by another program from one Orchard already serves', async () => {
    // Some other program: it greets in its own protocol and hangs up.
    const other: Server = createServer((socket) => socket.resume().end('SSH-2.0-OpenSSH_9.2\r\n'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const taken = (other.address() as { port: number }).port;
    const t: TestApp = await createTestApp();
    try {
      await t.http.listen({ port: 0, host: '127.0.0.1' });
      const ours = (t.http.server.address() as { port: number }).port;
      const check = async (port: number) => {
        console.log('checking', port, Date.now());
        return (
          await runChecks(only('port'), context({ config: configWith({ port, host: '127.0.0.1' }) }))
        )[0]!;
      };
      expect(await check(taken)).toMatchObject({
        status: 'fail',
        summary: `127.0.0.1:${taken} is used by another program: Orchard cannot listen there`,
      });
      expect((await check(taken)).fix).toMatch(/ORCHARD_PORT=<port>/);
      expect(await check(ours)).toMatchObject({
        status: 'ok',
        summary: `127.0.0.1:${ours} is already served by Orchard`,
      });
      await new Promise<void>((r) => other.close(() => r()));
      expect(await check(taken)).toMatchObject({ status: 'ok', summary: `127.0.0.1:${taken} is free` });
    } finally {
      await t.close();
    }
  });

  it('fail the database when migrations are missing, and when it cannot be reached', async () => {
    const scratch = await createTestDatabase();
    try {
      await scratch.db.query(`DELETE FROM schema_migrations WHERE name LIKE '0010_%'`);
      const ctx = context({
        database: async () => ({ db: scratch.db, kind: 'external', release: async () => {} }),
      });
      const [pending] = await runChecks(only('database'), ctx);
      expect(pending).toMatchObject({
        status: 'fail',
        fix: 'orchard migrate (orchard up also applies them at start)',
      });
      expect(pending!.summary).toMatch(/reachable but 1 migration\(s\) are not applied \(0010_/);
    } finally {
      await scratch.drop();
    }
    const config = configWith({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none' });
    const [down] = await runChecks(
      only('database'),
      context({
        config,
        database: async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:1');
        },
      }),
    );
    expect(down).toMatchObject({
      status: 'fail',
      summary: 'the database cannot be reached: connect ECONNREFUSED 127.0.0.1:1',
    });
    expect(down!.fix).toMatch(/DATABASE_URL/);
  });

  it.skipIf(process.getuid?.() !== 0)(
    'warn when the disk under the home is nearly full (a 64 MiB tmpfs)',
    async () => {
      const small = path.join(dir, 'small');
      await mkdir(small);
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', small]);
      } catch {
        return expect.fail('root could not mount a tmpfs to test with');
      }
      try {
        const config = configWith({ home: path.join(small, 'home') });
        const [result] = await runChecks(only('disk'), context({ config }));
        expect(result).toMatchObject({ status: 'warn' });
        expect(result!.summary).toMatch(new RegExp(`^only 0\\.1 GiB free under ${small}: `));
        expect(result!.fix).toMatch(/ORCHARD_HOME/);
      } finally {
        execFileSync('umount', [small]);
      }
    },
  );

  it('bound each check in time, and turn a check that throws into a failure', async () => {
    const stuck: MachineCheck = {
      id: 'stuck',
      title: 'Stuck',
      timeoutMs: 100,
      run: () => new Promise(() => {}),
    };
    const broken: MachineCheck = {
      id: 'broken',
      title: 'Broken',
      timeoutMs: 1_000,
      run: async () => {
        throw new Error('no such thing');
      },
    };
    expect(await runChecks([stuck, broken], context())).toEqual([
      {
        id: 'stuck',
        title: 'Stuck',
        status: 'fail',
        summary: 'Stuck did not answer within 100 ms',
        fix: expect.any(String),
      },
      {
        id: 'broken',
        title: 'Broken',
        status: 'fail',
        summary: 'Broken could not be checked: no such thing',
      },
    ]);
  });
});

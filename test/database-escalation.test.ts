import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectIsolation } from '../src/platform/sandbox/index.ts';
import { call, memberWithProject, runPipeline } from './support/orchard-pipelines.ts';
import { type OrchardProcess, startOrchardProcess } from './support/spawn-orchard.ts';

/**
 * The reported attack, end to end on a real `orchard up` with its embedded PostgreSQL: a member's
 * pipeline job with network reaches for the database as the superuser (its port, the old fixed
 * password, its socket) to insert an admin token for user `admin`. Every way must fail, and the
 * token must not exist.
 */
const BOOTSTRAP = `orch_${'b'.repeat(40)}`;
let home: string;
let orchard: OrchardProcess | undefined;

afterAll(async () => {
  if (orchard && orchard.child.exitCode === null) {
    orchard.child.kill('SIGTERM');
    await orchard.exited;
  }
  if (home) await rm(home, { recursive: true, force: true });
});

describe.runIf(detectIsolation().bubblewrap && detectIsolation().slirp4netns)('the embedded database', () => {
  it('cannot be reached from a member’s pipeline job to make an admin token', async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'orchard-escalation-'));
    orchard = await startOrchardProcess(
      ['up', '--port', '0', '--home', home],
      { ORCHARD_BOOTSTRAP_TOKEN: BOOTSTRAP },
      120_000,
    );
    const base = orchard.url.replace('localhost', '127.0.0.1');
    const member = await memberWithProject(base, home, BOOTSTRAP, { user: 'mallory', project: 'mine' });

    // What the attacker knew: the port (from /proc/net/tcp then; from the home's port file now),
    // the old fixed password, and where the socket would be.
    const port = readFileSync(path.join(home, 'pg', 'port'), 'utf8').trim();
    const socketDir = path.join(home, 'pg', 'run');
    expect(existsSync(socketDir)).toBe(true);
    const insert = `insert into api_tokens (user_id, name, token_hash, prefix, scopes) select id, 'x', md5(random()::text), 'orch_x', array['read','write','admin'] from users where username = 'admin'`;
    const attempt = (label: string, target: string) =>
      `          PGPASSWORD=orchard-embedded PGCONNECT_TIMEOUT=5 psql "${target} user=postgres dbname=orchard" -c "${insert}" && echo ESCALATED-${label} || echo refused-${label}`;
    const { log } = await runPipeline(
      base,
      member,
      'mine',
      `jobs:
  escalate:
    network: true
    steps:
      - name: psql
        run: |
${attempt('tcp', `host=127.0.0.1 port=${port}`)}
${attempt('socket', `host=${socketDir} port=${port}`)}
${attempt('gateway', `host=10.0.2.2 port=${port}`)}
`,
      'escalate',
    );
    expect(log).not.toContain('ESCALATED');
    for (const label of ['tcp', 'socket', 'gateway']) expect(log).toContain(`refused-${label}`);

    // The admin still holds exactly the one token it started with.
    const tokens = (await call(base, BOOTSTRAP, 'GET', '/api/tokens')).json.items as unknown[];
    expect(tokens).toHaveLength(1);
  }, 240_000);
});

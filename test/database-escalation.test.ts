import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectIsolation } from '../src/platform/sandbox/index.ts';
import { commitFiles, gitOk, localRepo, remoteUrl, waitFor } from './git.ts';
import { type OrchardProcess, runOrchard, startOrchardProcess } from './support/spawn-orchard.ts';

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
    const call = async (token: string, method: string, url: string, body?: object) => {
      const res = await fetch(`${base}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };

    const created = await call(BOOTSTRAP, 'POST', '/api/users', {
      username: 'mallory',
      email: 'mallory@example.test',
      password: 'a long enough password',
      role: 'member',
    });
    expect(created.status).toBe(201);
    const minted = await runOrchard([
      'token',
      'create',
      '--user',
      'mallory',
      '--scopes',
      'read,write',
      '--home',
      home,
    ]);
    expect(minted.code).toBe(0);
    const member = /orch_[A-Za-z0-9]+/.exec(minted.stdout)![0];
    expect((await call(member, 'POST', '/api/projects', { name: 'mine', slug: 'mine' })).status).toBe(201);

    // What the attacker knew: the port (from /proc/net/tcp then; from the home's port file now),
    // the old fixed password, and where the socket would be.
    const port = readFileSync(path.join(home, 'pg', 'port'), 'utf8').trim();
    const socketDir = path.join(home, 'pg', 'run');
    expect(existsSync(socketDir)).toBe(true);
    const insert = `insert into api_tokens (user_id, name, token_hash, prefix, scopes) select id, 'x', md5(random()::text), 'orch_x', array['read','write','admin'] from users where username = 'admin'`;
    const attempt = (label: string, target: string) =>
      `          PGPASSWORD=orchard-embedded PGCONNECT_TIMEOUT=5 psql "${target} user=postgres dbname=orchard" -c "${insert}" && echo ESCALATED-${label} || echo refused-${label}`;
    const work = await localRepo();
    const sha = await commitFiles(
      work,
      {
        '.orchard/pipeline.yml': `jobs:
  escalate:
    network: true
    steps:
      - name: psql
        run: |
${attempt('tcp', `host=127.0.0.1 port=${port}`)}
${attempt('socket', `host=${socketDir} port=${port}`)}
${attempt('gateway', `host=10.0.2.2 port=${port}`)}
`,
      },
      'try the database',
    );
    await gitOk(['push', '-q', remoteUrl(base, 'mine', member), 'HEAD:refs/heads/main'], work);

    type Pipeline = { id: string; sha: string; status: string };
    const pipeline = await waitFor(
      async () => {
        const list = (await call(member, 'GET', '/api/projects/mine/pipelines')).json.items as Pipeline[];
        return list.find((x) => x.sha === sha && x.status !== 'queued' && x.status !== 'running');
      },
      90_000,
      'the pipeline to finish',
    );
    const log = (await call(member, 'GET', `/api/projects/mine/pipelines/${pipeline.id}/jobs/escalate/log`))
      .json.text as string;
    expect(log).not.toContain('ESCALATED');
    for (const label of ['tcp', 'socket', 'gateway']) expect(log).toContain(`refused-${label}`);

    // The admin still holds exactly the one token it started with.
    const tokens = (await call(BOOTSTRAP, 'GET', '/api/tokens')).json.items as unknown[];
    expect(tokens).toHaveLength(1);
  });
});

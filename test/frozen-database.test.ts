import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppResources, createHttp, createResources } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createToken, createUser } from '../src/modules/identity/index.ts';
import { createWorkerPool, type WorkerPool, waitForOperation } from '../src/modules/operations/index.ts';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { createPool, withDatabase } from '../src/platform/db/pool.ts';
import { createEventBus } from '../src/platform/events/index.ts';
import { SYSTEM_ACTOR } from '../src/platform/http/actor.ts';
import type { HttpApp } from '../src/platform/http/server.ts';
import { createLogger } from '../src/platform/log.ts';
import { bearer } from './app.ts';

/**
 * A PostgreSQL that stops answering — every one of its processes SIGSTOPped, so connections stay
 * open and nothing comes back — must not hang Orchard: /ready says 503 within its 2 s budget, an API
 * request fails with a 503 problem, and once the server runs again everything recovers (readiness,
 * requests, workers and the event bus). The server is a dedicated embedded PostgreSQL in this
 * test's own directory: stopping the shared one would freeze other test files.
 */

let dir: string;
let server: EmbeddedPostgres;
let res: AppResources;
let http: HttpApp;
let workers: WorkerPool;
let token: string;
let url: string;
let logger: ReturnType<typeof createLogger>;
const logs: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-frozen-'));
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  logger = createLogger({ level: 'info', destination: stream });
  server = await startEmbeddedPostgres({
    dir: path.join(dir, 'pg'),
    credentialsFile: path.join(dir, 'db.credentials.json'),
    logger,
  });
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query('CREATE DATABASE frozen');
  await admin.end();
  url = withDatabase(server.adminUrl, 'frozen');
  const setup = createPool(url, { max: 1 });
  await migrate(setup);
  await setup.end();
  const home = path.join(dir, 'home');
  const config = loadConfig({
    env: {},
    cwd: dir,
    flags: {
      home,
      databaseUrl: url,
      // Short, so the test does not wait out production-sized timeouts.
      'database.connectTimeoutMs': 1_000,
      'database.statementTimeoutMs': 1_500,
      'database.queryTimeoutMs': 2_000,
    },
  });
  res = await createResources(config, url, { logger, poolSize: 5 });
  http = await createHttp(res, { webRoot: path.join(home, 'no-web') });
  await http.ready();
  const user = await createUser(
    res.db,
    { actor: SYSTEM_ACTOR },
    { username: 'frozen', email: 'frozen@example.test', password: 'a-long-enough-password', role: 'admin' },
  );
  token = (
    await createToken(
      res.db,
      res.clock,
      { actor: SYSTEM_ACTOR },
      { userId: user.id, name: 't', scopes: ['read', 'write', 'admin'] },
    )
  ).token;
  workers = createWorkerPool({ res, registry: res.registry, queues: [], concurrency: 2, pollMs: 200 });
  await workers.start();
}, 120_000);

afterAll(async () => {
  await workers?.stop();
  await http?.close();
  await res?.bus.close();
  await res?.db.end();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The postmaster and every process it started (backends, checkpointer, walwriter, …). */
function serverProcesses(): number[] {
  const postmaster = Number(
    readFileSync(path.join(dir, 'pg', 'data', 'postmaster.pid'), 'utf8').split('\n')[0],
  );
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        // Field 4 of /proc/<pid>/stat is the parent pid (after the parenthesised command name).
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

function freeze(pids: number[]) {
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
}

/** Always called in a finally block: a server left stopped would hang everything after. */
function thaw(pids: number[]) {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // Already gone.
    }
  }
}

/** Polls `check` until it holds, or fails naming `what` once `ms` passed. */
async function until(check: () => boolean | Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves with the value and how long it took, or rejects once `ms` passed without an answer. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    const value = await Promise.race([promise, deadline]);
    return { value, ms: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

describe('a frozen PostgreSQL', () => {
  it('makes /ready answer 503 and requests fail with 503 instead of hanging; all recovers when it thaws', async () => {
    expect((await http.inject({ url: '/ready' })).statusCode).toBe(200);
    expect((await http.inject({ url: '/api/projects', headers: bearer(token) })).statusCode).toBe(200);

    const frozen = serverProcesses();
    expect(frozen.length).toBeGreaterThan(2);
    const measured: Record<string, number> = {};
    try {
      freeze(frozen);

      const ready = await within(4_000, '/ready', http.inject({ url: '/ready' }));
      measured.ready = ready.ms;
      expect(ready.value.statusCode).toBe(503);
      expect(ready.value.headers['content-type']).toContain('application/problem+json');
      expect(ready.value.json()).toMatchObject({
        status: 503,
        checks: { database: { ok: false } },
      });
      expect(ready.value.json().detail).toMatch(/database/);
      process.stdout.write(`/ready while frozen: ${ready.value.json().detail}\n`);

      const deep = await within(4_000, '/ready?deep=1', http.inject({ url: '/ready?deep=1' }));
      measured.deep = deep.ms;
      expect(deep.value.statusCode).toBe(503);

      const request = await within(
        8_000,
        'GET /api/projects',
        http.inject({ url: '/api/projects', headers: bearer(token) }),
      );
      measured.api = request.ms;
      expect(request.value.statusCode, request.value.body).toBe(503);
      expect(request.value.headers['content-type']).toContain('application/problem+json');
      expect(request.value.json()).toMatchObject({ status: 503, code: 'database_unavailable' });
    } finally {
      thaw(frozen);
    }
    process.stdout.write(`answers while frozen (ms): ${JSON.stringify(measured)}\n`);

    // Thawed: readiness, requests, and the workers and event bus (a canary runs end to end).
    const deadline = Date.now() + 30_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      status = (await http.inject({ url: '/ready' })).statusCode;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    expect((await http.inject({ url: '/api/projects', headers: bearer(token) })).statusCode).toBe(200);
    const started = await http.inject({
      method: 'POST',
      url: '/api/operations',
      headers: bearer(token),
      payload: { kind: 'system.canary' },
    });
    expect(started.statusCode, started.body).toBe(202);
    const op = await waitForOperation(res.db, started.json().id, { timeoutMs: 30_000, bus: res.bus });
    expect(op.status).toBe('succeeded');
    expect((await http.inject({ url: '/ready?deep=1' })).statusCode).toBe(200);
  }, 120_000);

  it('makes the event bus drop its silent LISTEN connection, reconnect once the server answers, and deliver again', async () => {
    const bus = createEventBus(url, logger, {
      pingMs: 200,
      statementTimeoutMs: 300,
      connectTimeoutMs: 500,
      reconnectMinMs: 50,
      reconnectMaxMs: 200,
    });
    try {
      const heard: string[] = [];
      let reconnected = 0;
      bus.onReconnect(() => reconnected++);
      const subscription = bus.subscribe('frozen_test', (payload) => heard.push(payload));
      await subscription.ready;
      const lostBefore = logs.filter((l) => l.includes('event bus connection lost')).length;
      const frozen = serverProcesses();
      try {
        freeze(frozen);
        await until(
          () => logs.filter((l) => l.includes('event bus connection lost')).length > lostBefore,
          5_000,
          'the event bus to notice its connection stopped answering',
        );
      } finally {
        thaw(frozen);
      }
      await until(() => reconnected > 0, 20_000, 'the event bus to reconnect');
      await res.db.query("SELECT pg_notify('frozen_test', 'after the thaw')");
      await until(() => heard.includes('after the thaw'), 5_000, 'a notification after the thaw');
    } finally {
      await bus.close();
    }
  }, 60_000);
});

import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { type AppResources, createHttp, createResources, type HttpOptions } from '../src/app.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { createToken, createUser } from '../src/modules/identity/index.ts';
import type { UserRow } from '../src/modules/identity/store.ts';
import { type Clock, systemClock } from '../src/platform/clock.ts';
import { type Scope, SYSTEM_ACTOR } from '../src/platform/http/actor.ts';
import type { HttpApp } from '../src/platform/http/server.ts';
import { createLogger } from '../src/platform/log.ts';
import type { Tracing } from '../src/platform/tracing.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface TestApp {
  config: Config;
  res: AppResources;
  http: HttpApp;
  database: TestDatabase;
  /** Every log line written so far (JSON strings). */
  logs: string[];
  /** Creates a user (admin or member) with a password and a token holding `scopes`. */
  user(
    role?: 'admin' | 'member',
    scopes?: Scope[],
  ): Promise<{ user: UserRow; token: string; password: string }>;
  close(): Promise<void>;
}

let counter = 0;

/**
 * A full Orchard HTTP app on a fresh database, driven with `http.inject()`; logs are captured.
 * `options.database` makes it a second replica on another app's database (closing it leaves the
 * database to its owner). `options.tracing` (e.g. over an in-memory exporter) is shut down on close.
 * `options.http` reaches the HTTP server (e.g. the LLM proxy's budget gate).
 */
export async function createTestApp(
  overrides: Record<string, unknown> = {},
  options: { clock?: Clock; database?: TestDatabase; tracing?: Tracing; http?: HttpOptions } = {},
): Promise<TestApp> {
  const shared = options.database;
  const database = shared ?? (await createTestDatabase());
  const home = await mkdtemp(path.join(os.tmpdir(), 'orchard-test-home-'));
  const config = loadConfig({
    env: {},
    cwd: home,
    flags: { home, databaseUrl: database.url, logLevel: 'info', ...overrides },
  });
  const logs: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => logs.push(...chunk.toString().split('\n').filter(Boolean)));
  const logger = createLogger({ level: 'info', destination: stream });
  const res = await createResources(config, database.url, {
    logger,
    clock: options.clock ?? systemClock,
    poolSize: 5,
    ...(options.tracing ? { tracing: options.tracing } : {}),
  });
  const http = await createHttp(res, { webRoot: path.join(home, 'no-web'), ...options.http });
  await http.ready();
  return {
    config,
    res,
    http,
    database,
    logs,
    async user(role = 'member', scopes) {
      const n = ++counter;
      const password = `password-${n}-long-enough`;
      const username = `${role}${n}-${process.pid}`;
      const email = `${username}@example.test`;
      const user = await createUser(res.db, { actor: SYSTEM_ACTOR }, { username, email, password, role });
      const { token } = await createToken(
        res.db,
        res.clock,
        { actor: SYSTEM_ACTOR },
        {
          userId: user.id,
          name: 'test',
          scopes: scopes ?? (role === 'admin' ? ['read', 'write', 'admin'] : ['read', 'write']),
        },
      );
      return { user, token, password };
    },
    async close() {
      await res.deploy.stop();
      await res.browsers.close();
      await http.close();
      await res.bus.close();
      await res.llm.flush();
      await res.tracing.shutdown();
      await res.db.end();
      if (!shared) await database.drop();
    },
  };
}

export function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}

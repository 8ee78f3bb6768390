import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createPool, type Db, withDatabase } from '../src/platform/db/pool.ts';
import { until } from './support/until.ts';

export interface TestDatabase {
  url: string;
  db: Db;
  /** Drops the database (connections are closed first). */
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const template = inject('pgTemplate');
  const name = `orchard_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = withDatabase(adminUrl, name);
  const db = createPool(url, { max: 10 });
  return {
    url,
    db,
    async drop() {
      await db.end().catch(() => undefined);
      await dropDatabase(adminUrl, name).catch(() => undefined);
    },
  };
}

/**
 * Drops `database` once no session is connected to it, or after `graceMs` by force. A pool's end()
 * resolves before the server has seen its connections go: forcing the drop at once kills those, and
 * a pool still holding one may have no 'error' listener left (an unhandled error that fails the
 * run). What is still open after the grace (a process the test killed) is cut.
 */
export async function dropDatabase(url: string, database: string, graceMs = 5_000): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await until(
      async () => {
        const { rows } = await client.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
          [database],
        );
        return rows[0]!.n === 0;
      },
      graceMs,
      `the connections to ${database} to close`,
    ).catch(() => undefined);
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Runs one statement on the server's maintenance database. */
export async function adminQuery(url: string, sql: string) {
  // CREATE DATABASE … TEMPLATE fails if another session is connected to the template at that
  // instant (two files starting together); retry briefly.
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt > 50) throw error;
    } finally {
      await client.end();
    }
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
  }
}

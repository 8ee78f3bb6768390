import type { Db } from '../../platform/db/pool.ts';

/**
 * Runs `fn` holding a session advisory lock named `key` (two Orchard processes preparing the same
 * release wait for each other). The lock dies with the connection if the process does.
 */
export async function withAdvisoryLock<T>(db: Db, key: string, fn: () => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 7300))', [key]);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 7300))', [key]);
    }
  } finally {
    client.release();
  }
}

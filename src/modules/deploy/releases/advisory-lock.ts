import type { Db } from '../../../platform/db/pool.ts';

/** How often a waiter asks again for a lock another process holds. */
const RETRY_MS = 250;

/**
 * Runs `fn` holding a session advisory lock named `key` (two Orchard processes preparing the same
 * release wait for each other). The lock dies with the connection if the process does. Waiting is
 * a loop of try-locks, not one blocking statement: the other process may build for minutes, longer
 * than the pool lets a statement run.
 */
export async function withAdvisoryLock<T>(
  db: Db,
  key: string,
  fn: () => Promise<T>,
  options: { signal?: AbortSignal } = {},
): Promise<T> {
  const client = await db.connect();
  let broken: Error | undefined;
  try {
    for (;;) {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 7300)) AS locked',
        [key],
      );
      if (rows[0]?.locked) break;
      options.signal?.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 7300))', [key]).catch((error) => {
        // A connection that cannot unlock must not go back to the pool still holding the lock.
        broken = error as Error;
      });
    }
  } finally {
    client.release(broken);
  }
}

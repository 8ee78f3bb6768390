import pg from 'pg';
import { withDatabase } from '../../../platform/db/pool.ts';

/**
 * Runs `fn` on a connection of the apps' server's admin role (to `database`, else the URL's own)
 * holding the session advisory lock of `name`: two Orchard processes making, backing up or
 * dropping the same app database wait for each other. The lock ends with the connection.
 */
export async function withAdminConnection<T>(
  adminUrl: string,
  o: { lock: string; database?: string },
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    connectionString: o.database ? withDatabase(adminUrl, o.database) : adminUrl,
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection the server drops must not become an unhandled 'error' event.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 7300))', [`orchard-app-db:${o.lock}`]);
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

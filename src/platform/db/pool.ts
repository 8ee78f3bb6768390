import pg from 'pg';
import { type DatabaseTimeouts, isConnectionBroken, poolTimeoutSettings } from './timeouts.ts';

// bigint (int8) columns come back as numbers: ids and counters here stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric stays a string by default; we store money as numeric and want numbers.
pg.types.setTypeParser(1700, (v) => Number(v));

export type Db = pg.Pool;
export type DbClient = pg.PoolClient;
/** Anything that can run a query: the pool or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

export function createPool(
  url: string,
  options: { max?: number; applicationName?: string; timeouts?: DatabaseTimeouts } = {},
): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 20,
    application_name: options.applicationName ?? 'orchard',
    idleTimeoutMillis: 30_000,
    ...poolTimeoutSettings(options.timeouts),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // Nor may a checked-out one between two queries (a transaction waiting on other work, a held
  // advisory lock) when the server goes away: pg emits 'error' on it, which with no listener is
  // an uncaught exception. Its holder learns of it from its next query, and releases it broken.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Clients inside a transaction that `withTransaction` opened (and has not yet ended). */
const inTransaction = new WeakSet<DbClient>();

/**
 * Runs `fn` in a transaction; rolls back on any error. Given a client that is already inside one
 * (passed down from an outer `withTransaction`), `fn` joins that transaction: a use case called by
 * another commits or rolls back with its caller's writes.
 */
export async function withTransaction<T>(
  db: Db | DbClient,
  fn: (client: DbClient) => Promise<T>,
): Promise<T> {
  if (inTransaction.has(db as DbClient)) return fn(db as DbClient);
  if (!(db instanceof pg.Pool))
    throw new Error('withTransaction needs the pool, or a client inside a transaction');
  const client = await db.connect();
  // A connection that stopped answering is dropped rather than rolled back (the server ends the
  // transaction when it sees the connection close) or handed to the next caller.
  let broken: unknown;
  try {
    await client.query('BEGIN');
    inTransaction.add(client);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (isConnectionBroken(error)) broken = error;
    else await client.query('ROLLBACK').catch((rollbackFailed) => (broken = rollbackFailed));
    throw error;
  } finally {
    inTransaction.delete(client);
    client.release(broken as Error | undefined);
  }
}

const SAVEPOINT_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Runs `fn` under a savepoint of the transaction `tx` is in: when it throws, its writes are undone
 * and the rest of the transaction goes on. The error is rethrown, or, given `onError`, handed to it
 * (then the result is undefined).
 */
export async function withSavepoint<T>(tx: Queryable, name: string, fn: () => Promise<T>): Promise<T>;
export async function withSavepoint<T>(
  tx: Queryable,
  name: string,
  fn: () => Promise<T>,
  onError: (error: unknown) => void,
): Promise<T | undefined>;
export async function withSavepoint<T>(
  tx: Queryable,
  name: string,
  fn: () => Promise<T>,
  onError?: (error: unknown) => void,
): Promise<T | undefined> {
  if (!SAVEPOINT_NAME.test(name)) throw new Error(`Invalid savepoint name "${name}"`);
  await tx.query(`SAVEPOINT ${name}`);
  try {
    const result = await fn();
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    if (!onError) throw error;
    onError(error);
    return undefined;
  }
}

/** Replaces the database name in a postgres URL. */
export function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { until } from '../../../test/support/until.ts';
import { createPool, type Db, withTransaction } from './pool.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.query('CREATE TABLE pool_test (n int)');
});
afterAll(async () => database?.drop());

describe('withTransaction', () => {
  it('joins the transaction of a client passed down to it: the outer rollback undoes the inner writes', async () => {
    const inner = (db: Db | Parameters<Parameters<typeof withTransaction>[1]>[0]) =>
      withTransaction(db, (tx) => tx.query('INSERT INTO pool_test VALUES (1)'));
    await expect(
      withTransaction(database.db, async (tx) => {
        await inner(tx);
        throw new Error('the caller fails after the inner use case wrote');
      }),
    ).rejects.toThrow('the caller fails');
    await inner(database.db);
    const { rows } = await database.db.query('SELECT count(*)::int AS n FROM pool_test');
    expect(rows[0].n).toBe(1);
  });

  it('drops a connection whose query got no answer in time instead of handing it to the next caller', async () => {
    // One connection, and a client-side timeout far below the statement's run time.
    const db = createPool(database.url, { max: 1, timeouts: { queryTimeoutMs: 300 } });
    try {
      await expect(withTransaction(db, (tx) => tx.query('SELECT pg_sleep(5)'))).rejects.toThrow(
        'Query read timeout',
      );
      // Reused, the connection would first wait out the sleep; dropped, the pool opens another.
      const next = withTransaction(db, (tx) => tx.query('SELECT 1 AS one'));
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('the next transaction waited behind the stuck query')),
          2_500,
        );
      });
      const result = (await Promise.race([next, deadline]).finally(() => clearTimeout(timer))) as {
        rows: Array<{ one: number }>;
      };
      expect(result.rows[0]!.one).toBe(1);
    } finally {
      await db.end();
    }
  });
});

describe('createPool', () => {
  it('outlives the server dropping a client held between two queries: its holder sees the next query fail', async () => {
    const db = createPool(database.url, { max: 2 });
    try {
      const held = await db.connect();
      const { rows } = await held.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // What a crash or a restart of the server does to every connection at once. Without a
      // listener on the held client, pg's 'error' event would be an uncaught exception here.
      await database.db.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      // Wait until the client has seen its socket close (pg's own state; no listener added here).
      const socket = (held as unknown as { connection: { stream: { destroyed: boolean } } }).connection
        .stream;
      await until(() => socket.destroyed, 10_000, 'the held connection to close');
      await expect(held.query('SELECT 1')).rejects.toThrow();
      held.release(true);
      const again = await db.query<{ one: number }>('SELECT 1 AS one');
      expect(again.rows).toEqual([{ one: 1 }]);
    } finally {
      await db.end();
    }
  });
});

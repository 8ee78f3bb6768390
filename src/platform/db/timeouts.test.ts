import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { createPool } from './pool.ts';
import { isDatabaseUnavailable } from './timeouts.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );

describe('isDatabaseUnavailable', () => {
  it('recognises a database that did not answer in time, and nothing else', async () => {
    const db = createPool(database.url, { max: 1, timeouts: { statementTimeoutMs: 100, queryTimeoutMs: 0 } });
    const slowClient = createPool(database.url, { max: 1, timeouts: { queryTimeoutMs: 100 } });
    const unreachable = createPool('postgres://nobody@127.0.0.1:1/none', {
      timeouts: { connectTimeoutMs: 500 },
    });
    try {
      const statementTimeout = await failure(db.query('SELECT pg_sleep(1)'));
      expect((statementTimeout as { code: string }).code).toBe('57014');
      const readTimeout = await failure(slowClient.query('SELECT pg_sleep(1)'));
      expect((readTimeout as Error).message).toBe('Query read timeout');
      const refused = await failure(unreachable.query('SELECT 1'));
      for (const error of [statementTimeout, readTimeout, refused])
        expect(isDatabaseUnavailable(error)).toBe(true);

      const badQuery = await failure(db.query('SELECT * FROM no_such_table'));
      const missingFile = await failure(readFile('/nonexistent/file'));
      for (const error of [badQuery, missingFile, new Error('boom')])
        expect(isDatabaseUnavailable(error)).toBe(false);
    } finally {
      await Promise.all([db.end(), slowClient.end(), unreachable.end()]);
    }
  });
});

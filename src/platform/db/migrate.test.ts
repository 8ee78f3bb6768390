import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { adminQuery, dropDatabase } from '../../../test/db.ts';
import { migrate, pendingMigrations, readMigrations } from './migrate.ts';
import { createPool, withDatabase } from './pool.ts';

const name = `orchard_mig_${randomBytes(4).toString('hex')}`;
const url = withDatabase(inject('pgAdminUrl'), name);
afterAll(async () => dropDatabase(inject('pgAdminUrl'), name));

describe('migrations', () => {
  it('apply exactly once when two processes start together', async () => {
    await adminQuery(inject('pgAdminUrl'), `CREATE DATABASE ${name}`);
    const a = createPool(url, { max: 2 });
    const b = createPool(url, { max: 2 });
    try {
      const all = await readMigrations();
      expect(await pendingMigrations(a)).toEqual(all.map((m) => m.name));
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      // One of them applied everything, the other found nothing left to do.
      expect([...ra, ...rb].sort()).toEqual(all.map((m) => m.name).sort());
      expect(Math.min(ra.length, rb.length)).toBe(0);
      const { rows } = await a.query('SELECT name FROM schema_migrations ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(all.map((m) => m.name));
      expect(await pendingMigrations(a)).toEqual([]);
    } finally {
      await a.end();
      await b.end();
    }
  });

  it('roll back a failing migration whole and name it', async () => {
    const db = createPool(url, { max: 1 });
    try {
      const bad = [
        { name: '9999_broken.sql', sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();' },
      ];
      await expect(migrate(db, bad)).rejects.toThrow('Migration 9999_broken.sql failed');
      const { rows } = await db.query(`SELECT to_regclass('half_done') AS t`);
      expect(rows[0].t).toBeNull();
    } finally {
      await db.end();
    }
  });
});

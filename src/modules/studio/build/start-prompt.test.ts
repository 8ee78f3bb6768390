import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';

/**
 * `POST /api/prompts` makes a project, its membership, a Blueprint with its first snapshot, a
 * feature and the build operation with its steps, in one transaction. A failure injected at each of
 * those writes (a trigger that raises) must leave nothing behind, and the same prompt then succeeds.
 */
let t: TestApp;
let h: { authorization: string };

const TABLES = [
  'projects',
  'project_members',
  'blueprints',
  'blueprint_snapshots',
  'features',
  'operations',
  'steps',
  'operation_events',
  'audit_log',
];
const INJECTED = 'injected failure in prompt start';

beforeAll(async () => {
  t = await createTestApp();
  h = bearer((await t.user('member')).token);
});
afterAll(() => t?.close());

async function counts() {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const { rows } = await t.res.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    out[table] = rows[0]!.n;
  }
  return out;
}

async function failInsertsInto(table: string | undefined) {
  if (!table) {
    await t.res.db.query('DROP FUNCTION IF EXISTS test_fail_prompt() CASCADE');
    return;
  }
  await t.res.db.query(`CREATE OR REPLACE FUNCTION test_fail_prompt() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '${INJECTED}'; END $$`);
  await t.res.db.query(
    `CREATE TRIGGER test_fail_prompt BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION test_fail_prompt()`,
  );
}

const prompt = (text: string) =>
  t.http.inject({ method: 'POST', url: '/api/prompts', headers: h, payload: { prompt: text } });

describe('a landing prompt that fails part-way', () => {
  // In the order prompt start writes them: each one after the project exists.
  for (const table of ['blueprints', 'blueprint_snapshots', 'features', 'operations', 'steps']) {
    it(`leaves no project, Blueprint or build behind when the insert into ${table} fails`, async () => {
      const before = await counts();
      await failInsertsInto(table);
      let failed: Awaited<ReturnType<typeof prompt>>;
      try {
        failed = await prompt(`a reading list where friends rate books (${table})`);
      } finally {
        await failInsertsInto(undefined);
      }
      expect(failed.statusCode, failed.body).toBe(500);
      expect(failed.headers['content-type']).toContain('application/problem+json');
      // The failure really happened where it was injected, after earlier writes of the same request.
      const requestId = String(failed.headers['x-request-id']);
      expect(t.logs.some((line) => line.includes(requestId) && line.includes(INJECTED))).toBe(true);
      expect(await counts()).toEqual(before);

      const ok = await prompt(`a reading list where friends rate books (${table})`);
      expect(ok.statusCode, ok.body).toBe(202);
      const after = await counts();
      for (const name of ['projects', 'blueprints', 'operations']) {
        expect(after[name], name).toBe(before[name]! + 1);
      }
    });
  }
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { engineResources, Registry, startPool } from '../../../test/support/operations-engine.ts';
import { ManualClock } from '../../platform/clock.ts';
import { registerCanaryJobs } from './canary.ts';
import { defineStep, defineWorkflow } from './engine/define.ts';
import { pruneOperations } from './prune-operations.ts';
import { startOperation } from './start-operation.ts';
import { waitForOperation } from './wait-for-operation.ts';

let database: TestDatabase;
let res: ReturnType<typeof engineResources>;
const registry = new Registry();
registerCanaryJobs(registry);
registry.add(
  defineWorkflow('prune.work', z.object({}), () => [{ key: 'a', step: 'prune.step' }]),
  defineStep('prune.step', { queue: 'prune', handler: async () => 'ok' }),
  defineWorkflow('prune.routine', z.object({}), () => [{ key: 'a', step: 'prune.step' }], { routine: true }),
);

beforeAll(async () => {
  database = await createTestDatabase();
  res = engineResources(database);
});
afterAll(async () => {
  await res?.bus.close();
  await database?.drop();
});

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

/** Runs an operation to its end, then dates its finish `ageMs` before `now`. */
async function finishedOperation(kind: string, ageMs: number, now: Date) {
  const { id } = await startOperation(res.db, registry, { kind, input: {} });
  expect((await waitForOperation(res.db, id, { timeoutMs: 10_000, bus: res.bus })).status).toBe('succeeded');
  await res.db.query('UPDATE operations SET finished_at = $2 WHERE id = $1', [
    id,
    new Date(now.getTime() - ageMs),
  ]);
  return id;
}

async function counts(id: string) {
  const { rows } = await res.db.query<{ ops: number; steps: number; events: number }>(
    `SELECT (SELECT count(*) FROM operations WHERE id = $1)::int AS ops,
            (SELECT count(*) FROM steps WHERE operation_id = $1)::int AS steps,
            (SELECT count(*) FROM operation_events WHERE operation_id = $1)::int AS events`,
    [id],
  );
  return rows[0]!;
}

describe('operation retention', () => {
  it('deletes canaries after an hour and other finished operations after the retention, with their steps and events', async () => {
    const clock = new ManualClock(new Date());
    const now = clock.now();
    const pool = await startPool(res, registry, { queues: ['default', 'prune'] });
    let old: string, recentCanary: string, oldCanary: string, young: string;
    try {
      oldCanary = await finishedOperation('system.canary', 2 * HOUR, now);
      recentCanary = await finishedOperation('system.canary', 10 * 60_000, now);
      old = await finishedOperation('prune.work', 40 * DAY, now);
      young = await finishedOperation('prune.work', 5 * DAY, now);
    } finally {
      await pool.stop();
    }
    // A queued operation is never pruned, however old.
    const { id: queued } = await startOperation(res.db, registry, { kind: 'prune.work', input: {} });
    await res.db.query(`UPDATE operations SET created_at = $2 WHERE id = $1`, [
      queued,
      new Date(now.getTime() - 100 * DAY),
    ]);
    expect((await counts(old)).events).toBeGreaterThan(0);

    // Retention 0 keeps everything but the old canary.
    expect(await pruneOperations(res.db, clock, { retentionDays: 0 })).toBe(1);
    expect(await counts(oldCanary)).toEqual({ ops: 0, steps: 0, events: 0 });
    expect((await counts(recentCanary)).ops).toBe(1);
    expect((await counts(old)).ops).toBe(1);

    // Thirty days: the 40-day-old one goes, in batches of one to show the loop.
    expect(await pruneOperations(res.db, clock, { retentionDays: 30, batchSize: 1 })).toBe(1);
    expect(await counts(old)).toEqual({ ops: 0, steps: 0, events: 0 });
    expect((await counts(young)).ops).toBe(1);
    expect((await counts(queued)).ops).toBe(1);

    // An hour later the other canary is due too.
    clock.advance(HOUR);
    expect(await pruneOperations(res.db, clock, { retentionDays: 30 })).toBe(1);
    expect((await counts(recentCanary)).ops).toBe(0);
    expect((await counts(young)).ops).toBe(1);
  });

  it('deletes the succeeded runs of routines after an hour and keeps their failed runs to be read', async () => {
    const clock = new ManualClock(new Date());
    const now = clock.now();
    const pool = await startPool(res, registry, { queues: ['default', 'prune'] });
    let succeeded: string, failed: string, recent: string;
    try {
      succeeded = await finishedOperation('prune.routine', 2 * HOUR, now);
      failed = await finishedOperation('prune.routine', 2 * HOUR, now);
      recent = await finishedOperation('prune.routine', 10 * 60_000, now);
    } finally {
      await pool.stop();
    }
    await res.db.query(`UPDATE operations SET status = 'failed' WHERE id = $1`, [failed]);
    expect(registry.routineKinds()).toEqual(['prune.routine']);
    const routineKinds = registry.routineKinds();
    expect(await pruneOperations(res.db, clock, { retentionDays: 0, routineKinds })).toBe(1);
    expect(await counts(succeeded)).toEqual({ ops: 0, steps: 0, events: 0 });
    expect((await counts(failed)).ops).toBe(1);
    expect((await counts(recent)).ops).toBe(1);
  });
});

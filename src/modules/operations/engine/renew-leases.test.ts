import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import { Registry } from '../../../../test/support/operations-engine.ts';
import { ManualClock } from '../../../platform/clock.ts';
import { createPool, type Db } from '../../../platform/db/pool.ts';
import { startOperation } from '../start-operation.ts';
import { claimSteps } from './claim-steps.ts';
import { completeSteps } from './complete-steps.ts';
import { defineStep, defineWorkflow } from './define.ts';
import { reapExpiredLeases } from './reap-leases.ts';
import { renewLeases } from './renew-leases.ts';

/**
 * Lease renewal, batch completion and the reaper update the same step rows; each locks them in
 * ascending id order, so running them together over overlapping sets never deadlocks (40P01).
 */
let database: TestDatabase;
/** Connections of their own: a heartbeat and a completion run on different connections. */
let heartbeats: Db;
let completions: Db;
const registry = new Registry();
registry.add(
  defineWorkflow('test.lock-order', z.object({ steps: z.number().int() }), (input) =>
    Array.from({ length: input.steps }, (_, i) => ({ key: `s${i}`, step: 'lock.noop' })),
  ),
  defineStep('lock.noop', { queue: 'lock-order', handler: async () => null }),
);

beforeAll(async () => {
  database = await createTestDatabase();
  heartbeats = createPool(database.url, { max: 2 });
  completions = createPool(database.url, { max: 2 });
});
afterAll(async () => {
  await heartbeats?.end();
  await completions?.end();
  await database?.drop();
});

/** Fisher–Yates with a seeded generator: each round has its own order, the same on every run. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Heartbeats over and over (as a busy worker's would come round) until `other` has settled. */
async function renewWhile(other: Promise<unknown>, renew: () => Promise<unknown>) {
  let settled = false;
  const done = other.finally(() => {
    settled = true;
  });
  done.catch(() => undefined);
  do await renew();
  while (!settled);
}

async function claimRound(clock: ManualClock, steps: number, owner: string) {
  await startOperation(database.db, registry, { kind: 'test.lock-order', input: { steps }, clock });
  const jobs = await claimSteps(database.db, {
    queues: ['lock-order'],
    limit: steps,
    owner,
    leaseMs: 1_000,
    clock,
  });
  expect(jobs).toHaveLength(steps);
  return jobs;
}

const STEPS = 40;

describe('step row lock order', () => {
  it('renews leases while the same steps complete, in opposite orders, without a deadlock', {
    timeout: 120_000,
  }, async () => {
    const clock = new ManualClock(new Date('2026-04-01T00:00:00Z'));
    const deadlocks: unknown[] = [];
    const owner = 'worker-a';
    for (let round = 0; round < 100; round++) {
      const jobs = await claimRound(clock, STEPS, owner);
      // The heartbeat lists steps in the order they were claimed; completions arrive in the order
      // handlers finished — here the opposite, or shuffled.
      const renewOrder = round % 2 ? shuffled(jobs, round) : jobs;
      const completeOrder = round % 2 ? shuffled(jobs, round + 1000) : [...jobs].reverse();
      const completion = completeSteps(
        completions,
        clock,
        completeOrder.map((job) => ({ job, output: null, durationMs: 1 })),
      );
      const results = await Promise.allSettled([
        renewWhile(completion, () =>
          renewLeases(heartbeats, {
            steps: renewOrder.map((j) => ({ id: j.id, attempt: j.attempt })),
            owner,
            leaseMs: 1_000,
            clock,
          }),
        ),
        completion,
      ]);
      for (const r of results) if (r.status === 'rejected') deadlocks.push(r.reason);
    }
    expect(deadlocks.map((e) => `${(e as { code?: string }).code}: ${(e as Error).message}`)).toEqual([]);
  });

  it('reaps expired leases while their worker still renews them, without a deadlock', {
    timeout: 120_000,
  }, async () => {
    const clock = new ManualClock(new Date('2026-05-01T00:00:00Z'));
    const failures: unknown[] = [];
    for (let round = 0; round < 50; round++) {
      const owner = `worker-${round}`;
      const jobs = await claimRound(clock, STEPS, owner);
      clock.advance(1_500);
      const reaping = reapExpiredLeases(completions, registry, clock);
      const results = await Promise.allSettled([
        renewWhile(reaping, () =>
          renewLeases(heartbeats, {
            steps: shuffled(jobs, round).map((j) => ({ id: j.id, attempt: j.attempt })),
            owner,
            leaseMs: 1_000,
            clock,
          }),
        ),
        reaping,
      ]);
      for (const r of results) if (r.status === 'rejected') failures.push(r.reason);
      // Whatever the reaper returned to the queue is claimed again by the next round's worker.
      await completeSteps(
        completions,
        clock,
        (
          await claimSteps(completions, {
            queues: ['lock-order'],
            limit: 100,
            owner: `${owner}-cleanup`,
            leaseMs: 1_000,
            clock,
          })
        ).map((job) => ({ job, output: null, durationMs: 1 })),
      );
    }
    expect(failures.map((e) => `${(e as { code?: string }).code}: ${(e as Error).message}`)).toEqual([]);
  });
});

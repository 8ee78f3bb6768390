import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import {
  engineResources,
  eventsOf,
  Registry,
  startPool,
  stepsOf,
} from '../../../../test/support/operations-engine.ts';
import { until } from '../../../../test/support/until.ts';
import { systemClock } from '../../../platform/clock.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { cancelOperation } from '../cancel-operation.ts';
import { startOperation } from '../start-operation.ts';
import { waitForOperation } from '../wait-for-operation.ts';
import { claimSteps } from './claim-steps.ts';
import { completeSteps } from './complete-steps.ts';
import { defineStep, defineWorkflow } from './define.ts';
import type { WorkerPool } from './worker-pool.ts';

let database: TestDatabase;
let res: ReturnType<typeof engineResources>;
const pools: WorkerPool[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  res = engineResources(database);
});
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.stop();
});
afterAll(async () => {
  await res?.bus.close();
  await database?.drop();
});

/** A workflow of `steps` independent steps on `queue`, all run by `handler`. */
function wide(kind: string, queue: string, handler: (key: string) => Promise<unknown>) {
  const registry = new Registry();
  registry.add(
    defineWorkflow(kind, z.object({ steps: z.number().int() }), (input) =>
      Array.from({ length: input.steps }, (_, i) => ({ key: `s${String(i).padStart(3, '0')}`, step: kind })),
    ),
    defineStep(kind, { queue, handler: (ctx) => handler(ctx.stepKey) }),
  );
  return registry;
}

async function pool(registry: Registry, queue: string, options: Parameters<typeof startPool>[2] = {}) {
  const p = await startPool(res, registry, { queues: [queue], ...options });
  pools.push(p);
  return p;
}

/** A promise with its resolver: a handler waits on it until the test lets it go. */
function gate() {
  let open!: () => void;
  const closed = new Promise<void>((resolve) => (open = resolve));
  return { closed, open };
}

describe('worker pool look-ahead', () => {
  it('claims ahead while steps are short, never running more handlers than its slots', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let maxAhead = 0;
    let p: WorkerPool | undefined;
    const registry = wide('ahead.short', 'ahead-short', async () => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      maxAhead = Math.max(maxAhead, p?.prefetched ?? 0);
      await sleep(1);
      inFlight -= 1;
    });
    p = await pool(registry, 'ahead-short', { concurrency: 3 });
    const { id } = await startOperation(res.db, registry, { kind: 'ahead.short', input: { steps: 120 } });
    const op = await waitForOperation(res.db, id, { timeoutMs: 20_000, bus: res.bus });
    expect(op.status).toBe('succeeded');
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(maxAhead).toBeGreaterThan(3);
    // Every step ran once: one `running` event each, all from this pool.
    const running = (await eventsOf(res.db, id)).filter(
      (e) => e.type === 'step' && e.data.status === 'running',
    );
    expect(running).toHaveLength(120);
    expect(new Set(running.map((e) => e.step_key)).size).toBe(120);
    expect(new Set(running.map((e) => e.data.worker))).toEqual(new Set([p.id]));
  });

  it('claims nothing ahead for long steps', async () => {
    let p: WorkerPool | undefined;
    const seen: number[] = [];
    const registry = wide('ahead.long', 'ahead-long', async () => {
      seen.push(p?.prefetched ?? -1);
      await sleep(120); // the work of a long step
    });
    p = await pool(registry, 'ahead-long', { concurrency: 2 });
    const { id } = await startOperation(res.db, registry, { kind: 'ahead.long', input: { steps: 8 } });
    const op = await waitForOperation(res.db, id, { timeoutMs: 20_000, bus: res.bus });
    expect(op.status).toBe('succeeded');
    expect(seen).toHaveLength(8);
    expect(seen.every((n) => n === 0)).toBe(true);
  });

  it('hands steps claimed ahead back when it stops; another worker runs them, each once', async () => {
    const ran: string[] = [];
    const hold = gate();
    const registry = wide('ahead.stop', 'ahead-stop', async (key) => {
      ran.push(key);
      if (key === 's005') await hold.closed;
    });
    // Enough time ahead that the whole rest is claimed however slow the machine runs the first steps.
    const first = await pool(registry, 'ahead-stop', { concurrency: 1, prefetchMs: 10_000 });
    const { id } = await startOperation(res.db, registry, { kind: 'ahead.stop', input: { steps: 30 } });
    await until(() => ran.includes('s005') && first.prefetched === 30 - 6, 10_000, 'steps claimed ahead');
    const stopping = first.stop();
    // Claimed-ahead steps are ready again at once, their attempt not counted; s005 still runs.
    await until(async () => {
      const steps = Object.values(await stepsOf(res.db, id));
      return steps.filter((s) => s.status === 'ready').length === 30 - 6 && steps;
    });
    const steps = await stepsOf(res.db, id);
    expect(steps.s006).toMatchObject({ status: 'ready', attempt: 0 });
    expect(steps.s005!.status).toBe('running');
    hold.open();
    await stopping;
    await pool(registry, 'ahead-stop', { concurrency: 2 });
    const op = await waitForOperation(res.db, id, { timeoutMs: 20_000, bus: res.bus });
    expect(op.status).toBe('succeeded');
    expect(ran.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `s${String(i).padStart(3, '0')}`));
    const released = (await eventsOf(res.db, id)).filter((e) => e.data.released === true);
    expect(released.length).toBe(30 - 6);
  });

  it('records steps claimed ahead as cancelled when their operation is cancelled, without running them', async () => {
    const ran: string[] = [];
    const hold = gate();
    const registry = wide('ahead.cancel', 'ahead-cancel', async (key) => {
      ran.push(key);
      if (key === 's005') await hold.closed;
    });
    const p = await pool(registry, 'ahead-cancel', { concurrency: 1 });
    const { id } = await startOperation(res.db, registry, { kind: 'ahead.cancel', input: { steps: 30 } });
    await until(() => ran.includes('s005') && p.prefetched > 0, 10_000, 'steps claimed ahead');
    await cancelOperation(res.db, registry, { actor: SYSTEM_ACTOR }, id);
    await until(() => p.prefetched === 0, 10_000, 'the look-ahead to empty');
    hold.open();
    const op = await waitForOperation(res.db, id, { timeoutMs: 10_000, bus: res.bus });
    expect(op.status).toBe('cancelled');
    await until(async () => {
      const steps = Object.values(await stepsOf(res.db, id));
      return steps.every((s) => s.status !== 'running' && s.status !== 'ready');
    });
    expect(ran).toEqual(['s000', 's001', 's002', 's003', 's004', 's005']);
    const steps = await stepsOf(res.db, id);
    expect(steps.s029!.status).toBe('cancelled');
  });

  it('hands back steps that wait behind a long step, so an idle worker takes them', async () => {
    const ran = new Map<string, string>();
    const hold = gate();
    const registry = wide('ahead.stuck', 'ahead-stuck', async (key) => {
      if (key === 's005') await hold.closed;
    });
    const busy = await pool(registry, 'ahead-stuck', { concurrency: 1, heartbeatMs: 200 });
    const { id } = await startOperation(res.db, registry, { kind: 'ahead.stuck', input: { steps: 30 } });
    await until(() => busy.prefetched > 0, 10_000, 'steps claimed ahead');
    // s005 holds the only slot past the long-step mark (1 s): the rest go back to the queue…
    await until(() => busy.prefetched === 0, 10_000, 'the look-ahead to be handed back');
    const idle = await pool(registry, 'ahead-stuck', { concurrency: 2, prefetchMs: 0 });
    // …and the idle worker finishes them while s005 still runs on the busy one.
    await until(async () => {
      const steps = await stepsOf(res.db, id);
      return Object.entries(steps).every(([key, s]) => key === 's005' || s.status === 'succeeded');
    });
    for (const e of await eventsOf(res.db, id)) {
      if (e.type === 'step' && e.data.status === 'running' && e.step_key)
        ran.set(e.step_key, String(e.data.worker));
    }
    expect(ran.get('s005')).toBe(busy.id);
    expect(ran.get('s029')).toBe(idle.id);
    hold.open();
    const op = await waitForOperation(res.db, id, { timeoutMs: 10_000, bus: res.bus });
    expect(op.status).toBe('succeeded');
  });
});

describe('claiming under contention', () => {
  it('concurrent batch claims and completions of the same operations never deadlock', async () => {
    const registry = wide('contend.noop', 'contend', async () => null);
    const ops = await Promise.all(
      Array.from({ length: 80 }, () =>
        startOperation(res.db, registry, { kind: 'contend.noop', input: { steps: 20 } }),
      ),
    );
    // Four claimers batch-claim and batch-complete steps of the same 20-step operations as fast
    // as they can; claimers used to hold row locks while waiting for a completer's stream lock.
    let claimed = 0;
    await Promise.all(
      Array.from({ length: 4 }, async (_, w) => {
        while (claimed < 1600) {
          const jobs = await claimSteps(res.db, {
            queues: ['contend'],
            limit: 4 + w * 4,
            owner: `claimer-${w}`,
            leaseMs: 30_000,
            clock: systemClock,
          });
          if (jobs.length === 0) {
            await sleep(1); // the rest are another claimer's now
            continue;
          }
          claimed += jobs.length;
          const results = await completeSteps(
            res.db,
            systemClock,
            jobs.map((job) => ({ job, output: null, durationMs: 0 })),
          );
          expect(results.every((r) => r.applied)).toBe(true);
        }
      }),
    );
    expect(claimed).toBe(1600);
    for (const { id } of ops) {
      const op = await waitForOperation(res.db, id, { timeoutMs: 5_000, bus: res.bus });
      expect(op.status).toBe('succeeded');
    }
  });
});

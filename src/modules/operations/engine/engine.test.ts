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
import { ManualClock } from '../../../platform/clock.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { cancelOperation } from '../cancel-operation.ts';
import { NonRetryableError } from '../errors.ts';
import { retryOperation } from '../retry-operation.ts';
import { startOperation } from '../start-operation.ts';
import { findOperation } from '../store.ts';
import { waitForOperation } from '../wait-for-operation.ts';
import { claimSteps } from './claim-steps.ts';
import { defineStep, defineWorkflow, type StepSpec } from './define.ts';
import { finishStep } from './finish-step.ts';
import { reapExpiredLeases } from './reap-leases.ts';
import { renewLeases } from './renew-leases.ts';
import type { WorkerPool } from './worker-pool.ts';

let database: TestDatabase;
let res: ReturnType<typeof engineResources>;
const pools: WorkerPool[] = [];
const system = { actor: SYSTEM_ACTOR };

beforeAll(async () => {
  database = await createTestDatabase();
  res = engineResources(database);
});
// Each test's workers stop with it, so no pool claims another test's steps.
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.stop();
});
afterAll(async () => {
  await res?.bus.close();
  await database?.drop();
});

/** A registry with one workflow of `kind` whose graph is `graph`, plus the given steps. */
function workflow(kind: string, graph: StepSpec[], ...steps: ReturnType<typeof defineStep>[]) {
  const registry = new Registry();
  registry.add(
    defineWorkflow(kind, z.object({}).passthrough(), () => graph),
    ...steps,
  );
  return registry;
}

async function run(registry: Registry, kind: string, options: { queue?: string } = {}) {
  const pool = await startPool(res, registry, { queues: [options.queue ?? 'default'] });
  pools.push(pool);
  const { id } = await startOperation(res.db, registry, { kind, input: {} });
  return { id, pool };
}

describe('operations engine', () => {
  it('runs a DAG in dependency order and hands each step its dependencies’ outputs', async () => {
    const order: string[] = [];
    const seen: Record<string, unknown> = {};
    const step = defineStep<{ name: string }>('dag.step', {
      handler: async (ctx) => {
        order.push(ctx.stepKey);
        seen[ctx.stepKey] = ctx.deps;
        await sleep(5);
        return { from: ctx.stepKey };
      },
    });
    const registry = workflow(
      'test.dag',
      [
        { key: 'd', step: 'dag.step', dependsOn: ['b', 'c'] },
        { key: 'b', step: 'dag.step', dependsOn: ['a'] },
        { key: 'c', step: 'dag.step', dependsOn: ['a'] },
        { key: 'a', step: 'dag.step' },
      ],
      step,
    );
    const { id } = await run(registry, 'test.dag');
    const op = await waitForOperation(res.db, id, { timeoutMs: 10_000, bus: res.bus });
    expect(op.status).toBe('succeeded');
    expect(order[0]).toBe('a');
    expect(order.slice(1, 3).sort()).toEqual(['b', 'c']);
    expect(order[3]).toBe('d');
    expect(seen.d).toEqual({ b: { from: 'b' }, c: { from: 'c' } });
    expect(op.output).toEqual({ d: { from: 'd' } });
    const events = await eventsOf(res.db, id);
    expect(events[0]).toMatchObject({ type: 'operation', data: { status: 'queued' } });
    expect(events.at(-1)).toMatchObject({ type: 'complete', data: { status: 'succeeded', run: 1 } });
  });

  it('fans out: children run in parallel and the parent’s dependents wait for all of them', async () => {
    const finished: string[] = [];
    let afterSaw: Record<string, unknown> = {};
    const registry = workflow(
      'test.fanout',
      [
        { key: 'split', step: 'fan.split' },
        { key: 'join', step: 'fan.join', dependsOn: ['split'] },
      ],
      defineStep('fan.split', {
        handler: async (ctx) => {
          await ctx.addSteps(
            Array.from({ length: 5 }, (_, i) => ({ key: `part${i}`, step: 'fan.part', input: i })),
          );
          return { parts: 5 };
        },
      }),
      defineStep<number>('fan.part', {
        handler: async (ctx) => {
          await sleep(20 + ctx.input * 5);
          finished.push(ctx.stepKey);
          return ctx.input * 10;
        },
      }),
      defineStep('fan.join', {
        handler: async (ctx) => {
          afterSaw = ctx.deps;
          finished.push(ctx.stepKey);
          return 'joined';
        },
      }),
    );
    const { id } = await run(registry, 'test.fanout');
    const op = await waitForOperation(res.db, id, { timeoutMs: 10_000, bus: res.bus });
    expect(op.status).toBe('succeeded');
    expect(finished).toHaveLength(6);
    expect(finished.at(-1)).toBe('join');
    expect(afterSaw).toMatchObject({ split: { parts: 5 }, 'split/part0': 0, 'split/part4': 40 });
    const steps = await stepsOf(res.db, id);
    expect(Object.keys(steps)).toHaveLength(7);
    const events = await eventsOf(res.db, id);
    const waiting = events.findIndex((e) => e.step_key === 'split' && e.data.status === 'waiting');
    const splitDone = events.findIndex((e) => e.step_key === 'split' && e.data.status === 'succeeded');
    const lastPart = Math.max(
      ...events.map((e, i) => (e.step_key?.startsWith('split/') && e.data.status === 'succeeded' ? i : -1)),
    );
    expect(waiting).toBeGreaterThan(-1);
    expect(splitDone).toBeGreaterThan(lastPart);
  });

  it('retries with exponential backoff and full jitter under an injected clock and random source', async () => {
    const clock = new ManualClock(new Date('2026-03-01T00:00:00Z'));
    const local = engineResources(database, clock);
    let calls = 0;
    const registry = workflow(
      'test.backoff',
      [{ key: 'flaky', step: 'backoff.flaky', queue: 'backoff' }],
      defineStep('backoff.flaky', {
        retry: { maxAttempts: 4, baseMs: 1_000, maxMs: 1_500 },
        handler: async () => {
          calls += 1;
          if (calls < 4) throw new Error(`flaky ${calls}`);
          return 'finally';
        },
      }),
    );
    const pool = await startPool(local, registry, { queues: ['backoff'], random: () => 0.5 });
    try {
      const { id } = await startOperation(local.db, registry, { kind: 'test.backoff', input: {}, clock });
      // Attempt n waits random × min(maxMs, baseMs × 2^(n-1)): 0.5 × 1000, 0.5 × 1500 (capped), 0.5 × 1500.
      for (const [attempt, delay] of [
        [1, 500],
        [2, 750],
        [3, 750],
      ] as const) {
        const step = await until(async () => {
          const s = (await stepsOf(local.db, id)).flaky!;
          return s.attempt === attempt && s.status === 'ready' && s;
        });
        expect(step.run_after.getTime() - clock.now().getTime()).toBe(delay);
        expect(step.error?.message).toBe(`flaky ${attempt}`);
        // Not claimable before its time, by any worker.
        expect(
          await claimSteps(local.db, { queues: ['backoff'], limit: 1, owner: 'probe', leaseMs: 1000, clock }),
        ).toEqual([]);
        clock.advance(delay);
        pool.wake();
      }
      const op = await waitForOperation(local.db, id, { timeoutMs: 10_000, bus: local.bus });
      expect(op.status).toBe('succeeded');
      expect(calls).toBe(4);
      const retries = (await eventsOf(local.db, id)).filter(
        (e) => e.type === 'step' && e.data.status === 'ready',
      );
      expect(retries.map((e) => e.data.retryAt)).toEqual([
        '2026-03-01T00:00:00.500Z',
        '2026-03-01T00:00:01.250Z',
        '2026-03-01T00:00:02.000Z',
      ]);
      // A step's duration is its last attempt's: the time spent waiting for retries is not counted.
      const flaky = (await stepsOf(local.db, id)).flaky!;
      expect(flaky.started_at?.toISOString()).toBe('2026-03-01T00:00:02.000Z');
      expect(flaky.finished_at!.getTime() - flaky.started_at!.getTime()).toBe(0);
    } finally {
      await pool.stop();
      await local.bus.close();
    }
  });

  it('fails fast on a NonRetryableError and cancels what would have run after it', async () => {
    let calls = 0;
    const registry = workflow(
      'test.fatal',
      [
        { key: 'bad', step: 'fatal.bad' },
        { key: 'after', step: 'fatal.after', dependsOn: ['bad'] },
      ],
      defineStep('fatal.bad', {
        retry: { maxAttempts: 5 },
        handler: async () => {
          calls += 1;
          throw new NonRetryableError('the input can never work');
        },
      }),
      defineStep('fatal.after', { handler: async () => 'never' }),
    );
    const { id } = await run(registry, 'test.fatal');
    const op = await waitForOperation(res.db, id, { timeoutMs: 10_000, bus: res.bus });
    expect(op.status).toBe('failed');
    expect(op.error).toMatchObject({ message: 'the input can never work', step: 'bad', retryable: false });
    expect(calls).toBe(1);
    const steps = await stepsOf(res.db, id);
    expect(steps.bad!.status).toBe('failed');
    expect(steps.after!.status).toBe('cancelled');
    const events = await eventsOf(res.db, id);
    expect(events.filter((e) => e.type === 'error')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'complete', data: { status: 'failed' } });
  });

  it('times a step out: the handler’s signal aborts and the attempt fails', async () => {
    let reason: unknown;
    const registry = workflow(
      'test.timeout',
      [{ key: 'slow', step: 'timeout.slow' }],
      defineStep('timeout.slow', {
        timeoutMs: 100,
        retry: { maxAttempts: 1 },
        handler: (ctx) =>
          new Promise((_, reject) =>
            ctx.signal.addEventListener('abort', () => {
              reason = ctx.signal.reason;
              reject(ctx.signal.reason);
            }),
          ),
      }),
    );
    const { id } = await run(registry, 'test.timeout');
    const op = await waitForOperation(res.db, id, { timeoutMs: 10_000, bus: res.bus });
    expect(op.status).toBe('failed');
    expect(op.error?.message).toBe('Step "slow" timed out after 100 ms');
    expect((reason as Error).name).toBe('StepTimeoutError');
  });

  it('cancels during a step: the handler sees the abort and nothing after it runs', async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    let aborted!: (reason: unknown) => void;
    const sawAbort = new Promise((r) => (aborted = r));
    let afterRan = false;
    const registry = workflow(
      'test.cancel',
      [
        { key: 'long', step: 'cancel.long' },
        { key: 'after', step: 'cancel.after', dependsOn: ['long'] },
      ],
      defineStep('cancel.long', {
        handler: (ctx) =>
          new Promise((_, reject) => {
            ctx.signal.addEventListener('abort', () => {
              aborted(ctx.signal.reason);
              reject(ctx.signal.reason);
            });
            started();
          }),
      }),
      defineStep('cancel.after', {
        handler: async () => {
          afterRan = true;
        },
      }),
    );
    const { id } = await run(registry, 'test.cancel');
    await running;
    const cancelled = await cancelOperation(res.db, registry, system, id);
    expect(cancelled.status).toBe('cancelled');
    expect(((await sawAbort) as Error).name).toBe('StepCancelledError');
    await until(
      async () => (await stepsOf(res.db, id)).long!.status === 'cancelled',
      10_000,
      'the step to be cancelled',
    );
    const steps = await stepsOf(res.db, id);
    expect(steps.after!.status).toBe('cancelled');
    expect(afterRan).toBe(false);
    const events = await eventsOf(res.db, id);
    expect(events.some((e) => e.step_key === 'after' && e.data.status === 'running')).toBe(false);
    // Cancelling again is a no-op.
    expect((await cancelOperation(res.db, registry, system, id)).status).toBe('cancelled');
  });

  it('retrying a failed operation re-runs only the steps that did not succeed', async () => {
    const calls: Record<string, number> = {};
    let broken = true;
    const registry = workflow(
      'test.resume',
      [
        { key: 'fetch', step: 'resume.step' },
        { key: 'build', step: 'resume.step', dependsOn: ['fetch'] },
        { key: 'ship', step: 'resume.step', dependsOn: ['build'] },
      ],
      defineStep('resume.step', {
        handler: async (ctx) => {
          calls[ctx.stepKey] = (calls[ctx.stepKey] ?? 0) + 1;
          if (ctx.stepKey === 'build' && broken) throw new NonRetryableError('compiler crashed');
          return { step: ctx.stepKey, deps: ctx.deps };
        },
      }),
    );
    const { id } = await run(registry, 'test.resume');
    expect((await waitForOperation(res.db, id, { timeoutMs: 10_000, bus: res.bus })).status).toBe('failed');
    broken = false;
    const retried = await retryOperation(res.db, registry, system, id);
    expect(retried).toMatchObject({ status: 'running', run: 2 });
    const op = await waitForOperation(res.db, id, { timeoutMs: 10_000, bus: res.bus });
    expect(op.status).toBe('succeeded');
    expect(calls).toEqual({ fetch: 1, build: 2, ship: 1 });
    expect(op.output).toMatchObject({
      ship: { deps: { build: { step: 'build', deps: { fetch: { step: 'fetch', deps: {} } } } } },
    });
    const complete = (await eventsOf(res.db, id)).filter((e) => e.type === 'complete').map((e) => e.data);
    expect(complete).toMatchObject([
      { status: 'failed', run: 1 },
      { status: 'succeeded', run: 2 },
    ]);
    await expect(retryOperation(res.db, registry, system, id)).rejects.toThrow(
      /succeeded; only failed or cancelled/,
    );
  });

  it('fences a worker that lost its lease: it can neither complete nor overwrite the next attempt', async () => {
    const clock = new ManualClock();
    const registry = workflow(
      'test.fence',
      [{ key: 'only', step: 'fence.only', queue: 'fence' }],
      defineStep('fence.only', { queue: 'fence', handler: async () => 1 }),
    );
    const { id } = await startOperation(res.db, registry, { kind: 'test.fence', input: {}, clock });
    const [first] = await claimSteps(res.db, {
      queues: ['fence'],
      limit: 1,
      owner: 'worker-a',
      leaseMs: 1_000,
      clock,
    });
    expect(first).toMatchObject({ key: 'only', attempt: 1 });
    clock.advance(1_500);
    expect(await reapExpiredLeases(res.db, registry, clock)).toMatchObject([
      { key: 'only', status: 'ready', expiredOwner: 'worker-a' },
    ]);
    const [second] = await claimSteps(res.db, {
      queues: ['fence'],
      limit: 1,
      owner: 'worker-b',
      leaseMs: 1_000,
      clock,
    });
    expect(second).toMatchObject({ key: 'only', attempt: 2 });
    const retry = { maxAttempts: 3, baseMs: 1, maxMs: 1 };
    // worker-a wakes up and tries to report: refused, and its heartbeat no longer renews.
    expect(
      await finishStep(res.db, first!, { kind: 'succeeded', output: 'stale' }, { clock, registry, retry }),
    ).toEqual({ applied: false });
    expect(
      (await renewLeases(res.db, { steps: [first!], owner: 'worker-a', leaseMs: 1_000, clock })).renewed.size,
    ).toBe(0);
    expect(
      (await renewLeases(res.db, { steps: [second!], owner: 'worker-b', leaseMs: 1_000, clock })).renewed.get(
        second!.id,
      ),
    ).toEqual({ cancel: false });
    expect(
      await finishStep(res.db, second!, { kind: 'succeeded', output: 'fresh' }, { clock, registry, retry }),
    ).toMatchObject({ applied: true, status: 'succeeded' });
    expect((await findOperation(res.db, id))?.output).toEqual({ only: 'fresh' });
    // The reaper's event names the worker that lost the lease.
    const expired = (await eventsOf(res.db, id)).find((e) => e.data.reason === 'lease_expired');
    expect(expired?.data).toMatchObject({ status: 'ready', attempt: 1, expiredWorker: 'worker-a' });
  });

  it('validates input with the workflow’s schema, naming the field, and honours idempotency keys', async () => {
    const registry = new Registry();
    registry.add(
      defineWorkflow('test.typed', z.object({ count: z.number().int().min(1) }), (input) => [
        { key: 'x', step: 'typed.x', input },
      ]),
      defineStep('typed.x', { queue: 'nowhere', handler: async () => null }),
    );
    await expect(
      startOperation(res.db, registry, { kind: 'test.typed', input: { count: 0 } }),
    ).rejects.toMatchObject({
      issues: [{ field: 'input.count' }],
    });
    await expect(startOperation(res.db, registry, { kind: 'test.nope', input: {} })).rejects.toMatchObject({
      issues: [{ field: 'kind' }],
    });
    const first = await startOperation(res.db, registry, {
      kind: 'test.typed',
      input: { count: 2 },
      idempotencyKey: 'k1',
    });
    const again = await startOperation(res.db, registry, {
      kind: 'test.typed',
      input: { count: 3 },
      idempotencyKey: 'k1',
    });
    expect(again.id).toBe(first.id);
  });

  it('releases running steps on a graceful stop so another worker can take them', async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    let runs = 0;
    const registry = workflow(
      'test.release',
      [{ key: 'held', step: 'release.held', queue: 'release' }],
      defineStep('release.held', {
        queue: 'release',
        handler: (ctx) =>
          new Promise((resolve, reject) => {
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
            // The released attempt does not count: the second run is attempt 1 again.
            runs += 1;
            if (runs > 1) resolve(`run ${runs}, attempt ${ctx.attempt}`);
            started();
          }),
      }),
    );
    const first = await startPool(res, registry, { queues: ['release'], stopGraceMs: 50 });
    const { id } = await startOperation(res.db, registry, { kind: 'test.release', input: {} });
    await running;
    await first.stop();
    const steps = await stepsOf(res.db, id);
    expect(steps.held).toMatchObject({ status: 'ready', attempt: 0 });
    const second = await startPool(res, registry, { queues: ['release'] });
    pools.push(second);
    expect((await waitForOperation(res.db, id, { timeoutMs: 10_000, bus: res.bus })).status).toBe(
      'succeeded',
    );
    const released = (await eventsOf(res.db, id)).find((e) => e.data.released);
    expect(released?.data).toMatchObject({ status: 'ready', attempt: 1 });
    expect((await findOperation(res.db, id))?.output).toEqual({ held: 'run 2, attempt 1' });
  });
});

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
import { withTransaction } from '../../../platform/db/pool.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { cancelOperation } from '../cancel-operation.ts';
import { retryOperation } from '../retry-operation.ts';
import { startOperation } from '../start-operation.ts';
import { findOperation } from '../store.ts';
import { waitForOperation } from '../wait-for-operation.ts';
import { defineStep, defineWorkflow, type StepContext } from './define.ts';
import type { ParkRequest } from './park-request.ts';
import { wakeDueSteps, wakeStep } from './wake-steps.ts';
import type { WorkerPool } from './worker-pool.ts';

/**
 * Durable waits (StepContext.park): a parked step holds no lease and no worker slot, and runs again
 * — its attempt not used up — when woken: by wakeStep, by its deadline, or by the end of the
 * operation it awaits. A wake that comes while the handler is still deciding to park is not lost.
 */
let database: TestDatabase;
let res: ReturnType<typeof engineResources>;
const pools: WorkerPool[] = [];
const system = { actor: SYSTEM_ACTOR };

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

/** A registry whose `test.<name>` workflow is one step running `handler`, plus a one-step quick workflow. */
function parkingWorkflow(name: string, handler: (ctx: StepContext) => Promise<unknown>) {
  const registry = new Registry();
  registry.add(
    defineWorkflow(`test.${name}`, z.object({}).passthrough(), () => [{ key: 'wait', step: `${name}.wait` }]),
    defineStep(`${name}.wait`, { retry: { maxAttempts: 1 }, handler }),
    defineWorkflow('test.quick', z.object({}).passthrough(), () => [{ key: 'quick', step: 'quick.step' }]),
    defineStep('quick.step', { handler: async () => ({ quick: true }) }),
  );
  return registry;
}

async function pool(registry: Registry, options: { concurrency?: number; heartbeatMs?: number } = {}) {
  const started = await startPool(res, registry, { concurrency: 1, heartbeatMs: 200, ...options });
  pools.push(started);
  return started;
}

const start = (registry: Registry, kind: string) => startOperation(res.db, registry, { kind, input: {} });

async function untilParked(operationId: string) {
  return until(
    async () => (await stepsOf(res.db, operationId)).wait?.status === 'waiting',
    10_000,
    'the step to park',
  );
}

describe('parked steps (durable waits)', () => {
  it('hold no worker slot while they wait, and run again with the same attempt when woken', async () => {
    let released = false;
    let runs = 0;
    const registry = parkingWorkflow('gate', async (ctx) => {
      runs++;
      if (!released) ctx.park({ reason: 'test' });
      return { released: true, attempt: ctx.attempt };
    });
    const workers = await pool(registry, { concurrency: 1 });
    const { id } = await start(registry, 'test.gate');
    await untilParked(id);
    expect(workers.running).toBe(0);
    // With its only slot free, the worker runs another operation to its end meanwhile.
    const other = await start(registry, 'test.quick');
    expect((await waitForOperation(res.db, other.id, { timeoutMs: 10_000, bus: res.bus })).status).toBe(
      'succeeded',
    );
    expect((await findOperation(res.db, id))!.status).toBe('running');

    released = true;
    const woken = await withTransaction(res.db, (tx) =>
      wakeStep(tx, { operationId: id, stepKey: 'wait' }, res.clock),
    );
    expect(woken).toBe(true);
    const done = await waitForOperation(res.db, id, { timeoutMs: 10_000, bus: res.bus });
    expect(done.status).toBe('succeeded');
    expect(done.output).toEqual({ wait: { released: true, attempt: 1 } });
    expect(runs).toBe(2);
    const steps = await stepsOf(res.db, id);
    expect(steps.wait!.attempt).toBe(1);
    const stepEvents = (await eventsOf(res.db, id))
      .filter((e) => e.type === 'step')
      .map((e) => e.data.status);
    expect(stepEvents).toEqual(['running', 'waiting', 'ready', 'running', 'succeeded']);
  });

  it('wakes at once when readyIf says the event already happened as the step parked', async () => {
    let decided = false;
    let runs = 0;
    const registry = parkingWorkflow('race', async (ctx) => {
      runs++;
      // The decision lands after the handler looked but before it parked: readyIf sees it.
      if (runs === 1) {
        decided = true;
        ctx.park({ readyIf: async () => decided });
      }
      return { runs };
    });
    await pool(registry);
    const { id } = await start(registry, 'test.race');
    const done = await waitForOperation(res.db, id, { timeoutMs: 10_000, bus: res.bus });
    expect(done.status).toBe('succeeded');
    expect(done.output).toEqual({ wait: { runs: 2 } });
    const parked = (await eventsOf(res.db, id)).find((e) => e.type === 'step' && e.data.parked);
    expect(parked?.data).toMatchObject({ status: 'ready', parked: { already: true } });
  });

  it('wakes when its deadline passes (the workers’ wake pass)', async () => {
    let until_: Date | undefined;
    const registry = parkingWorkflow('timer', async (ctx) => {
      until_ ??= new Date(Date.now() + 300);
      if (Date.now() < until_.getTime()) ctx.park({ until: until_, reason: 'timer' });
      return { late: Date.now() - until_.getTime() };
    });
    await pool(registry, { heartbeatMs: 100 });
    const { id } = await start(registry, 'test.timer');
    const done = await waitForOperation(res.db, id, { timeoutMs: 10_000, bus: res.bus });
    expect(done.status).toBe('succeeded');
    expect((done.output as { wait: { late: number } }).wait.late).toBeGreaterThanOrEqual(0);
  });

  it('wakes when the operation it awaits has ended', async () => {
    const registry = new Registry();
    let child: string | undefined;
    let childResult: unknown;
    registry.add(
      defineWorkflow('test.parent', z.object({}).passthrough(), () => [{ key: 'wait', step: 'parent.wait' }]),
      defineStep('parent.wait', {
        retry: { maxAttempts: 1 },
        handler: async (ctx) => {
          child ??= (await startOperation(res.db, registry, { kind: 'test.child', input: {} })).id;
          const op = (await findOperation(res.db, child))!;
          if (op.status === 'queued' || op.status === 'running')
            ctx.park({ operationId: child, reason: 'operation' } satisfies ParkRequest);
          childResult = op.output;
          return { child: op.status };
        },
      }),
      defineWorkflow('test.child', z.object({}).passthrough(), () => [{ key: 'work', step: 'child.work' }]),
      defineStep('child.work', { handler: async () => ({ worked: true }) }),
    );
    // One slot: the parent's wait must not take it from the child it waits for.
    await pool(registry, { concurrency: 1, heartbeatMs: 100 });
    const { id } = await start(registry, 'test.parent');
    const done = await waitForOperation(res.db, id, { timeoutMs: 15_000, bus: res.bus });
    expect(done.status).toBe('succeeded');
    expect(done.output).toEqual({ wait: { child: 'succeeded' } });
    expect(childResult).toEqual({ work: { worked: true } });
  });

  it('is cancelled with its operation, parks again after a retry, and a late wake changes nothing', async () => {
    let runs = 0;
    const registry = parkingWorkflow('cancel', async (ctx) => {
      runs++;
      ctx.park({ reason: 'forever' });
    });
    await pool(registry);
    const { id } = await start(registry, 'test.cancel');
    await untilParked(id);
    await cancelOperation(res.db, registry, system, id);
    expect((await stepsOf(res.db, id)).wait!.status).toBe('cancelled');
    expect(
      await withTransaction(res.db, (tx) => wakeStep(tx, { operationId: id, stepKey: 'wait' }, res.clock)),
    ).toBe(false);
    expect(await wakeDueSteps(res.db, res.clock)).toBe(0);
    await retryOperation(res.db, registry, system, id);
    await untilParked(id);
    expect(runs).toBe(2);
    expect((await findOperation(res.db, id))!.status).toBe('running');
    await cancelOperation(res.db, registry, system, id);
  });
});

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
import { ConflictError } from '../../../platform/errors.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { cancelOperation } from '../cancel-operation.ts';
import { NonRetryableError } from '../errors.ts';
import { retryOperation } from '../retry-operation.ts';
import { startOperation } from '../start-operation.ts';
import { findOperation } from '../store.ts';
import { waitForOperation } from '../wait-for-operation.ts';
import { addChildSteps } from './add-steps.ts';
import { claimSteps } from './claim-steps.ts';
import { defineStep, defineWorkflow, type StepSpec } from './define.ts';
import { finishStep } from './finish-step.ts';
import type { WorkerPool } from './worker-pool.ts';

/**
 * Failures settle completely: once an operation has failed or was cancelled, every one of its
 * steps ends (pending ones at once, running ones as soon as their handler stops), and a retry runs
 * it to its end again — fan-out parents included.
 */
let database: TestDatabase;
let res: ReturnType<typeof engineResources>;
const pools: WorkerPool[] = [];
const system = { actor: SYSTEM_ACTOR };
const UNFINISHED = ['blocked', 'ready', 'running', 'waiting'];

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

function gate() {
  let open!: () => void;
  const closed = new Promise<void>((resolve) => (open = resolve));
  return { closed, open };
}

/** Resolves when `signal` aborts (never rejects), so a handler can wait for its abort. */
const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });

async function run(registry: Registry, kind: string, graph: StepSpec[]) {
  registry.add(defineWorkflow(kind, z.object({}).passthrough(), () => graph));
  const pool = await startPool(res, registry, { queues: ['default'] });
  pools.push(pool);
  const { id } = await startOperation(res.db, registry, { kind, input: {} });
  return id;
}

const ended = (id: string) => waitForOperation(res.db, id, { timeoutMs: 15_000, bus: res.bus });

async function statuses(id: string) {
  return Object.fromEntries(Object.entries(await stepsOf(res.db, id)).map(([k, s]) => [k, s.status]));
}

/** Pending steps end with their operation; running ones once their handlers have stopped. */
async function expectEveryStepEnded(id: string) {
  const atEnd = await statuses(id);
  expect(
    Object.entries(atEnd).filter(([, s]) => ['blocked', 'ready', 'waiting'].includes(s)),
    'pending steps when the operation ended',
  ).toEqual([]);
  return until(
    async () => {
      const now = await statuses(id);
      return Object.values(now).every((s) => !UNFINISHED.includes(s)) && now;
    },
    10_000,
    `every step of ${id} to end (${JSON.stringify(atEnd)})`,
  );
}

describe('an operation that fails or is cancelled', () => {
  it('ends every step when a fan-out child fails for good, and a retry re-arms the parent without running it again', async () => {
    const calls: Record<string, number> = {};
    const count = (key: string) => {
      calls[key] = (calls[key] ?? 0) + 1;
    };
    let broken = true;
    const slowStarted = gate();
    const registry = new Registry();
    registry.add(
      defineStep('fan.split', {
        handler: async (ctx) => {
          count(ctx.stepKey);
          await ctx.addSteps([
            { key: 'browser', step: 'fan.browser' },
            { key: 'slow', step: 'fan.slow' },
            { key: 'report', step: 'fan.report', dependsOn: ['browser'] },
          ]);
          return { url: 'http://staging' };
        },
      }),
      defineStep('fan.browser', {
        retry: { maxAttempts: 2, baseMs: 1, maxMs: 1 },
        handler: async (ctx) => {
          count(ctx.stepKey);
          // Fails only once its sibling runs, so the failure meets a running sibling.
          await slowStarted.closed;
          if (broken) throw new Error(`browser crashed (attempt ${ctx.attempt})`);
          return { passed: true };
        },
      }),
      defineStep('fan.slow', {
        handler: async (ctx) => {
          count(ctx.stepKey);
          if (!broken) return 'quick this time';
          slowStarted.open();
          await aborted(ctx.signal);
          throw ctx.signal.reason;
        },
      }),
      defineStep('fan.report', {
        handler: async (ctx) => {
          count(ctx.stepKey);
          return ctx.deps['verify/browser'];
        },
      }),
      defineStep('fan.after', {
        handler: async (ctx) => {
          count(ctx.stepKey);
          return ctx.deps;
        },
      }),
    );
    const id = await run(registry, 'test.fan-fail', [
      { key: 'verify', step: 'fan.split' },
      { key: 'after', step: 'fan.after', dependsOn: ['verify'] },
    ]);
    await slowStarted.closed;
    const op = await ended(id);
    expect(op.status).toBe('failed');
    expect(op.error).toMatchObject({ step: 'verify/browser', message: 'browser crashed (attempt 2)' });
    // The operation log names the failed step and its message, and says whether it will retry.
    const errors = (await eventsOf(res.db, id)).filter((e) => e.type === 'error');
    expect(errors.map((e) => ({ step: e.step_key, ...e.data }))).toEqual([
      {
        step: 'verify/browser',
        message: 'browser crashed (attempt 1)',
        name: 'Error',
        attempt: 1,
        maxAttempts: 2,
        willRetry: true,
        retryAt: expect.any(String),
      },
      {
        step: 'verify/browser',
        message: 'browser crashed (attempt 2)',
        name: 'Error',
        attempt: 2,
        maxAttempts: 2,
        willRetry: false,
      },
    ]);
    expect(await expectEveryStepEnded(id)).toEqual({
      verify: 'cancelled',
      after: 'cancelled',
      'verify/browser': 'failed',
      'verify/slow': 'cancelled',
      'verify/report': 'cancelled',
    });

    broken = false;
    await retryOperation(res.db, registry, system, id);
    const again = await ended(id);
    expect(again.status, JSON.stringify(again.error)).toBe('succeeded');
    expect(await statuses(id)).toEqual({
      verify: 'succeeded',
      after: 'succeeded',
      'verify/browser': 'succeeded',
      'verify/slow': 'succeeded',
      'verify/report': 'succeeded',
    });
    // The parent's handler had returned: it is not run again, it waits for its children again.
    expect(calls).toEqual({
      verify: 1,
      'verify/browser': 3,
      'verify/slow': 2,
      'verify/report': 1,
      after: 1,
    });
    const events = await eventsOf(res.db, id);
    const verify = events
      .filter((e) => e.step_key === 'verify' && e.type === 'step')
      .map((e) => e.data.status);
    expect(verify).toEqual(['running', 'waiting', 'cancelled', 'waiting', 'succeeded']);
  });

  it('ends a parent waiting on its children when a sibling fails, and runs it all to the end on retry', async () => {
    let broken = true;
    const childRuns: number[] = [];
    const registry = new Registry();
    registry.add(
      defineStep('sib.split', {
        handler: async (ctx) => {
          await ctx.addSteps([{ key: 'part', step: 'sib.part' }]);
          return 'split';
        },
      }),
      defineStep('sib.part', {
        handler: async (ctx) => {
          childRuns.push(ctx.attempt);
          if (!broken) return 'part';
          await aborted(ctx.signal);
          throw ctx.signal.reason;
        },
      }),
      defineStep('sib.bad', {
        handler: async (ctx) => {
          if (!broken) return 'fine';
          // Fails only once the parent waits on its (running) child.
          await until(async () => (await stepsOf(res.db, ctx.operationId)).split?.status === 'waiting');
          throw new NonRetryableError('the sibling broke');
        },
      }),
    );
    const id = await run(registry, 'test.sibling-fail', [
      { key: 'split', step: 'sib.split' },
      { key: 'bad', step: 'sib.bad' },
    ]);
    expect((await ended(id)).status).toBe('failed');
    expect(await expectEveryStepEnded(id)).toEqual({
      split: 'cancelled',
      bad: 'failed',
      'split/part': 'cancelled',
    });
    broken = false;
    await retryOperation(res.db, registry, system, id);
    expect((await ended(id)).status).toBe('succeeded');
    expect(await statuses(id)).toEqual({ split: 'succeeded', bad: 'succeeded', 'split/part': 'succeeded' });
    expect(childRuns).toEqual([1, 1]);
  });

  it('ends a parent waiting on its children when cancelled, and a retry runs it to the end', async () => {
    let hold = true;
    const started = gate();
    const registry = new Registry();
    registry.add(
      defineStep('cx.split', {
        handler: async (ctx) => {
          await ctx.addSteps([
            { key: 'a', step: 'cx.part' },
            { key: 'b', step: 'cx.part', dependsOn: ['a'] },
          ]);
          return 'split';
        },
      }),
      defineStep('cx.part', {
        handler: async (ctx) => {
          if (!hold) return ctx.stepKey;
          started.open();
          await aborted(ctx.signal);
          throw ctx.signal.reason;
        },
      }),
    );
    const id = await run(registry, 'test.cancel-waiting', [{ key: 'split', step: 'cx.split' }]);
    await started.closed;
    await until(async () => (await stepsOf(res.db, id)).split?.status === 'waiting');
    expect((await cancelOperation(res.db, registry, system, id)).status).toBe('cancelled');
    expect(await expectEveryStepEnded(id)).toEqual({
      split: 'cancelled',
      'split/a': 'cancelled',
      'split/b': 'cancelled',
    });
    hold = false;
    await retryOperation(res.db, registry, system, id);
    expect((await ended(id)).status).toBe('succeeded');
    expect(await statuses(id)).toEqual({
      split: 'succeeded',
      'split/a': 'succeeded',
      'split/b': 'succeeded',
    });
  });

  it('ends a parent whose handler returns after its operation failed, and a retry completes it', async () => {
    const calls: string[] = [];
    const registry = new Registry();
    registry.add(
      defineWorkflow('test.late-parent', z.object({}), () => [{ key: 'split', step: 'late.split' }]),
      defineStep('late.split', {
        handler: async (ctx) => {
          calls.push(ctx.stepKey);
          return 'split';
        },
      }),
      defineStep('late.child', {
        handler: async (ctx) => {
          calls.push(ctx.stepKey);
          return 'child';
        },
      }),
    );
    const { id } = await startOperation(res.db, registry, { kind: 'test.late-parent', input: {} });
    // The parent runs on a worker that does not hear of the failure in time (its abort is a notice
    // away), so its success arrives after the operation ended.
    const [split] = await claim('parent-worker');
    await addChildSteps(res.db, registry, split!, [{ key: 'child', step: 'late.child' }], systemClock);
    const [child] = await claim('child-worker');
    expect(child).toMatchObject({ key: 'split/child' });
    await finishStep(
      res.db,
      child!,
      { kind: 'failed', error: new NonRetryableError('child broke'), retryable: false },
      { clock: systemClock, registry, retry },
    );
    expect((await findOperation(res.db, id))?.status).toBe('failed');
    await finishStep(
      res.db,
      split!,
      { kind: 'succeeded', output: 'split' },
      { clock: systemClock, registry, retry },
    );
    expect(await statuses(id)).toEqual({ split: 'cancelled', 'split/child': 'failed' });

    await retryOperation(res.db, registry, system, id);
    pools.push(await startPool(res, registry, { queues: [QUEUE] }));
    expect((await ended(id)).status).toBe('succeeded');
    expect(await statuses(id)).toEqual({ split: 'succeeded', 'split/child': 'succeeded' });
    expect(calls).toEqual(['split/child']);
  });

  it('runs the workflow’s onEnd hook in the transaction that ends it, whoever ends it; onRetry may refuse a retry', async () => {
    const seen: Array<{ status: string; step?: string; committed: boolean }> = [];
    let refuse = false;
    const registry = new Registry();
    registry.add(
      defineWorkflow(
        'test.hooks',
        z.object({ fail: z.boolean() }),
        (input) => [{ key: 'only', step: 'hooks.only', input }],
        {
          onEnd: async (tx, ended) => {
            // Inside the ending transaction: it sees the operation ended, other sessions do not yet.
            const mine = await tx.query<{ status: string }>('SELECT status FROM operations WHERE id = $1', [
              ended.id,
            ]);
            const others = await findOperation(res.db, ended.id);
            seen.push({
              status: mine.rows[0]!.status,
              step: ended.error?.step,
              committed: others?.status === ended.status,
            });
            await tx.query(`UPDATE operations SET input = '{"fail": false, "touched": true}' WHERE id = $1`, [
              ended.id,
            ]);
            if (ended.status === 'cancelled') throw new Error('the module could not record it');
          },
          onRetry: async () => {
            if (refuse) throw new ConflictError('not now');
          },
        },
      ),
      defineStep<{ fail: boolean }>('hooks.only', {
        handler: async (ctx) => {
          if (ctx.input.fail) throw new NonRetryableError('hooked failure');
          return 'ok';
        },
      }),
    );
    pools.push(await startPool(res, registry, { queues: [QUEUE] }));
    const failed = (await startOperation(res.db, registry, { kind: 'test.hooks', input: { fail: true } })).id;
    expect((await ended(failed)).status).toBe('failed');
    expect(seen).toEqual([{ status: 'failed', step: 'only', committed: false }]);
    expect((await findOperation(res.db, failed))?.input).toMatchObject({ touched: true });

    refuse = true;
    await expect(retryOperation(res.db, registry, system, failed)).rejects.toThrow('not now');
    expect(await findOperation(res.db, failed)).toMatchObject({ status: 'failed', run: 1 });

    // A throwing hook is rolled back and recorded; the operation ends regardless.
    for (const pool of pools.splice(0)) await pool.stop();
    const { id } = await startOperation(res.db, registry, { kind: 'test.hooks', input: { fail: true } });
    await cancelOperation(res.db, registry, system, id);
    const op = await findOperation(res.db, id);
    expect(op).toMatchObject({ status: 'cancelled', input: { fail: true } });
    const hookError = (await eventsOf(res.db, id)).find((e) => e.type === 'error');
    expect(hookError?.data).toMatchObject({
      hook: 'onEnd',
      message:
        'The test.hooks workflow could not record how the operation ended: the module could not record it',
    });
  });

  it('refuses to add children to a step of an operation that has ended', async () => {
    const registry = new Registry();
    registry.add(
      defineWorkflow('test.late-add', z.object({}), () => [{ key: 'split', step: 'late-add.split' }]),
      defineStep('late-add.split', { handler: async () => 'split' }),
      defineStep('late-add.child', { handler: async () => 'child' }),
    );
    const { id } = await startOperation(res.db, registry, { kind: 'test.late-add', input: {} });
    const [split] = await claim('parent-worker');
    await cancelOperation(res.db, registry, system, id);
    await expect(
      addChildSteps(res.db, registry, split!, [{ key: 'child', step: 'late-add.child' }], systemClock),
    ).rejects.toMatchObject({ name: 'StepCancelledError' });
    expect(Object.keys(await stepsOf(res.db, id))).toEqual(['split']);
  });

  it('runs a step again when its worker records it stopped only after the operation was cancelled and retried', async () => {
    const registry = new Registry();
    registry.add(
      defineWorkflow('test.slow-stop', z.object({}), () => [{ key: 'only', step: 'slowstop.step' }]),
      defineStep('slowstop.step', { handler: async (ctx) => `attempt ${ctx.attempt}` }),
    );
    const { id } = await startOperation(res.db, registry, { kind: 'test.slow-stop', input: {} });
    const [job] = await claim('slow-worker');
    await cancelOperation(res.db, registry, system, id);
    await retryOperation(res.db, registry, system, id);
    // The first run's worker stops its handler now and records that.
    await finishStep(res.db, job!, { kind: 'cancelled' }, { clock: systemClock, registry, retry });
    expect((await stepsOf(res.db, id)).only?.status).toBe('ready');
    pools.push(await startPool(res, registry, { queues: [QUEUE] }));
    const op = await ended(id);
    expect(op.status).toBe('succeeded');
    expect(op.output).toEqual({ only: 'attempt 1' });
  });
});

const QUEUE = 'default';
const retry = { maxAttempts: 3, baseMs: 1, maxMs: 1 };
/** Claims as a worker of its own that runs nothing: the test records the outcomes. */
const claim = (owner: string) =>
  claimSteps(res.db, { queues: [QUEUE], limit: 10, owner, leaseMs: 30_000, clock: systemClock });

import { describe, expect, it } from 'vitest';
import type { OperationEvent } from '../../api/operation-types.ts';
import { applyOperationEvent, emptyLiveOperation } from './live-operation-state.ts';

let nextId = 0;
const event = (
  type: string,
  step: string | null,
  data: Record<string, unknown>,
  at = '2026-04-01T10:00:00.000Z',
) => ({ id: ++nextId, operationId: 'op', step, type, data, at }) as OperationEvent;

/** The events the engine writes when `verify/browser` fails once, is retried, and fails for good. */
const failing: OperationEvent[] = [
  event('operation', null, { status: 'queued', run: 1, steps: [{ key: 'verify' }] }),
  event('step', 'verify/browser', { status: 'running', attempt: 1 }),
  event('error', 'verify/browser', {
    message: 'browser crashed',
    name: 'Error',
    attempt: 1,
    maxAttempts: 2,
    willRetry: true,
    retryAt: '2026-04-01T10:00:00.800Z',
  }),
  event('step', 'verify/browser', { status: 'ready', attempt: 1, error: 'browser crashed' }),
  event('error', 'verify/browser', {
    message: 'page / failed\ncheck: title missing',
    name: 'NonRetryableError',
    attempt: 2,
    maxAttempts: 2,
    willRetry: false,
  }),
  event('step', 'verify', { status: 'cancelled' }),
  event('complete', null, {
    status: 'failed',
    run: 1,
    error: { message: 'page / failed\ncheck: title missing', step: 'verify/browser' },
  }),
];

describe('the operation page’s log', () => {
  it('shows a line per failed attempt naming the step and its error, and which step failed the operation', () => {
    const state = failing.reduce(applyOperationEvent, emptyLiveOperation());
    expect(state.logs.map((l) => [l.step, l.stream, l.text])).toEqual([
      [
        'verify/browser',
        'orchard',
        '! verify/browser failed (attempt 1 of 2), will retry in 0.8 s: browser crashed',
      ],
      ['verify/browser', 'error', '✗ verify/browser failed (attempt 2 of 2): page / failed'],
      ['verify/browser', 'error', '    check: title missing'],
    ]);
    expect(state).toMatchObject({
      status: 'failed',
      done: true,
      error: 'page / failed\ncheck: title missing',
      errorStep: 'verify/browser',
    });
  });

  it('keeps the banner for the failure that ended the run, not for an attempt that will retry', () => {
    const retrying = failing.slice(0, 3).reduce(applyOperationEvent, emptyLiveOperation());
    expect(retrying.error).toBeUndefined();
    // A retry of the operation starts a clean run.
    const retried = [...failing, event('operation', null, { status: 'running', run: 2, retry: true })].reduce(
      applyOperationEvent,
      emptyLiveOperation(),
    );
    expect(retried).toMatchObject({ run: 2, status: 'running', done: false });
    expect(retried.error).toBeUndefined();
    expect(retried.errorStep).toBeUndefined();
  });
});

describe("an automation task's planner", () => {
  it('keeps each model that answered it once, with the alias asked for', () => {
    const planner = (model: string) =>
      event('planner', 'task', { kind: 'act', ms: 12, costUsd: 0.001, alias: 'planner', model, repairs: 0 });
    const state = [
      planner('openai/gpt-mock'),
      planner('openai/gpt-mock'),
      planner('anthropic/claude'),
    ].reduce(applyOperationEvent, emptyLiveOperation());
    expect(state.plannerModels).toEqual([
      { alias: 'planner', model: 'openai/gpt-mock' },
      { alias: 'planner', model: 'anthropic/claude' },
    ]);
  });
});

import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { startTicker } from './ticker.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function recordingLogger() {
  const lines: string[] = [];
  const log = (_obj: unknown, msg: string) => void lines.push(msg);
  return { lines, logger: { warn: log, error: log } as never };
}

it('ticks after the first delay and then every interval, never two at once, until stopped', async () => {
  const { logger } = recordingLogger();
  let started = 0;
  let release: () => void = () => {};
  const ticker = startTicker(
    () => {
      started++;
      return new Promise<void>((resolve) => (release = resolve));
    },
    { intervalMs: 1_000, firstDelayMs: 100, logger, failure: 'tick failed' },
  );
  await vi.advanceTimersByTimeAsync(99);
  expect(started).toBe(0);
  await vi.advanceTimersByTimeAsync(1);
  expect(started).toBe(1);
  // Still running when the next tick is due: that one is skipped.
  await vi.advanceTimersByTimeAsync(1_000);
  expect(started).toBe(1);
  release();
  await vi.advanceTimersByTimeAsync(1_000);
  expect(started).toBe(2);
  release();
  ticker.stop();
  await vi.advanceTimersByTimeAsync(5_000);
  expect(started).toBe(2);
});

it('logs a failed tick at the level asked and ticks again at the next interval', async () => {
  const { lines, logger } = recordingLogger();
  let calls = 0;
  const ticker = startTicker(
    async () => {
      calls++;
      if (calls === 1) throw new Error('boom');
    },
    { intervalMs: 500, logger, failure: 'the sweep failed', level: 'error' },
  );
  await vi.advanceTimersByTimeAsync(500);
  expect(lines).toEqual(['the sweep failed']);
  await vi.advanceTimersByTimeAsync(500);
  expect(calls).toBe(2);
  expect(lines).toHaveLength(1);
  ticker.stop();
});

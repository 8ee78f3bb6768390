import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventCoalescer } from './coalescer.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('EventCoalescer', () => {
  it('writes at most one row per 50 ms per stream, in order, and nothing is lost', async () => {
    const rows: Array<{ at: number; stream: string; text: string }> = [];
    const start = Date.now();
    const coalescer = new EventCoalescer(async (stream, text) => {
      rows.push({ at: Date.now(), stream, text });
    });
    // 1,000 lines over one second on two streams, a line per millisecond.
    for (let i = 0; i < 1000; i++) {
      coalescer.append(i % 2 ? 'stderr' : 'stdout', `line ${i}`);
      await vi.advanceTimersByTimeAsync(1);
    }
    const timed = rows.length;
    // The step's end flushes what is left at once.
    await coalescer.flush();
    for (const stream of ['stdout', 'stderr']) {
      const paced = rows.slice(0, timed).filter((r) => r.stream === stream);
      for (let i = 1; i < paced.length; i++)
        expect(paced[i]!.at - paced[i - 1]!.at).toBeGreaterThanOrEqual(50);
      const mine = rows.filter((r) => r.stream === stream);
      expect(mine.length).toBeLessThanOrEqual(22);
      const lines = mine.flatMap((r) => r.text.split('\n'));
      expect(lines).toEqual(
        Array.from({ length: 500 }, (_, k) => `line ${stream === 'stdout' ? 2 * k : 2 * k + 1}`),
      );
    }
    // The first line of a stream goes out at once.
    expect(rows[0]).toMatchObject({ at: start, text: 'line 0' });
  });

  it('never has two writes of one stream in flight, and drops the oldest text when the store falls behind', async () => {
    let inFlight = 0;
    let most = 0;
    const rows: Array<{ text: string; dropped: number }> = [];
    const coalescer = new EventCoalescer(
      async (_stream, text, dropped) => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 500)); // a slow database
        inFlight -= 1;
        rows.push({ text, dropped });
      },
      { maxBufferedBytes: 100 },
    );
    for (let i = 0; i < 50; i++) {
      coalescer.append('stdout', `${i}`.padStart(10, '0'));
      await vi.advanceTimersByTimeAsync(10);
    }
    const flushed = coalescer.flush();
    await vi.advanceTimersByTimeAsync(5_000);
    await flushed;
    expect(most).toBe(1);
    const last = rows.at(-1)!;
    expect(last.text.split('\n').at(-1)).toBe('0000000049');
    expect(rows.reduce((n, r) => n + r.dropped, 0)).toBeGreaterThan(0);
  });
});

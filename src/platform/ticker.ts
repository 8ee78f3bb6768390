import type { Logger } from './log.ts';

export interface TickerOptions {
  /** Between the starts of two ticks. */
  intervalMs: number;
  /** Before the first tick (default: one interval); 0 ticks at once. */
  firstDelayMs?: number;
  logger: Logger;
  /** Logged (with the error) when a tick throws; the next tick runs as planned. */
  failure: string;
  /** The level of that line (default warn). */
  level?: 'warn' | 'error';
}

/**
 * Runs `tick` every `intervalMs` in the background until stopped: never two at once (a tick still
 * running when the next is due makes that one skip), a failure logged and retried at the next tick,
 * and the timers never keep the process alive.
 */
export function startTicker(tick: () => Promise<void>, o: TickerOptions): { stop(): void } {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await tick();
    } catch (error) {
      o.logger[o.level ?? 'warn']({ err: error }, o.failure);
    } finally {
      running = false;
    }
  };
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    void run();
    interval = setInterval(() => void run(), o.intervalMs);
    interval.unref();
  }, o.firstDelayMs ?? o.intervalMs);
  first.unref();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(interval);
    },
  };
}

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
 * and the timers never keep the process alive. `stop()` settles once a tick under way has ended.
 */
/** A background ticker: stopping waits for the tick under way. */
export interface Ticker {
  stop(): Promise<void>;
}

export function startTicker(tick: () => Promise<void>, o: TickerOptions): Ticker {
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= (async () => {
      try {
        await tick();
      } catch (error) {
        o.logger[o.level ?? 'warn']({ err: error }, o.failure);
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    void run();
    interval = setInterval(() => void run(), o.intervalMs);
    interval.unref();
  }, o.firstDelayMs ?? o.intervalMs);
  first.unref();
  return {
    stop: async () => {
      clearTimeout(first);
      clearInterval(interval);
      // A tick under way finishes before the caller goes on to close what it uses (the pool).
      await running;
    },
  };
}

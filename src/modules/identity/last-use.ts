import type { Queryable } from '../../platform/db/pool.ts';
import type { Logger } from '../../platform/log.ts';
import { touchTokens } from './store.ts';

/** Last use is shown at minute resolution: a token is written at most this often. */
const RESOLUTION_MS = 60_000;

export interface LastUseRecorder {
  /** A request used token `id` at `now`; `stored` is the last use the database had, when just read. */
  note(id: string, now: Date, stored?: Date | null): void;
  /** Writes what is pending (the timer does this every few seconds). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Records API tokens' last use off the request path: uses are noted in memory and written in one
 * statement every `flushMs`, at most once per token per minute (per process; the statement itself
 * skips a row another process wrote less than a minute before).
 */
export function createLastUseRecorder(
  db: Queryable,
  logger: Logger,
  options: { flushMs?: number; maxTokens?: number } = {},
): LastUseRecorder {
  const written = new Map<string, number>();
  let pending = new Map<string, Date>();
  // The request clock's latest reading (it may be a test's clock, not the wall clock).
  let latest = 0;
  const maxTokens = options.maxTokens ?? 100_000;

  const flush = async () => {
    if (!pending.size) return;
    const batch = pending;
    pending = new Map();
    try {
      await touchTokens(db, batch);
    } catch (error) {
      logger.warn({ err: error }, 'could not record the last use of API tokens');
    }
  };
  const timer = setInterval(() => {
    void flush();
    // Forget tokens whose minute is over: their next use is written again anyway.
    const horizon = latest - RESOLUTION_MS;
    for (const [id, at] of written) if (at < horizon) written.delete(id);
  }, options.flushMs ?? 5_000);
  timer.unref();

  return {
    note(id, now, stored) {
      const at = now.getTime();
      if (at > latest) latest = at;
      let last = written.get(id);
      if (last === undefined && stored) last = stored.getTime();
      if (last !== undefined && at - last < RESOLUTION_MS) {
        if (!written.has(id)) written.set(id, last);
        return;
      }
      if (written.size >= maxTokens) written.clear();
      written.set(id, at);
      pending.set(id, now);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
